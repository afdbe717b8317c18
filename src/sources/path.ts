/**
 * The tree of an unpacked package as Nix copies it: nix/source.nix's `builtins.path` filter (`keep`),
 * mirrored here so that the NAR hash we record for a directory outside the flake is the hash Nix computes
 * for the filtered copy. Left out: `target`, `.git` and `.cargo` directories, `result*` symlinks (Nix build
 * links), and nested packages (directories below the root holding a Cargo.toml), which Cargo does not
 * count as files of the package either. (source.nix also drops crateflake's generated files at the
 * flake root; a package directory outside the flake has none.)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { narHash } from "./nar.ts";
import type { NixSource } from "./source.ts";

export type EntryKind = "regular" | "directory" | "symlink";

/** Keep this entry (relative to the package root, `/`-separated) of the package at `root`? */
export function packageTreeFilter(root: string): (rel: string, kind: EntryKind) => boolean {
  return (rel, kind) => {
    const base = rel.slice(rel.lastIndexOf("/") + 1);
    if (kind === "symlink" && base.startsWith("result")) return false;
    if (kind === "directory") {
      if (base === "target" || base === ".git" || base === ".cargo") return false;
      if (existsSync(join(root, rel, "Cargo.toml"))) return false;
    }
    return true;
  };
}

/** `{ kind: "path" }` for a package directory, with the NAR hash of its filtered tree when asked. */
export function pathNixSource(dir: string, withHash: boolean): NixSource {
  if (!withHash) return { kind: "path", path: dir };
  return { kind: "path", path: dir, narHash: narHash(dir, { filter: packageTreeFilter(dir) }) };
}
