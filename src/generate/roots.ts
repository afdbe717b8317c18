/**
 * Finding the Cargo roots under a directory: the directory itself when it holds a workspace root or a
 * package with a Cargo.lock, else every directory below it (a few levels deep) that has a Cargo.lock.
 * Separate packages joined by `path = "../x"` are found this way: each root is loaded on its own.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { UserError } from "../errors.ts";

const SKIP = new Set(["target", "node_modules", "result", ".git", ".crateflake"]);
const MAX_DEPTH = 4;

/** Root manifests, relative to `dir`, `/`-separated, sorted. */
export function findRoots(dir: string): string[] {
  if (existsSync(join(dir, "Cargo.toml")) && existsSync(join(dir, "Cargo.lock"))) return ["Cargo.toml"];
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    if (existsSync(join(d, "Cargo.lock")) && existsSync(join(d, "Cargo.toml"))) {
      found.push(relative(dir, join(d, "Cargo.toml")).split(sep).join("/"));
      return; // a root's own subdirectories belong to it (members), not to new roots
    }
    if (depth >= MAX_DEPTH) return;
    const entries = readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !SKIP.has(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of entries) walk(join(d, name), depth + 1);
  };
  walk(dir, 0);
  if (found.length === 0)
    throw new UserError(
      "no Cargo project found: expected a Cargo.toml with a Cargo.lock here or in a directory below (run `cargo generate-lockfile` first)",
      dir,
    );
  return found;
}
