/**
 * A problem with the user's input (a manifest, a lockfile, a flag). The CLI prints it as one line,
 * `error: FILE:LINE: message`, and exits 1; anything else that escapes is a bug in crateflake.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** The file the problem is in, when there is one. */
    readonly file?: string,
    /** 1-based line in `file`, when the parser knows it. */
    readonly line?: number,
  ) {
    super(message);
    this.name = "UserError";
  }

  /** The one line the CLI prints: control characters (a newline in a quoted value) are shown escaped. */
  render(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}` : ""}: ` : "";
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    return `${where}${this.message}`.replace(/[\u0000-\u001f\u007f]/g, (c) =>
      c === "\u007f" ? "\\u007f" : JSON.stringify(c).slice(1, -1),
    );
  }
}

/** A usage error (unknown flag, missing argument): exit code 2. */
export class UsageError extends UserError {}
