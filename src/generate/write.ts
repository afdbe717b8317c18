/**
 * Writing the generated files (.crateflake/, and flake.nix, default.nix, crateflake.toml when written).
 * Each file is written atomically. A file crateflake did not write is never overwritten without `force`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic.ts";
import { UserError } from "../errors.ts";

/** The first line of every file crateflake writes outside .crateflake/: how it knows a file is its own. */
export const MARKER = "crateflake";

/** Is this file absent, or one crateflake wrote (its first line names crateflake)? */
export function ownedOrAbsent(path: string): boolean {
  if (!existsSync(path)) return true;
  const first = readFileSync(path, "utf8").split("\n", 1)[0];
  return first.includes(MARKER);
}

export function writeFiles(
  flakeRoot: string,
  files: Map<string, string>,
  opts: { force?: boolean } = {},
): string[] {
  if (!opts.force) {
    for (const rel of files.keys()) {
      if (!rel.startsWith(".crateflake/") && !ownedOrAbsent(join(flakeRoot, rel)))
        throw new UserError(
          "exists and was not written by crateflake; move it away or pass --force",
          join(flakeRoot, rel),
        );
    }
  }
  const written: string[] = [];
  for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = join(flakeRoot, rel);
    const bytes = Buffer.from(content, "utf8");
    if (holds(path, bytes)) continue;
    writeFileAtomic(path, bytes);
    written.push(rel);
  }
  return written;
}

/** Files that differ from what `generate` would write now (for `check`): under .crateflake/, and flake.nix
 * or default.nix only when missing or an old generated one to migrate (see entry-files.ts). */
export function staleFiles(flakeRoot: string, files: Map<string, string>): string[] {
  return [...files]
    .filter(([rel, content]) => !holds(join(flakeRoot, rel), Buffer.from(content, "utf8")))
    .map(([rel]) => rel)
    .sort();
}

/** Does the file hold exactly these bytes? Compared as bytes: the data files are megabytes, and decoding
 * them to compare strings cost more than reading them. */
function holds(path: string, bytes: Buffer): boolean {
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  return size === bytes.length && readFileSync(path).equals(bytes);
}
