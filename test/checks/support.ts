/**
 * The checks fixture (test/fixtures/checks/pass): a workspace of `shapes` (lib with unit tests, a
 * doctest, an integration test that runs the package's `area` binary, an example; `cfg-if` from the
 * offline registry, `itoa` as a dev-dependency) and `draw` (a bin on shapes with a unit test and one
 * clippy warning). Copied to a temporary directory with a `.cargo/config.toml` that replaces crates.io
 * by the offline registry.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { copyTree } from "../e2e/flake.ts";
import { fixturesDir, registryDir, tempDir } from "../support/env.ts";

export const checksFixture = join(fixturesDir, "checks/pass");
/** ripgrep's shape: crates/findit (a bin whose integration tests find it from current_exe(), a test that
 * needs the network) and crates/globish (a lib with doctests, one needing the network). */
export const exeFixture = join(fixturesDir, "checks/exe");
/** Separate packages, no workspace: `tool` (bin, its own Cargo.lock) and `core-math`, a path dependency. */
export const separateFixture = join(fixturesDir, "checks/sep");

export function separateCopy(prefix = "checks-sep"): string {
  const dir = join(tempDir(prefix), "sep");
  copyTree(separateFixture, dir);
  return dir;
}

export function fixtureCopy(prefix = "checks", fixture = checksFixture): string {
  const dir = join(tempDir(prefix), "ws");
  copyTree(fixture, dir);
  useOfflineRegistry(dir);
  return dir;
}

/** Give a project copy a `.cargo/config.toml` that replaces crates.io by the offline registry (added to
 * the fixture's own config, if it has one). */
export function useOfflineRegistry(dir: string): void {
  mkdirSync(join(dir, ".cargo"), { recursive: true });
  appendFileSync(
    join(dir, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`,
  );
}

/** `test NAME ... ok|FAILED|ignored` lines of a test log, sorted: what ran and how it ended. */
export function results(log: string): string[] {
  return log
    .split("\n")
    .filter((l) => /^test .* \.\.\. (ok|FAILED|ignored)/.test(l))
    .sort();
}
