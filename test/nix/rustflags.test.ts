/**
 * Rustflags and CARGO_PRIMARY_PACKAGE as Cargo passes them (test/fixtures/nix/rustflags): its
 * `.cargo/config.toml` sets `[build]` and `[target.'cfg(...)']` rustflags (one of them only matches in
 * Cargo's second round), a `--cfg` of them turns on a `[target.'cfg(...)'.dependencies]` entry, its build
 * script reports CARGO_ENCODED_RUSTFLAGS, CARGO_CFG_* and whether it was compiled with the flags, and the
 * program and its path dependency print CARGO_PRIMARY_PACKAGE. `crateflake init` and `nix build` must give
 * what `cargo build --release --target <host>` gives (crateflake builds with an explicit target): the
 * program's output and every crate's `--cfg`s; the test checks, planned as `cargo test` (no `--target`,
 * so the flags reach the build script too), pass the fixture's own assertions, as `cargo test` does.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostPlanOptions, hostTripleOf } from "../../src/resolve/platforms.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { runCli } from "../support/cli.ts";
import {
  cargoUnitGraph,
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  registryDir,
  rustupEnv,
  tempDir,
} from "../support/env.ts";
import { copyDir, nixBuild, recordedRustcArgs, run, shellWords } from "./support.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
const host = hostTripleOf(process.platform, process.arch);
const needRustdoc = existsSync("/root/.cargo/bin/rustdoc") ? false : "no rustdoc in /root/.cargo/bin";

/** Cargo with rustup's toolchain, without rustflags from the environment (they would win over config). */
const cargoEnv = (): NodeJS.ProcessEnv => {
  const env = { ...rustupEnv };
  delete env.RUSTFLAGS;
  delete env.CARGO_ENCODED_RUSTFLAGS;
  return env;
};

/** crate name → the `--cfg` values of its rustc call, in order (none of the fixture's are features). */
function cfgsOf(args: string[]): [string, string[]] {
  const cfgs: string[] = [];
  for (let i = 0; i < args.length; i++) if (args[i] === "--cfg") cfgs.push(args[++i]);
  return [args[args.indexOf("--crate-name") + 1], cfgs];
}

describe("rustflags and CARGO_PRIMARY_PACKAGE as Cargo passes them", {
  skip: needNix || needCargo || needRegistry || needRustdoc,
  timeout: 20 * 60_000,
}, () => {
  let dir: string;
  let cargoOutput: string;
  const cargoCfgs = new Map<string, string[]>();
  before(() => {
    dir = join(tempDir("rustflags"), "rustflags");
    copyDir(join(fixturesDir, "nix/rustflags"), dir);
    const config = join(dir, ".cargo/config.toml");
    writeFileSync(
      config,
      `${readFileSync(config, "utf8")}\n[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`,
    );
    run("cargo", ["generate-lockfile", "--offline"], cargoEnv(), dir);
    const target = tempDir("rustflags-target");
    const build = ["build", "-v", "--offline", "--release", "--target", host];
    const log = run(
      "bash",
      ["-c", 'cargo "$@" 2>&1', "cargo", ...build],
      { ...cargoEnv(), CARGO_TARGET_DIR: target },
      dir,
    );
    for (const line of log.split("\n")) {
      const m = /Running `(.*)`$/.exec(line.trim());
      if (!m) continue;
      const words = shellWords(m[1]);
      if (words.includes("--crate-name")) {
        const [name, cfgs] = cfgsOf(words);
        cargoCfgs.set(name, cfgs);
      }
    }
    cargoOutput = run(join(target, host, "release/rustflags-demo"), []);
    const r = runCli(["init", "--quiet", dir]);
    assert.equal(r.code, 0, r.stderr);
  });

  test("the unit graph is Cargo's, with and without --target: the flag's --cfg turns on itoa", async () => {
    const manifest = join(dir, "Cargo.toml");
    const project = await loadProject(manifest);
    for (const args of [["--target", host], []]) {
      const cargo = cargoUnitGraph(manifest, args) as UnitGraph;
      assert.ok(
        cargo.units.some((u) => u.pkg_id.includes("itoa")),
        "cargo builds itoa",
      );
      const ours = planUnitGraph(project, { targets: args.slice(1), ...hostPlanOptions(host) });
      assert.deepEqual(diffUnitGraphs(ours, cargo), [], args.join(" "));
    }
  });

  test("the Nix-built program prints what Cargo's prints", () => {
    // What the fixture shows, as Cargo built it.
    assert.match(cargoOutput, /crateflake_flag: true\nfrom_build: false\nhelper level: high\nitoa: 12345\n/);
    assert.match(
      cargoOutput,
      /build script compiled with flag: false\nprimary: Some\("1"\)\nhelper primary: None/,
    );
    const out = nixBuild(dir, "rustflags-demo");
    assert.equal(run(join(out, "bin/rustflags-demo"), []), cargoOutput);
  });

  test("every crate gets the --cfg values Cargo gives it, in Cargo's order", () => {
    assert.deepEqual(cargoCfgs.get("helper"), ['level="high"', "crateflake_flag"]);
    assert.deepEqual(cargoCfgs.get("build_script_build"), []);
    const ours = new Map<string, string[]>();
    // Units of the release output only (test-profile units are not built by this test).
    for (const { args } of recordedRustcArgs(dir)) {
      if (!args.includes("--crate-name") || args.includes("--test")) continue;
      const [name, cfgs] = cfgsOf(args);
      ours.set(name, cfgs);
    }
    assert.deepEqual(
      [...ours].sort(([a], [b]) => a.localeCompare(b)),
      [...cargoCfgs].sort(([a], [b]) => a.localeCompare(b)),
    );
  });

  test("the test checks pass the fixture's assertions, as cargo test does", () => {
    const env = cargoEnv();
    for (const args of [
      ["test", "--offline"],
      ["test", "--offline", "-p", "helper"],
    ])
      run("cargo", args, { ...env, CARGO_TARGET_DIR: tempDir("rustflags-test-target") }, dir);
    for (const name of ["test-rustflags-demo", "test-helper"]) nixBuild(dir, `checks.${system}.${name}`);
  });
});
