/** Nix's own answers, for comparing our hashes with. */
import { execFileSync } from "node:child_process";
import { nixEnv } from "../support/env.ts";

export function nixHashPath(path: string): string {
  return execFileSync("nix", ["hash", "path", path], { encoding: "utf8", env: nixEnv() }).trim();
}

/** The NAR hash of `dir` as nix/source.nix copies it: `builtins.path` with its `keep` filter (copied here). */
export function nixFilteredTreeHash(dir: string): string {
  const expr = `let dir = ${JSON.stringify(dir)}; keep = path: type: let base = baseNameOf path; in
    !(type == "symlink" && builtins.substring 0 6 base == "result")
    && !(type == "directory" && (base == "target" || base == ".git"
      || (path != dir && builtins.pathExists (path + "/Cargo.toml"))));
    in builtins.path { path = dir; name = "t"; filter = keep; }`;
  const out = execFileSync("nix", ["eval", "--raw", "--impure", "--expr", expr], {
    encoding: "utf8",
    env: nixEnv(),
  });
  return nixHashPath(out);
}
