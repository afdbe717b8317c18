/**
 * `init` on a library crate alone (test/fixtures/checks/lib-only: `tally`, a lib on itoa with a unit test
 * and a doctest). It used to stop with "no binaries or cdylibs to build" and write nothing; a Cargo user
 * expects what `cargo build --release`, `cargo test`, `cargo clippy` and `cargo doc` do there. Now the
 * library is an output (its rlib) and the package gets its test, clippy and doc checks; the test check
 * runs the tests `cargo test` runs, with the same results.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseConfig } from "../../src/generate/config.ts";
import { nix, nixBuild } from "../e2e/flake.ts";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, needRegistry, rustupEnv, tempDir } from "../support/env.ts";
import { fixtureCopy } from "./support.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;

/** `test NAME ... RESULT` lines of a libtest log, sorted (harnesses run in any order). */
const testLines = (log: string) =>
  log
    .split("\n")
    .filter((l) => /^test .* \.\.\. \S+$/.test(l))
    .sort();

test("init on a library crate: its rlib as an output, and test/clippy/doc checks like cargo's", {
  skip: needNix || needRegistry || needCargo,
  timeout: 20 * 60_000,
}, () => {
  const dir = fixtureCopy("lib-only", join(fixturesDir, "checks/lib-only"));
  const init = runCli(["init", "--quiet", dir]);
  assert.equal(init.code, 0, init.stderr);
  const config = parseConfig(readFileSync(join(dir, "crateflake.toml"), "utf8"), "crateflake.toml");
  assert.deepEqual(
    config.outputs.map((o) => [o.name, o.package, o.target]),
    [["tally", "tally", "native"]],
  );
  const checks = nix(dir, ["eval", "--json", `.#checks.${system}`, "--apply", "builtins.attrNames"]);
  assert.equal(checks.code, 0, checks.stderr);
  assert.deepEqual(JSON.parse(checks.stdout), ["clippy-tally", "doc", "test-tally"]);

  // `cargo build --release` makes target/release/libtally.rlib; the output holds the library too.
  const lib = readdirSync(join(nixBuild(dir, "tally"), "lib"));
  assert.equal(lib.length, 1, lib.join(" "));
  assert.match(lib[0], /^libtally-[0-9a-f]+\.rlib$/);

  const cargo = spawnSync("cargo", ["test", "--offline"], {
    cwd: dir,
    env: { ...rustupEnv, CARGO_TARGET_DIR: tempDir("lib-only-target") },
    encoding: "utf8",
  });
  assert.equal(cargo.status, 0, cargo.stderr);
  const expected = testLines(cargo.stdout);
  assert.deepEqual(expected, ["test src/lib.rs - render (line 5) ... ok", "test tests::renders_zero ... ok"]);
  const log = readFileSync(join(nixBuild(dir, `checks.${system}.test-tally`), "test.log"), "utf8");
  assert.deepEqual(testLines(log), expected);
  nixBuild(dir, `checks.${system}.clippy-tally`);
  const doc = nixBuild(dir, `checks.${system}.doc`);
  assert.ok(readdirSync(doc, { recursive: true }).some((f) => String(f).endsWith("tally/fn.render.html")));
});
