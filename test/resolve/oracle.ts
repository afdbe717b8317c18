/**
 * Runs Cargo's unit graph (../shared/rust/unit-graph.sh) without blocking, a few at a time, with a
 * private CARGO_HOME so that other cargo processes on the machine do not hold the package-cache lock.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { registryDir, rustupEnv, sharedDir, tempDir } from "../support/env.ts";

const cargoHome = tempDir("cargo-home");
const limit = 2;
let running = 0;
const queue: (() => void)[] = [];

async function slot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= limit) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await f();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Cargo's unit graph for `cargo build` (or `cargo test --no-run` with `tests`) with `args`; `env` can
 * name the CARGO_HOME that fetched a project's git dependencies (the oracle runs `--offline`). */
export function cargoUnitGraphAsync(
  manifestPath: string,
  args: string[],
  tests: boolean,
  env: NodeJS.ProcessEnv = {},
): Promise<UnitGraph> {
  const script = join(sharedDir, "rust/unit-graph.sh");
  // --locked: a run that would have to change Cargo.lock fails instead of quietly rewriting it.
  const argv = [script, ...(tests ? ["--tests"] : []), "--manifest-path", manifestPath, "--locked", ...args];
  return slot(
    () =>
      new Promise<UnitGraph>((resolve, reject) => {
        execFile(
          "bash",
          argv,
          {
            env: { ...rustupEnv, CARGO_HOME: cargoHome, ...env },
            maxBuffer: 256 * 1024 * 1024,
            encoding: "utf8",
          },
          (err, stdout, stderr) => {
            if (err) reject(new Error(`cargo failed: ${argv.join(" ")}\n${stderr}`));
            else resolve(JSON.parse(stdout) as UnitGraph);
          },
        );
      }),
  );
}

/** Cargo's error for a command that fails (null when it succeeds). */
export function cargoErrorAsync(manifestPath: string, args: string[]): Promise<string | null> {
  const script = join(sharedDir, "rust/unit-graph.sh");
  return slot(
    () =>
      new Promise<string | null>((resolve) => {
        execFile(
          "bash",
          [script, "--manifest-path", manifestPath, "--locked", ...args],
          { env: { ...rustupEnv, CARGO_HOME: cargoHome }, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
          (err, _stdout, stderr) => resolve(err ? stderr : null),
        );
      }),
  );
}

/** A copy of a fixture pointed at the offline registry; `resolver` patches the root manifest's resolver. */
export function fixtureCopy(fixture: string, resolver?: string): string {
  const dir = tempDir("plan");
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, ".cargo"), { recursive: true });
  writeFileSync(
    join(dir, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`,
  );
  if (resolver) {
    const path = join(dir, "Cargo.toml");
    let text = readFileSync(path, "utf8");
    if (/^resolver = "\d"$/m.test(text))
      text = text.replace(/^resolver = "\d"$/m, `resolver = "${resolver}"`);
    else if (text.startsWith("[workspace]"))
      text = text.replace("[workspace]\n", `[workspace]\nresolver = "${resolver}"\n`);
    else text = text.replace("[package]\n", `[package]\nresolver = "${resolver}"\n`);
    writeFileSync(path, text);
  }
  return dir;
}
