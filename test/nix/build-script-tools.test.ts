/**
 * A build script may run a configure script and make, as jemalloc-sys does (found by the sweep: its
 * configure stopped at `sed: command not found` under crateflake while Cargo's went on). Under Cargo it
 * has the developer's PATH; a build-script run gets stdenv's tools (nix/stdenv-tools.nix). The fixture
 * test/fixtures/nix/build-script-tools uses each of them: built by Nix through `crateflake init`, the
 * program prints what the one `cargo build --release` makes prints. A compile's PATH keeps only what
 * rustc needs, and against a real nixpkgs every tool is an attribute that exists.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  fixturesDir,
  needCargo,
  needNix,
  nixEnv,
  repoRoot,
  rustupEnv,
  sharedDir,
  tempDir,
} from "../support/env.ts";
import { copyDir, initAndBuildProgram, run } from "./support.ts";

const realNixpkgs = join(sharedDir, "nix/real-nixpkgs/eval.sh");
const needRealNixpkgs = existsSync(realNixpkgs) ? false : `no ${realNixpkgs}`;

describe("a build script that runs configure and make", { skip: needNix || needCargo }, () => {
  const dir = join(tempDir("build-script-tools"), "configure-tools");
  let expected: string;

  test("Cargo's build is the oracle", () => {
    copyDir(join(fixturesDir, "nix/build-script-tools"), dir);
    const target = tempDir("build-script-tools-target");
    run("cargo", ["build", "--release", "--offline", "-q", "--target-dir", target], rustupEnv, dir);
    expected = run(join(target, "release/configure-tools"), []);
    assert.equal(
      expected,
      "version 0.3.1\nwords with o: 2\nlongest: three\nrust sources: 2\nlast word: four\n",
    );
  });

  test("built by Nix through crateflake, it prints what Cargo's prints", () => {
    const bin = initAndBuildProgram(dir, "configure-tools");
    assert.equal(run(bin, []), expected);
  });

  test("against a real nixpkgs: the build-script run has stdenv's tools, the compile does not", {
    skip: needRealNixpkgs,
  }, () => {
    const r = spawnSync("bash", [realNixpkgs, dir, "x86_64-linux"], { env: nixEnv(), encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const drv = /^ok {3}packages\.x86_64-linux\.configure-tools (\S+)$/m.exec(r.stdout)?.[1];
    assert.ok(drv, r.stdout);
    const closure = run("nix-store", ["-qR", drv], nixEnv()).split("\n");
    type Shown = Record<string, { env: Record<string, string> }>;
    const pathOf = (suffix: string) => {
      const p = closure.find((d) => d.endsWith(suffix));
      assert.ok(p, `no ${suffix} in the closure`);
      return (JSON.parse(run("nix", ["show-derivation", p], nixEnv())) as Shown)[p].env.PATH;
    };
    const scriptPath = pathOf("-configure-tools-0.3.1-build-script-run.drv");
    for (const tool of [
      "findutils",
      "diffutils",
      "gnused",
      "gnugrep",
      "gawk",
      "gnumake",
      "bzip2",
      "xz",
      "patch",
    ])
      assert.match(scriptPath, new RegExp(`/nix/store/[a-z0-9]{32}-${tool}-[^/:]*/bin`), tool);
    assert.doesNotMatch(pathOf("-configure-tools-0.3.1-bin-configure-tools.drv"), /gnumake/);
    // Every attribute the list names exists in that nixpkgs (eval.sh unpacked it here).
    const cache = process.env.CRATEFLAKE_REAL_NIXPKGS ?? "/var/tmp/crateflake-real-nixpkgs";
    const missing = run(
      "nix-instantiate",
      [
        "--eval",
        "--strict",
        "--json",
        "-E",
        `let pkgs = import ${cache}/nixpkgs { system = "x86_64-linux"; };
         in builtins.filter (a: !(pkgs ? \${a})) (import ${join(repoRoot, "nix/stdenv-tools.nix")})`,
      ],
      nixEnv(),
    );
    assert.deepEqual(JSON.parse(missing), []);
  });
});
