/**
 * `nix develop` on generated flakes, as a Rust developer uses it (stand-in inputs, test/stand-in):
 * - the cats sample (a native app and a wasm32 library): the shell's cargo and rustc are one toolchain
 *   with the wasm32 std (the stand-in rust-overlay's: Debian's cargo 1.65 and rustc 1.63), first on
 *   PATH; openssl-sys's override gives pkg-config, openssl's .pc files and OPENSSL_NO_VENDOR; inside it
 *   `cargo build --release` makes an app that prints what cargo's app prints, and
 *   `cargo build --target wasm32-unknown-unknown -p wasm` a .wasm that exports `cat_url`.
 * - the checks fixture (native outputs only): the default toolchain (nixpkgs' rustc) with pkgs' cargo
 *   and clippy; `cargo test` inside gives the results `cargo test` gives outside, `cargo clippy` its lint.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { fixtureCopy, results } from "../checks/support.ts";
import { copyDir, overrideInputs } from "../nix/support.ts";
import { CAT_LINE, runWithCatServer, wasmExports } from "../support/cats.ts";
import { runCli } from "../support/cli.ts";
import {
  catsSampleDir,
  needCargo,
  needNix,
  needRegistry,
  nixEnv,
  rustupEnv,
  tempDir,
} from "../support/env.ts";

/**
 * `nix develop path:DIR -c bash -c SCRIPT` in DIR, with a fresh CARGO_HOME (the shell's cargo may be
 * another release than rustup's, which shares /root/.cargo) and cargo's target directory outside DIR
 * (a `path:` flake is copied to the store whole at each command).
 */
function inShell(dir: string, target: string, script: string) {
  const r = spawnSync("nix", ["develop", `path:${dir}`, ...overrideInputs, "-c", "bash", "-c", script], {
    cwd: dir,
    env: nixEnv({ CARGO_HOME: tempDir("cargo-home"), CARGO_TARGET_DIR: target }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function init(dir: string): void {
  const r = runCli(["init", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
}

describe("nix develop on the cats sample (app native, wasm for wasm32)", {
  skip: needNix || needRegistry,
}, () => {
  let dir: string;
  let target: string;
  before(() => {
    target = tempDir("dev-shell-target");
    dir = join(tempDir("dev-shell"), "cats-ws");
    copyDir(join(catsSampleDir(), "cats-ws"), dir);
    init(dir);
  });

  test("cargo and rustc are one toolchain with the wasm32 std, first on PATH; openssl-sys's inputs are there", () => {
    const r = inShell(
      dir,
      target,
      'command -v cargo rustc; echo "$PATH"; rustc --print sysroot; pkg-config --modversion openssl; echo "NO_VENDOR=$OPENSSL_NO_VENDOR"',
    );
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const [cargo, rustc, path, sysroot, openssl, noVendor] = r.stdout.trim().split("\n");
    assert.match(cargo, /^\/nix\/store\/[^/]+-rust-standin-debian-1\.63\/bin\/cargo$/);
    assert.equal(rustc, cargo.replace(/cargo$/, "rustc"));
    assert.equal(path.split(":")[0], cargo.replace(/\/cargo$/, ""));
    assert.ok(existsSync(join(sysroot, "lib/rustlib/wasm32-unknown-unknown/lib")), sysroot);
    assert.match(path, /-pkg-config-standin\/bin/);
    assert.match(openssl, /^\d+\.\d+/);
    assert.equal(noVendor, "NO_VENDOR=1");
  });

  test("cargo build --release: the app prints what cargo's app prints", async () => {
    const r = inShell(dir, target, "cargo build --release --offline -p app");
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    const run = await runWithCatServer(join(target, "release/app"));
    // CAT_LINE is what rustup's `cargo build --release` of the app prints (test/e2e/cats.test.ts).
    assert.equal(run.stdout, CAT_LINE, run.stderr);
  });

  test("cargo build --target wasm32-unknown-unknown -p wasm: a .wasm that exports cat_url", () => {
    const r = inShell(dir, target, "cargo build --release --offline --target wasm32-unknown-unknown -p wasm");
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    const wasm = readFileSync(join(target, "wasm32-unknown-unknown/release/wasm.wasm"));
    assert.ok(wasmExports(wasm).includes("cat_url"));
  });
});

describe("nix develop on a native-only workspace (the checks fixture)", {
  skip: needNix || needRegistry || needCargo,
}, () => {
  let dir: string;
  let target: string;
  before(() => {
    target = tempDir("dev-shell-target");
    dir = fixtureCopy("dev-shell-native");
    init(dir);
  });

  test("the default toolchain, then pkgs' cargo and clippy, first on PATH", () => {
    const r = inShell(dir, target, "command -v rustc cargo cargo-clippy clippy-driver");
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const found = r.stdout.trim().split("\n");
    assert.match(found[0], /^\/nix\/store\/[^/]+-rustc-standin-stable\/bin\/rustc$/);
    assert.match(found[1], /^\/nix\/store\/[^/]+-cargo-standin-stable\/bin\/cargo$/);
    assert.match(found[2], /^\/nix\/store\/[^/]+-clippy-standin-stable\/bin\/cargo-clippy$/);
    assert.match(found[3], /^\/nix\/store\/[^/]+-clippy-standin-stable\/bin\/clippy-driver$/);
  });

  test("cargo test inside gives cargo test's results outside", () => {
    const inside = inShell(dir, target, "cargo test --offline --workspace --no-fail-fast");
    assert.equal(inside.code, 0, inside.stderr.slice(-4000));
    const outside = spawnSync("cargo", ["test", "--offline", "--workspace", "--no-fail-fast"], {
      cwd: dir,
      env: { ...rustupEnv, CARGO_TARGET_DIR: tempDir("dev-shell-cargo") },
      encoding: "utf8",
    });
    assert.equal(outside.status, 0, outside.stderr);
    const ran = results(inside.stdout);
    assert.ok(ran.length >= 5, inside.stdout);
    assert.deepEqual(ran, results(outside.stdout));
  });

  test("cargo clippy inside shows the fixture's lint", () => {
    const r = inShell(dir, target, "cargo clippy --offline --workspace");
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    assert.match(r.stderr, /warning: unneeded `return` statement/);
  });
});
