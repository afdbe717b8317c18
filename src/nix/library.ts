/**
 * The Nix library shipped in the npm package (`nix/*.nix`, `nix/*.sh`, `nix/*.json`), copied next to the generated
 * flake (`.crateflake/lib/`) so the flake needs no crateflake input.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's `nix/` directory, from `src/nix/` (tsx) or `dist/src/nix/` (compiled). */
export function libraryDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "nix");
    if (existsSync(join(candidate, "default.nix")) && existsSync(join(candidate, "compile.sh")))
      return candidate;
    dir = dirname(dir);
  }
  throw new Error("crateflake's Nix library (nix/default.nix) is missing from the installation");
}

/** File name → text of every library file, sorted by name. */
export function libraryFiles(): Map<string, string> {
  const dir = libraryDir();
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (/\.(nix|sh|json)$/.test(name)) files.set(name, readFileSync(join(dir, name), "utf8"));
  }
  return files;
}
