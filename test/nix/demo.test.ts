/**
 * The demo fixture (test/fixtures/nix/demo): a bin over a lib whose build script writes code to OUT_DIR,
 * emits `cargo:rustc-cfg`, `rustc-env` and `links` metadata (read by the bin's build script as
 * DEP_GEN_ROOT), and a renamed proc-macro. Built through the generated flake from Cargo's own unit graph,
 * the binary must print what `cargo run` prints.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import {
  cargoUnitGraph,
  fixturesDir,
  needCargo,
  needNix,
  nixEnv,
  rustupEnv,
  tempDir,
} from "../support/env.ts";
import { copyDir, nix, nixBuild, overrideInputs, run, standIn, wouldBuild, writeFlake } from "./support.ts";

const skip = needNix || needCargo;

/** An edit never made before: sources are content-addressed, so a repeated edit would find its
 * derivations already built by an earlier run of this test. */
function edit(file: string): void {
  appendFileSync(file, `\n// edited ${process.pid} ${Date.now()} ${Math.random()}\n`);
}

async function setUp() {
  const root = join(tempDir("nix-demo"), "demo");
  copyDir(join(fixturesDir, "nix/demo"), root);
  const manifest = join(root, "Cargo.toml");
  const expected = run("cargo", ["run", "-q", "--offline", "--manifest-path", manifest], {
    ...rustupEnv,
    CARGO_TARGET_DIR: tempDir("nix-demo-target"),
  });
  const graph = cargoUnitGraph(manifest) as UnitGraph;
  const project = await loadProject(manifest);
  const inputs = ["Cargo.toml", "Cargo.lock", "crates/gen/Cargo.toml", "crates/shout/Cargo.toml"].map((f) =>
    join(root, f),
  );
  writeFlake(root, [{ name: "app", toolchain: "default", graph, project }], inputs);
  return { root, expected };
}

test("demo: the Nix-built binary prints what cargo run prints; rebuilds and staleness", {
  skip,
}, async (t) => {
  const { root, expected } = await setUp();
  const out = nixBuild(root, "app");
  assert.equal(run(join(out, "bin/demo"), []), expected);
  assert.match(expected, /cfg gen_has_answer: true/);
  assert.match(expected, /gen root: \/opt\/gen-root/);
  assert.match(expected, /cfg demo_new_syntax: true/);

  await t.test("the binary keeps no reference to sources or build-script outputs", () => {
    const refs = run("nix-store", ["-qR", realpathSync(join(out, "bin/demo"))])
      .trim()
      .split("\n");
    assert.equal(refs.length, 1, refs.join("\n"));
  });

  await t.test("a user's crate override reaches the build script (default.nix, no flakes)", () => {
    const expr = `(import ${root}/default.nix {
      pkgs = import ${standIn}/nixpkgs { };
      crateOverrides = { gen = { unit, pkg }: { env.GEN_EXTRA = "from the \${pkg.name} override"; }; };
    }).app`;
    const r = spawnSync("nix-build", ["--no-out-link", "-E", expr], { env: nixEnv(), encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    const output = run(join(r.stdout.trim(), "bin/demo"), []);
    assert.equal(output, expected.replace("extra: unset", "extra: from the gen override"));
    assert.match(expected, /extra: unset/);
  });

  await t.test("every unit rebuilt in the sandbox is bit-identical (nix-build --check)", () => {
    const units = `builtins.attrValues (import ${root}/default.nix { pkgs = import ${standIn}/nixpkgs { }; }).units`;
    const sandbox = [
      "--option",
      "sandbox",
      "true",
      "--option",
      "sandbox-paths",
      "/bin /usr /lib /lib64 /etc/alternatives /root/.rustup /root/.cargo /var/lib/dpkg",
    ];
    const build = spawnSync("nix-build", ["--no-out-link", "-E", units], { env: nixEnv(), encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr.slice(-3000));
    const check = spawnSync("nix-build", ["--no-out-link", "--check", "-E", units, ...sandbox], {
      env: nixEnv(),
      encoding: "utf8",
    });
    assert.equal(check.status, 0, check.stderr.slice(-3000));
    assert.equal(check.stdout.trim().split("\n").length, 7);
  });

  await t.test("editing the proc-macro rebuilds it and its dependents only", () => {
    assert.deepEqual(wouldBuild(root, "app"), []);
    edit(join(root, "crates/shout/src/lib.rs"));
    assert.deepEqual(wouldBuild(root, "app"), ["app", "rust-demo-0.1.0-bin-demo", "rust-shout-0.1.0"]);
  });

  await t.test("editing the lib rebuilds its units and dependents, not the proc-macro", () => {
    nixBuild(root, "app");
    edit(join(root, "crates/gen/src/lib.rs"));
    // gen's source tree changed, so its build script (compile and run) is rebuilt too, and so is the run
    // of demo's build script, which reads gen's `links` metadata; shout is not.
    assert.deepEqual(wouldBuild(root, "app"), [
      "app",
      "rust-demo-0.1.0-bin-demo",
      "rust-demo-0.1.0-build-script-run",
      "rust-gen-0.2.1",
      "rust-gen-0.2.1-build-script",
      "rust-gen-0.2.1-build-script-run",
    ]);
  });

  await t.test("a changed manifest fails evaluation with a message naming it", () => {
    const manifest = join(root, "crates/gen/Cargo.toml");
    const before = readFileSync(manifest, "utf8");
    appendFileSync(manifest, "\n# edited\n");
    const r = nix(["eval", "--raw", `path:${root}#packages.x86_64-linux.app.name`, ...overrideInputs], root);
    writeFileSync(manifest, before);
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /crateflake: crates\/gen\/Cargo.toml changed since the Nix data was generated; run crateflake generate/,
    );
  });
});
