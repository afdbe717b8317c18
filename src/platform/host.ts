/**
 * The build platform: the triple rustc reports as `host:` in `rustc -vV`, as Cargo determines it.
 * Build scripts and proc-macros are compiled for it and `[target.X.build-dependencies]` match against it.
 */
import { execFileSync } from "node:child_process";
import { UserError } from "../errors.ts";

/** Reads `host: <triple>` from `rustc -vV` output. */
export function parseRustcHost(verbose: string): string | undefined {
  return /^host: (\S+)$/m.exec(verbose)?.[1];
}

/** The host triple of `rustc` (a command on PATH, or a path), as `rustc -vV` reports it. */
export function hostTriple(rustc = "rustc", env: NodeJS.ProcessEnv = process.env): string {
  let out: string;
  try {
    out = execFileSync(rustc, ["-vV"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new UserError(
      `cannot run \`${rustc} -vV\` to find the host platform: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const host = parseRustcHost(out);
  if (!host) throw new UserError(`\`${rustc} -vV\` printed no \`host:\` line`);
  return host;
}
