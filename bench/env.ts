/** Where the benchmarks find their tools and keep their cached material. */
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const sharedDir = process.env.CRATEFLAKE_SHARED ?? resolve(repoRoot, "../shared");
export const registryDir = process.env.CRATEFLAKE_TEST_REGISTRY ?? "/var/tmp/crateflake-registry";

/** Cached synthetic projects and throw-away stores live here. */
export function benchCacheRoot(): string {
  return process.env.CRATEFLAKE_BENCH_DIR ?? "/var/tmp/crateflake-bench";
}

/** rustup's stable toolchain first on PATH, as a user runs cargo. */
export function rustupEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `/root/.cargo/bin:${process.env.PATH}`,
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? "/root/.rustup",
    CARGO_HOME: process.env.CARGO_HOME ?? "/root/.cargo",
    // stable, not a crate's own rust-toolchain file (sha1collisiondetection pins 1.46.0)
    RUSTUP_TOOLCHAIN: process.env.RUSTUP_TOOLCHAIN ?? "stable",
  };
}

let nixConfig: string | undefined;
/** The offline Nix settings of ../shared/nix/offline.env. */
export function nixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  nixConfig ??= execFileSync(
    "bash",
    ["-c", `. ${resolve(sharedDir, "nix/offline.env")} && printf %s "$NIX_CONFIG"`],
    { encoding: "utf8" },
  );
  return { ...rustupEnv(), NIX_CONFIG: nixConfig, ...extra };
}

export const hasGnuTime = spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0;
export const hasNix = spawnSync("nix", ["--version"]).status === 0;
