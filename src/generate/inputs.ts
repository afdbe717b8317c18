/**
 * The files the Nix data is made from, with their sha256: every root's Cargo.lock, every path package's
 * Cargo.toml, and the `.cargo/config.toml` files, as far as they lie inside the flake (Nix can only
 * re-hash files of the flake at evaluation). The data records them; evaluation and `crateflake check`
 * fail when one changed.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { Project } from "../cargo/model.ts";

export function inputFiles(flakeRoot: string, projects: Project[]): Record<string, string> {
  const files = new Set<string>();
  for (const p of projects) {
    files.add(p.lockfile.path);
    files.add(p.rootManifest);
    for (const pkg of p.packages.values()) if (pkg.source.startsWith("path+")) files.add(pkg.manifestPath);
    for (let d = p.root; ; d = dirname(d)) {
      for (const name of [".cargo/config.toml", ".cargo/config"])
        if (existsSync(join(d, name))) files.add(join(d, name));
      if (d === flakeRoot || dirname(d) === d) break;
    }
  }
  const out: Record<string, string> = {};
  for (const file of [...files].sort()) {
    const rel = relative(flakeRoot, file);
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`)) continue;
    out[rel.split(sep).join("/")] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  return out;
}
