/** Nix's own answers, for comparing our hashes with. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { nixEnv, repoRoot } from "../support/env.ts";

export function nixHashPath(path: string): string {
  return execFileSync("nix", ["hash", "path", path], { encoding: "utf8", env: nixEnv() }).trim();
}

/** The NAR hash of `dir` as nix/source.nix copies it: its own `builtins.path` with its `keep` filter. */
export function nixFilteredTreeHash(dir: string): string {
  const pkg = `{ name = "t"; version = "0"; source = { kind = "path"; path = ${JSON.stringify(dir)}; }; }`;
  const expr = `import ${join(repoRoot, "nix/source.nix")} { system = "x86_64-linux"; tools = { }; root = /.; pkg = ${pkg}; }`;
  const out = execFileSync("nix", ["eval", "--raw", "--impure", "--expr", expr], {
    encoding: "utf8",
    env: nixEnv(),
  });
  return nixHashPath(out);
}
