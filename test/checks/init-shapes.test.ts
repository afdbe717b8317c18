/**
 * `init` on separate packages whose path package is no root's member (test/fixtures/init-shapes): it
 * used to crash with "internal error ... feature resolver did not reach". Each shape is planned as Cargo
 * plans it at app's root (the oracle, where Cargo answers), then `init`, `nix build` of the output and
 * of every check, and the app prints what `cargo run --release` prints.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { UserError } from "../../src/errors.ts";
import { type PlanOptions, planUnitGraph } from "../../src/resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { nix, nixBuild } from "../e2e/flake.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { cargoErrorAsync, cargoUnitGraphAsync, fixtureCopy } from "../resolve/oracle.ts";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, needRegistry, rustupEnv, tempDir } from "../support/env.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
const host = hostTripleOf(process.platform, process.arch);
const shape = (name: string) => fixtureCopy(join(fixturesDir, "init-shapes", name));

/** Our plan as the checks ask for it: no manifest, so Cargo at the root of the loaded project. */
async function ours(dir: string, opts: Partial<PlanOptions>): Promise<UnitGraph> {
  const project = await loadProject(join(dir, "app/Cargo.toml"), { quiet: true });
  return planUnitGraph(project, { hostTriple: host, matches: platformMatcher(), ...opts });
}

function assertSame(o: UnitGraph, cargo: UnitGraph, ignore?: RegExp): void {
  const diff = diffUnitGraphs(o, cargo).filter((line) => !ignore?.test(line));
  assert.ok(cargo.units.length > 0);
  assert.deepEqual(diff, [], `\n${diff.join("\n")}`);
}

/** The part of a graph below one unit, as a graph rooted there. */
function below(graph: UnitGraph, root: number): UnitGraph {
  const order: number[] = [];
  const index = new Map<number, number>();
  const visit = (i: number) => {
    if (index.has(i)) return;
    index.set(i, order.length);
    order.push(i);
    for (const d of graph.units[i].dependencies) visit(d.index);
  };
  visit(root);
  const units = order.map((i) => ({
    ...graph.units[i],
    dependencies: graph.units[i].dependencies.map((d) => ({ ...d, index: index.get(d.index) as number })),
  }));
  return { ...graph, units, roots: [0] };
}

describe("path packages that are no root's member, planned as Cargo at app's root", {
  skip: needRegistry || needCargo,
}, () => {
  test("resolver 1: `-p lib` has the current package's features (app turns on `loud`)", async () => {
    const dir = shape("v1-path");
    const manifest = join(dir, "app/Cargo.toml");
    for (const tests of [true, false]) {
      const args = tests ? ["-p", "lib"] : ["-p", "lib", "--release"];
      const cargo = await cargoUnitGraphAsync(manifest, args, tests);
      const plan = await ours(dir, { packages: ["lib"], tests, profile: tests ? undefined : "release" });
      assertSame(plan, cargo);
      assert.ok(plan.units.every((u) => !u.pkg_id.includes("lib#") || u.features.includes("loud")));
    }
  });

  test("an optional path dependency no feature turns on: Cargo's error, one line", async () => {
    const dir = shape("optional-path");
    const cargo = await cargoErrorAsync(join(dir, "app/Cargo.toml"), ["-p", "opt"]);
    assert.match(cargo ?? "cargo accepted it", /package ID specification `opt` did not match any packages/);
    await assert.rejects(
      ours(dir, { packages: ["opt"] }),
      (e: unknown) =>
        e instanceof UserError &&
        /^package ID specification `opt` did not match any packages/.test(e.message),
    );
    // Turned on, it is in the build.
    const cargoOn = await cargoUnitGraphAsync(join(dir, "app/Cargo.toml"), ["--features", "extra"], false);
    assertSame(await ours(dir, { features: ["extra"] }), cargoOn);
  });

  test("a path build-dependency: built as app's build uses it, for the host with host features", async () => {
    // Cargo itself panics on `-p b` ("did not find features for b NormalOrDev"); its build of app has
    // b's host unit, over memchr without default features.
    const dir = shape("build-dep-path");
    const cargo = await cargoUnitGraphAsync(join(dir, "app/Cargo.toml"), [], false);
    const b = cargo.units.findIndex((u) => u.target.name === "b" && u.mode === "build");
    assert.ok(b >= 0);
    const plan = await ours(dir, { packages: ["b"] });
    // Only the profile of b itself differs: a root gets the root's profile (as a proc-macro root does),
    // not the build-override profile of app's build-dependency (no debuginfo in dev).
    assertSame(plan, below(cargo, b), /^b@0\.1\.0 lib:b build host \[\]: profile debuginfo 2, cargo 0$/);
    assert.deepEqual(plan.units.map((u) => `${u.target.name} ${u.mode} [${u.features}]`).sort(), [
      "b build []",
      "build-script-build build []",
      "build-script-build run-custom-build []",
      "memchr build []",
    ]);
  });
});

/** What `cargo run --release` of app prints (rustup's cargo against the offline registry). */
function cargoRun(dir: string): string {
  const r = spawnSync("cargo", ["run", "-q", "--release", "--offline"], {
    cwd: join(dir, "app"),
    env: { ...rustupEnv, CARGO_TARGET_DIR: tempDir("init-shapes-target") },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const shapes: { name: string; checks: string[] }[] = [
  { name: "v1-path", checks: ["clippy-app", "clippy-lib", "doc", "test-app", "test-lib"] },
  // opt is never built: no check for it.
  { name: "optional-path", checks: ["clippy-app", "doc", "test-app"] },
  { name: "build-dep-path", checks: ["clippy-app", "clippy-b", "doc", "test-app", "test-b"] },
];

for (const { name, checks } of shapes) {
  describe(`init on ${name}, then nix build`, { skip: needNix || needRegistry || needCargo }, () => {
    let dir: string;
    before(() => {
      dir = shape(name);
      const r = runCli(["init", "--quiet", dir]);
      assert.equal(r.code, 0, r.stderr);
    });

    test("the checks are the ones planned", () => {
      const r = nix(dir, ["eval", "--json", `.#checks.${system}`, "--apply", "builtins.attrNames"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), checks);
    });

    test("every check builds", () => {
      for (const check of checks) nixBuild(dir, `checks.${system}.${check}`);
    });

    test("the app prints what cargo run --release prints", () => {
      const out = spawnSync(join(nixBuild(dir, "app"), "bin/app"), { encoding: "utf8" });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout, cargoRun(dir));
    });
  });
}

test("the path packages' own tests ran in their checks", { skip: needNix || needRegistry }, () => {
  const v1 = shape("v1-path");
  assert.equal(runCli(["init", "--quiet", v1]).code, 0);
  const lib = readFileSync(join(nixBuild(v1, `checks.${system}.test-lib`), "test.log"), "utf8");
  assert.match(lib, /test tests::greets_loudly_in_apps_build \.\.\. ok/);
  assert.match(lib, /test src\/lib\.rs - greeting \(line 3\) \.\.\. ok/);
  const bd = shape("build-dep-path");
  assert.equal(runCli(["init", "--quiet", bd]).code, 0);
  const b = readFileSync(join(nixBuild(bd, `checks.${system}.test-b`), "test.log"), "utf8");
  assert.match(b, /test tests::finds_x \.\.\. ok/);
});
