/** Listing a package directory's files the way the rest of crateflake wants them: relative, `/`-separated, sorted. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { sortPaths } from "./crate-archive.ts";
import type { EntryKind } from "./path.ts";

/**
 * Every regular file and symlink under `root`, relative to it. `skip(rel, kind)` prunes entries (e.g.
 * `.git`, `target`, Cargo's bookkeeping files).
 */
export function listFiles(
  root: string,
  skip: (rel: string, kind: EntryKind) => boolean = () => false,
): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      const kind: EntryKind = ent.isSymbolicLink() ? "symlink" : ent.isDirectory() ? "directory" : "regular";
      if (skip(r, kind)) continue;
      if (kind === "directory") walk(join(dir, ent.name), r);
      else if (ent.isFile() || kind === "symlink") out.push(r);
    }
  };
  walk(root, "");
  return sortPaths(out);
}
