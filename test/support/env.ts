/**
 * What the tests find on this machine: the shared offline material (../shared), the local crate registry
 * made by scripts/setup.sh, Nix, and rustup's toolchains. A test that needs something missing is skipped
 * with the reason (never faked); `scripts/setup.sh` installs all of it, so CI runs everything.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedDir = process.env.CRATEFLAKE_SHARED ?? resolve(repoRoot, "../shared");
export const registryDir = process.env.CRATEFLAKE_TEST_REGISTRY ?? "/var/tmp/crateflake-registry";
export const fixturesDir = join(repoRoot, "test/fixtures");

/** rustup's toolchains and cargo, as the user (and the oracle scripts) run them. */
export const rustupEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `/root/.cargo/bin:${process.env.PATH}`,
  RUSTUP_HOME: process.env.RUSTUP_HOME ?? "/root/.rustup",
  CARGO_HOME: process.env.CARGO_HOME ?? "/root/.cargo",
};

export const hasRegistry = existsSync(join(registryDir, "index"));
export const hasNix = spawnSync("nix", ["--version"]).status === 0;
export const hasCargo = spawnSync("cargo", ["--version"], { env: rustupEnv }).status === 0;

/** Reason to skip a test that needs the offline registry, or false. */
export const needRegistry = hasRegistry
  ? false
  : `no offline registry at ${registryDir}: run scripts/setup.sh`;
export const needNix = hasNix ? false : "nix is not installed: run scripts/setup.sh";
export const needCargo = hasCargo ? false : "rustup's cargo is not installed";

/** NIX_CONFIG for offline Nix 2.8, from ../shared/nix/offline.env. */
export function nixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const config = execFileSync(
    "bash",
    ["-c", `. ${join(sharedDir, "nix/offline.env")} && printf %s "$NIX_CONFIG"`],
    {
      encoding: "utf8",
    },
  );
  return { ...process.env, NIX_CONFIG: config, ...extra };
}

/** A fresh temporary directory under the system tmp (or TEST_TMP). */
export function tempDir(prefix: string): string {
  const base = process.env.TEST_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `crateflake-${prefix}-`));
}

let catsSample: string | undefined;
/** The seed's sample in both layouts (`cats-ws`, `cats-sep/{cats,app,wasm}`), made once per test process. */
export function catsSampleDir(): string {
  if (!catsSample) {
    const dest = tempDir("cats");
    execFileSync("bash", [join(sharedDir, "rust/make-cats-sample.sh"), dest, registryDir], { stdio: "pipe" });
    catsSample = dest;
  }
  return catsSample;
}

/** Cargo's unit graph (the oracle), via ../shared/rust/unit-graph.sh. `args` are cargo build flags. */
export function cargoUnitGraph(manifestPath: string, args: string[] = [], tests = false): unknown {
  const script = join(sharedDir, "rust/unit-graph.sh");
  const out = execFileSync(
    "bash",
    [script, ...(tests ? ["--tests"] : []), "--manifest-path", manifestPath, ...args],
    {
      encoding: "utf8",
      env: rustupEnv,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return JSON.parse(out);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}
