/**
 * The seed's sample, end to end as a user runs it: `crateflake init` on the workspace layout and on the
 * separate-packages layout, `nix build .#app .#wasm .#all` offline, the binary run against a local HTTP
 * server prints what the binary `cargo build` makes prints, the `.wasm` exports `cat_url`; then staleness
 * and incremental rebuilds.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { copyDir, nix, nixBuild, overrideInputs, wouldBuild } from "../nix/support.ts";
import { CAT_LINE, runWithCatServer, wasmExports } from "../support/cats.ts";
import { runCli } from "../support/cli.ts";
import { catsSampleDir, needNix, needRegistry, rustupEnv, tempDir } from "../support/env.ts";

const skip = needRegistry || needNix;

function initCopy(layout: string): string {
  const dir = join(tempDir("e2e"), layout);
  copyDir(join(catsSampleDir(), layout), dir);
  const r = runCli(["init", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

describe("the cats sample, workspace layout", { skip }, () => {
  let dir: string;

  test("init infers app (native) and wasm (wasm32)", () => {
    dir = initCopy("cats-ws");
    const config = readFileSync(join(dir, "crateflake.toml"), "utf8");
    assert.match(config, /name = "app"[\s\S]*target = "native"/);
    assert.match(config, /name = "wasm"[\s\S]*target = "wasm32-unknown-unknown"/);
    assert.equal(runCli(["check", "--quiet", dir]).code, 0);
  });

  test("nix build .#app: the binary prints what cargo's binary prints", async () => {
    const out = nixBuild(dir, "app");
    const ours = await runWithCatServer(join(out, "bin/app"));
    assert.equal(ours.stdout, CAT_LINE, ours.stderr);

    const target = tempDir("cargo-target");
    execFileSync("cargo", ["build", "--release", "--offline", "-q", "-p", "app", "--target-dir", target], {
      cwd: dir,
      env: rustupEnv,
      stdio: "pipe",
    });
    const theirs = await runWithCatServer(join(target, "release/app"));
    assert.equal(ours.stdout, theirs.stdout);
  });

  test("nix build .#wasm: a .wasm that exports cat_url, built by Debian's rustc", () => {
    const out = nixBuild(dir, "wasm");
    const bytes = readFileSync(join(out, "lib/wasm.wasm"));
    assert.ok(wasmExports(bytes).includes("cat_url"));
  });

  test("nix build .#all joins both", () => {
    const out = nixBuild(dir, "all");
    assert.ok(existsSync(join(out, "bin/app")));
    assert.ok(existsSync(join(out, "lib/wasm.wasm")));
  });

  test("editing cats rebuilds cats and its dependents only", () => {
    appendFileSync(join(dir, "cats/src/lib.rs"), '\npub fn meow() -> &\'static str { "meow" }\n');
    const rebuilt = wouldBuild(dir, "app");
    const crates = rebuilt.filter((d) => d.startsWith("rust-")).map((d) => d.replace(/^rust-/, ""));
    assert.deepEqual(
      crates.map((c) => c.split("-0.1.0")[0]),
      ["app", "cats"],
      `rebuilt: ${rebuilt.join(", ")}`,
    );
  });

  test("a Cargo.toml edited without regenerating: check exits 1, evaluation fails with the message", () => {
    appendFileSync(join(dir, "app/Cargo.toml"), "\n# edited\n");
    const r = runCli(["check", dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /run `crateflake generate`/);
    const ev = nix(["eval", "--raw", `path:${dir}#app.drvPath`, ...overrideInputs], dir);
    assert.notEqual(ev.status, 0);
    assert.match(
      ev.stderr,
      /app\/Cargo\.toml changed since the Nix data was generated; run crateflake generate/,
    );
    assert.equal(runCli(["generate", "--quiet", dir]).code, 0);
    assert.equal(runCli(["check", "--quiet", dir]).code, 0);
    assert.equal(nix(["eval", "--raw", `path:${dir}#app.drvPath`, ...overrideInputs], dir).status, 0);
  });
});

describe("the cats sample, separate packages joined by path", { skip }, () => {
  test("init finds both roots; app and wasm build; the shared cats is one derivation per target", async () => {
    const dir = initCopy("cats-sep");
    const config = readFileSync(join(dir, "crateflake.toml"), "utf8");
    assert.match(config, /manifest = "app\/Cargo.toml"/);
    assert.match(config, /manifest = "wasm\/Cargo.toml"/);
    const out = nixBuild(dir, "all");
    const run = await runWithCatServer(join(out, "bin/app"));
    assert.equal(run.stdout, CAT_LINE, run.stderr);
    assert.ok(wasmExports(readFileSync(join(out, "lib/wasm.wasm"))).includes("cat_url"));
  });
});
