/**
 * TOML reading for Cargo's files: syntax errors become UserErrors with the parser's line, and typed
 * getters report a wrongly typed key with the line where it is written (found by a textual search, since
 * smol-toml keeps no positions for values).
 */
import { parse, TomlError } from "smol-toml";
import { UserError } from "../errors.ts";

export type Table = Record<string, unknown>;

export function parseToml(text: string, file: string): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
      throw new UserError(`invalid TOML: ${first}`, file, err.line);
    }
    throw err;
  }
}

/** 1-based line of the first line that sets `key` (as `key =`, `"key" =`, or a `[...key]` header). */
export function lineOf(text: string, key: string): number | undefined {
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^\\s*(?:["']?${esc}["']?\\s*[=.]|\\[+[^\\]]*\\b${esc}\\b)`);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) return i + 1;
  return undefined;
}

export function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Reads typed values out of one TOML document, reporting errors against its file and text. */
export class TomlReader {
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  error(message: string, key?: string): UserError {
    return new UserError(message, this.file, key ? lineOf(this.text, key) : undefined);
  }

  table(v: unknown, key: string): Table {
    if (v === undefined) return {};
    if (!isTable(v)) throw this.error(`\`${key}\` must be a table`, lastKey(key));
    return v;
  }

  optTable(v: unknown, key: string): Table | undefined {
    return v === undefined ? undefined : this.table(v, key);
  }

  str(v: unknown, key: string): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw this.error(`\`${key}\` must be a string`, lastKey(key));
    return v;
  }

  bool(v: unknown, key: string): boolean | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") throw this.error(`\`${key}\` must be true or false`, lastKey(key));
    return v;
  }

  strList(v: unknown, key: string): string[] | undefined {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      throw this.error(`\`${key}\` must be a list of strings`, lastKey(key));
    return v as string[];
  }

  /** Cargo accepts both `a-b` and `a_b` for some keys; the dashed one wins when both are given. */
  either(t: Table, dashed: string): unknown {
    return t[dashed] ?? t[dashed.replace(/-/g, "_")];
  }
}

function lastKey(key: string): string {
  const parts = key.split(".");
  return parts[parts.length - 1].replace(/\[\d+\]$/, "");
}
