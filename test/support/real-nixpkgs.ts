/**
 * Generated flakes against a REAL nixpkgs and rust-overlay (../shared/nix/real-nixpkgs: auxolotl/core of
 * 2024-06 and rust-overlay of 2026-08), evaluation only: their compilers cannot be bootstrapped offline.
 * `eval.sh` there unpacks both (once) and instantiates a flake attribute by attribute; `instantiateReal`
 * does the same in one evaluation per flake and returns every derivation, for the purity check.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { nixEnv, sharedDir, tempDir } from "./env.ts";

export const realNixpkgsDir = join(sharedDir, "nix/real-nixpkgs");
/** Where eval.sh unpacks them. */
export const realCache = process.env.CRATEFLAKE_REAL_NIXPKGS ?? "/var/tmp/crateflake-real-nixpkgs";
export const needRealNixpkgs = existsSync(join(realNixpkgsDir, "eval.sh"))
  ? false
  : `no real nixpkgs at ${realNixpkgsDir}`;
/** The systems aux core evaluates (its darwin stdenv does not). */
export const REAL_SYSTEMS = ["x86_64-linux", "aarch64-linux"];

function nix(args: string[], cwd: string) {
  const r = spawnSync("nix", args, { cwd, env: nixEnv(), encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`nix ${args.slice(0, 2).join(" ")} failed in ${cwd}:\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

/** `eval.sh DIR SYSTEMS...` as it is: status and its report. Unpacks the real trees on first use. */
export function evalSh(dir: string, systems = REAL_SYSTEMS): { status: number; output: string } {
  const r = spawnSync("bash", [join(realNixpkgsDir, "eval.sh"), dir, ...systems], {
    encoding: "utf8",
    env: nixEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

const ALL_DRVS = `{ dir, systems }:
let
  f = builtins.getFlake dir;
  drvs = builtins.mapAttrs (_: v: v.drvPath);
in
builtins.listToAttrs (map (s: { name = s; value = {
  packages = drvs f.packages.\${s};
  checks = drvs f.checks.\${s};
  devShells = drvs f.devShells.\${s};
  apps = builtins.mapAttrs (_: a: a.program) f.apps.\${s};
}; }) systems)`;

export type Instantiated = Record<
  string,
  Record<"packages" | "checks" | "devShells" | "apps", Record<string, string>>
>;

/**
 * Every `packages`, `checks`, `devShells` and `apps` attribute of the flake in `dir`, instantiated against
 * the real nixpkgs (unpacked by `evalSh` first): a copy of the flake is locked to them, so the generated
 * flake.nix is used unchanged. Returns the .drv paths (apps: their programs).
 */
export function instantiateReal(dir: string, systems = REAL_SYSTEMS): Instantiated {
  if (!existsSync(join(realCache, ".stamp")))
    throw new Error(`run evalSh first: ${realCache} is not unpacked`);
  const copy = join(tempDir("real-nixpkgs"), "flake");
  cpSync(dir, copy, { recursive: true, filter: (src) => !/\/(result[^/]*|target)$/.test(src) });
  nix(
    [
      "flake",
      "lock",
      "--override-input",
      "nixpkgs",
      `path:${realCache}/nixpkgs`,
      "--override-input",
      "rust-overlay",
      `path:${realCache}/rust-overlay`,
    ],
    copy,
  );
  const expr = `(${ALL_DRVS}) { dir = ${JSON.stringify(`path:${copy}`)}; systems = ${JSON.stringify(systems).replaceAll(",", " ")}; }`;
  return JSON.parse(nix(["eval", "--impure", "--json", "--expr", expr], copy));
}

export interface Derivation {
  builder: string;
  inputSrcs: string[];
  args: string[];
  env: Record<string, string>;
}

/** `nix show-derivation -r` of the given .drv paths: each derivation of their closures. */
export function derivationClosure(drvs: string[]): Map<string, Derivation> {
  const out = nix(["show-derivation", "-r", ...drvs], "/");
  return new Map(Object.entries(JSON.parse(out) as Record<string, Derivation>));
}

// An absolute path that is not in the store, where a builder, argument or variable could name one.
const hostPath = /(?:^|[\s:="'])(\/(?!nix\/store\/)[A-Za-z][^\s:"']*)/g;

/**
 * The host paths (outside /nix/store) that crateflake's own derivations (`isOurs`) name in their builder,
 * arguments or environment: `name: VAR=/path` lines, none when a unit builds the same anywhere.
 */
export function hostPathsOf(
  derivations: Map<string, Derivation>,
  isOurs: (drv: Derivation) => boolean,
): string[] {
  const found: string[] = [];
  for (const drv of derivations.values()) {
    if (!isOurs(drv)) continue;
    const name = drv.env.name ?? "";
    const fields: [string, string][] = [
      ["builder", drv.builder],
      ...drv.args.map((a, i): [string, string] => [`args[${i}]`, a]),
      // The user's own words, passed as Cargo passes them: CARGO_PKG_* and `links` from the manifest, a
      // `[target.X.links]` override's output from .cargo/config.toml (which may name host directories).
      ...Object.entries(drv.env).filter(
        ([k]) => !k.startsWith("CARGO_PKG_") && k !== "links" && k !== "buildScriptOutput",
      ),
    ];
    for (const [field, value] of fields) {
      for (const m of value.matchAll(hostPath)) found.push(`${name}: ${field}=${m[1]}`);
    }
  }
  return [...new Set(found)].sort();
}
