/**
 * The test checks run tests as `cargo test` does, on a suite shaped like ripgrep's (test/fixtures/checks/exe):
 * integration tests that find the program beside their own executable (`current_exe()`, then `deps/..`),
 * doctests of a workspace member named from the workspace root (`crates/globish/src/lib.rs - f (line 5)`),
 * and `[checks] test-args` as `cargo test -- ARGS`. Cargo is the oracle: the list of test names and
 * results of `nix build .#checks.<system>.test-<member>` equals `cargo test`'s, with the same arguments.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { nix, nixBuild } from "../e2e/flake.ts";
import { runCli } from "../support/cli.ts";
import { needCargo, needNix, needRegistry, nixEnv, rustupEnv } from "../support/env.ts";
import { exeFixture, fixtureCopy, results } from "./support.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
const check = (name: string) => `checks.${system}.${name}`;
const needRustdoc = existsSync("/root/.cargo/bin/rustdoc")
  ? false
  : "no rustdoc in /root/.cargo/bin (the stand-in nixpkgs' rustc has none)";
const members = ["findit", "globish"];

/**
 * The results of a test check, passing or not: `nix build --keep-going` it, then read the build log of
 * each harness run and doctest derivation it depends on.
 */
function checkResults(dir: string, attr: string): { results: string[]; code: number | null } {
  const build = nix(dir, ["build", "--no-link", "--keep-going", `.#${attr}`]);
  const drv = nix(dir, ["eval", "--raw", `.#${attr}.drvPath`]);
  assert.equal(drv.code, 0, drv.stderr);
  const refs = spawnSync("nix-store", ["-q", "--references", drv.stdout], {
    env: nixEnv(),
    encoding: "utf8",
  });
  assert.equal(refs.status, 0, refs.stderr);
  const runs = refs.stdout.split("\n").filter((p) => /-(run|doctest)\.drv$/.test(p));
  assert.ok(runs.length > 0, refs.stdout);
  const logs = runs.map((r) => nix(dir, ["log", r]).stdout);
  return { results: results(logs.join("\n")), code: build.code };
}

/** `cargo test --workspace --no-fail-fast -- ARGS` in a copy of the fixture: its results and exit code. */
function cargoTest(args: string[]): { results: string[]; code: number | null } {
  const dir = fixtureCopy("checks-exe-cargo", exeFixture);
  const r = spawnSync("cargo", ["test", "--workspace", "--no-fail-fast", "--", ...args], {
    cwd: dir,
    env: rustupEnv,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(!/error: could not compile/.test(r.stderr), r.stderr);
  return { results: results(r.stdout), code: r.status };
}

/** Sets crateflake.toml's `[checks]` lines and regenerates the data. */
function configure(dir: string, checks: string): void {
  const config = join(dir, "crateflake.toml");
  const outputs = readFileSync(config, "utf8").split("\n[checks")[0];
  writeFileSync(config, `${outputs}${checks}`);
  const r = runCli(["generate", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
}

describe("test checks laid out as cargo test runs them", {
  skip: needNix || needRegistry || needCargo || needRustdoc,
}, () => {
  let dir: string;
  before(() => {
    dir = fixtureCopy("checks-exe", exeFixture);
    const r = runCli(["init", "--quiet", dir]);
    assert.equal(r.code, 0, r.stderr);
  });

  test('with test-args = ["--skip", "network"], the checks pass and run what cargo test -- --skip network runs', () => {
    configure(dir, '\n[checks]\ntest-args = ["--skip", "network"]\n');
    const ours = members.flatMap((m) =>
      results(readFileSync(join(nixBuild(dir, check(`test-${m}`)), "test.log"), "utf8")),
    );
    const cargo = cargoTest(["--skip", "network"]);
    assert.equal(cargo.code, 0);
    assert.deepEqual(ours.sort(), cargo.results);
    // What the fixture is about, spelled out: the binary found from current_exe(), Cargo's doctest names.
    for (const line of [
      "test finds_the_binary_beside_the_test ... ok",
      "test finds_the_binary_relative_to_deps ... ok",
      "test runs_in_the_package_root ... ok",
      "test crates/globish/src/lib.rs - matches (line 5) ... ok",
      "test crates/globish/src/lib.rs - ROOT (line 20) ... ok",
    ])
      assert.ok(ours.includes(line), `${line} in:\n${ours.join("\n")}`);
  });

  test("without test-args the network tests fail, under cargo test and in the checks alike", () => {
    configure(dir, "");
    const cargo = cargoTest([]);
    assert.notEqual(cargo.code, 0);
    assert.ok(cargo.results.includes("test network_fetch ... FAILED"), cargo.results.join("\n"));
    assert.ok(cargo.results.includes("test crates/globish/src/lib.rs - network (line 27) ... FAILED"));
    const ours = members.map((m) => checkResults(dir, check(`test-${m}`)));
    for (const r of ours) assert.notEqual(r.code, 0);
    assert.deepEqual(ours.flatMap((r) => r.results).sort(), cargo.results);
    // Nix's tail of the failing logs names the failure.
    const findit = nix(dir, ["build", "--no-link", `.#${check("test-findit")}`]);
    assert.match(findit.stderr, /no network here: run with --skip network/);
  });

  test("[checks.test-args] gives a package its own arguments; the others get none", () => {
    configure(dir, '\n[checks.test-args]\nglobish = ["--skip", "network"]\n');
    const globish = results(readFileSync(join(nixBuild(dir, check("test-globish")), "test.log"), "utf8"));
    assert.ok(!globish.some((l) => l.includes("network")), globish.join("\n"));
    const findit = nix(dir, ["build", "--no-link", `.#${check("test-findit")}`]);
    assert.notEqual(findit.code, 0);
    assert.match(findit.stderr, /network_fetch/);
  });
});
