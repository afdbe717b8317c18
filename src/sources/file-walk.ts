/** Listing a package directory's files the way the rest of crateflake wants them: relative, `/`-separated, sorted. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { sortPaths } from "./crate-archive.ts";

/**
 * Every regular file and symlink under `root`, relative to it. `skip(rel, isDir)` prunes entries (e.g.
 * `.git`, `target`, Cargo's bookkeeping files).
 */
export function listFiles(
  root: string,
  skip: (rel: string, isDir: boolean) => boolean = () => false,
): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      const isDir = ent.isDirectory();
      if (skip(r, isDir)) continue;
      if (isDir) walk(join(dir, ent.name), r);
      else if (ent.isFile() || ent.isSymbolicLink()) out.push(r);
    }
  };
  walk(root, "");
  return sortPaths(out);
}
