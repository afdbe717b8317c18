/**
 * What the checks consist of, without Nix: the graphs `checkGraphs` plans for the fixture, the data the
 * emitter writes for them (`checks`, units of mode test/doctest), check names, the `[checks]` config,
 * and the roots of each test check against Cargo's own `cargo test --no-run` unit graph (the oracle).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { Project } from "../../src/cargo/model.ts";
import { UserError } from "../../src/errors.ts";
import { checkGraphs, checkNames, docRoots } from "../../src/generate/checks.ts";
import { DEFAULT_CHECKS, parseChecksConfig, renderChecksConfig } from "../../src/generate/checks-config.ts";
import { type Config, parseConfig, renderConfig } from "../../src/generate/config.ts";
import { memoPlanner } from "../../src/generate/planner.ts";
import { planOutput } from "../../src/generate/system-data.ts";
import type { NixData } from "../../src/nix/data.ts";
import { buildNixData } from "../../src/nix/emit.ts";
import { platformMatcher } from "../../src/resolve/platforms.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { cargoUnitGraph, needCargo, needRegistry } from "../support/env.ts";
import { fixtureCopy, separateCopy } from "./support.ts";

const HOST = "x86_64-unknown-linux-gnu";
const config: Config = {
  outputs: [
    {
      name: "draw",
      manifest: "Cargo.toml",
      package: "draw",
      target: "native",
      features: [],
      defaultFeatures: true,
    },
  ],
};

/** `name kind mode` of each root, sorted: how a test check and Cargo's graph are compared. */
function rootsOfGraph(g: UnitGraph): string[] {
  return g.roots
    .map((i) => `${g.units[i].target.name} ${g.units[i].target.kind.join(",")} ${g.units[i].mode}`)
    .sort();
}
function rootsOfCheck(data: NixData, name: string): string[] {
  return data
    .checks![name].roots.map(
      (k) => `${data.units[k].targetName} ${data.units[k].kind.join(",")} ${data.units[k].mode}`,
    )
    .sort();
}

describe("checks of the fixture workspace", { skip: needRegistry }, () => {
  let dir: string;
  let project: Project;
  let data: NixData;
  before(async () => {
    dir = fixtureCopy("checks-plan");
    project = await loadProject(join(dir, "Cargo.toml"), { quiet: true });
    const graphs = checkGraphs(new Map([["Cargo.toml", project]]), config, {
      hostTriple: HOST,
      matches: platformMatcher(),
    });
    data = buildNixData(graphs, { flakeRoot: dir, inputs: {} });
  });

  test("one test and one clippy check per member, one doc", () => {
    assert.deepEqual(Object.keys(data.checks!).sort(), [
      "clippy-draw",
      "clippy-shapes",
      "doc",
      "test-draw",
      "test-shapes",
    ]);
    assert.deepEqual(Object.keys(data.outputs), []);
    for (const c of Object.values(data.checks!)) assert.equal(c.toolchain, "default");
  });

  test("test-shapes: unit tests of lib and bin, the integration test, the doctest, the example", () => {
    assert.deepEqual(rootsOfCheck(data, "test-shapes"), [
      "area bin test",
      "custom test test",
      "demo example build",
      "integration test test",
      "shapes lib doctest",
      "shapes lib test",
    ]);
    const integration = data
      .checks!["test-shapes"].roots.map((k) => data.units[k])
      .find((u) => u.targetName === "integration")!;
    const depNames = integration.deps
      .map((d) => `${data.units[d.unit].targetName}:${data.units[d.unit].kind.join()}`)
      .sort();
    // The dev-dependency, the lib, and the package's binary (CARGO_BIN_EXE_area).
    assert.deepEqual(depNames, ["area:bin", "cfg_if:lib", "itoa:lib", "shapes:lib"]);
    // shapes has a build script: every compile of its targets gets the run's OUT_DIR, cfgs and env.
    for (const name of ["test-shapes", "clippy-shapes"])
      for (const k of data.checks![name].roots) {
        const run = data.units[k].buildScriptRun;
        assert.ok(run && data.units[run].mode === "run-custom-build", `${name}: ${k}`);
      }
    const harness = Object.fromEntries(
      data
        .checks!["test-shapes"].roots.map((k) => data.units[k])
        .filter((u) => u.mode === "test")
        .map((u) => [u.targetName, u.harness]),
    );
    assert.deepEqual(harness, { area: true, custom: false, integration: true, shapes: true });
    const doctest = data
      .checks!["test-shapes"].roots.map((k) => data.units[k])
      .find((u) => u.mode === "doctest")!;
    assert.ok(
      doctest.deps.some((d) => d.extern === "shapes"),
      "the doctest links the lib itself",
    );
  });

  test("clippy and doc reuse the release build: their roots are the lib and bins of it", () => {
    const clippy = data.checks!["clippy-shapes"].roots.map((k) => data.units[k]);
    assert.deepEqual(clippy.map((u) => `${u.targetName} ${u.mode} ${u.profile.name}`).sort(), [
      "area build release",
      "shapes build release",
    ]);
    assert.deepEqual(rootsOfCheck(data, "doc"), ["area bin build", "draw bin build", "shapes lib build"]);
    // No dev-dependency in the clippy/doc graphs.
    for (const name of ["clippy-shapes", "clippy-draw", "doc"])
      for (const k of data.checks![name].roots)
        assert.ok(!data.units[k].deps.some((d) => d.extern === "itoa"), `${name}: ${k}`);
  });

  test("with generate's planner, the native output and its clippy check are one plan and one set of units", () => {
    const plan = memoPlanner();
    const matches = platformMatcher();
    const output = planOutput(project, config.outputs[0], HOST, matches, plan);
    const graphs = checkGraphs(new Map([["Cargo.toml", project]]), config, {
      hostTriple: HOST,
      matches,
      plan,
    });
    const clippy = graphs.find((g) => g.name === "clippy-draw")!;
    assert.equal(clippy.graph, output, "the same graph object");
    const shared = buildNixData([{ name: "draw", toolchain: "default", graph: output, project }, ...graphs], {
      flakeRoot: dir,
      inputs: {},
    });
    assert.deepEqual(shared.checks!["clippy-draw"].roots, shared.outputs.draw.roots);
    // Sharing changes no byte: the checks alone give the same units as before.
    for (const [k, u] of Object.entries(data.units)) assert.deepEqual(shared.units[k], u);
  });

  for (const pkg of ["shapes", "draw"]) {
    test(`test-${pkg} has the roots of cargo test --no-run -p ${pkg}`, { skip: needCargo }, () => {
      const cargo = cargoUnitGraph(join(dir, "Cargo.toml"), ["-p", pkg], true) as UnitGraph;
      assert.deepEqual(rootsOfCheck(data, `test-${pkg}`), rootsOfGraph(cargo));
    });
  }

  test("[checks] turns checks off", () => {
    const graphs = checkGraphs(
      new Map([["Cargo.toml", project]]),
      { ...config, checks: { tests: true, clippy: false, doc: false, clippyArgs: [], testArgs: [] } },
      { hostTriple: HOST, matches: platformMatcher() },
    );
    assert.deepEqual(graphs.map((g) => g.name).sort(), ["test-draw", "test-shapes"]);
    const docOnly = checkGraphs(
      new Map([["Cargo.toml", project]]),
      { ...config, checks: { tests: false, clippy: false, doc: true, clippyArgs: [], testArgs: [] } },
      { hostTriple: HOST, matches: platformMatcher() },
    );
    assert.deepEqual([...new Set(docOnly.map((g) => g.name))], ["doc"]);
  });

  test("test checks: the member's directory in the workspace and [checks] test-args", () => {
    assert.deepEqual(data.checks!["test-shapes"].dir, "shapes");
    assert.deepEqual(data.checks!["test-shapes"].testArgs, []);
    assert.equal(data.checks!["clippy-shapes"].dir, undefined);
    const checks = { ...DEFAULT_CHECKS, testArgs: { draw: ["--skip", "slow"] } };
    const graphs = checkGraphs(
      new Map([["Cargo.toml", project]]),
      { ...config, checks },
      {
        hostTriple: HOST,
        matches: platformMatcher(),
      },
    );
    const testRuns = Object.fromEntries(
      graphs.filter((g) => g.check === "test").map((g) => [g.name, g.testRun]),
    );
    assert.deepEqual(testRuns, {
      "test-shapes": { dir: "shapes", testArgs: [] },
      "test-draw": { dir: "draw", testArgs: ["--skip", "slow"] },
    });
    // A package that has no test check is a user error naming crateflake.toml.
    const typo = { ...DEFAULT_CHECKS, testArgs: { drow: ["--skip", "slow"] } };
    assert.throws(
      () =>
        checkGraphs(
          new Map([["Cargo.toml", project]]),
          { ...config, checks: typo },
          {
            hostTriple: HOST,
            matches: platformMatcher(),
          },
        ),
      (e: Error) =>
        e instanceof UserError &&
        e.file === "crateflake.toml" &&
        /no tested package is named `drow` \(tested: draw, shapes\)/.test(e.message),
    );
  });
});

test("docRoots leaves out a bin named like the package's lib, as cargo doc does", () => {
  const unit = (name: string, kind: string) => ({
    pkg_id: "p",
    target: { kind: [kind], crate_types: [kind], name, src_path: "/x", edition: "2021" },
    profile: {} as UnitGraph["units"][0]["profile"],
    platform: null,
    mode: "build" as const,
    features: [],
    dependencies: [],
  });
  const g: UnitGraph = {
    version: 1,
    units: [unit("my-tool", "lib"), unit("my_tool", "bin"), unit("other", "bin")],
    roots: [0, 1, 2],
  };
  assert.deepEqual(docRoots(g).roots, [0, 2]);
});

test("checkNames: members of the same name in two roots get the root's directory", () => {
  const names = checkNames([
    { manifest: "a/Cargo.toml", members: ["core", "app"] },
    { manifest: "b/Cargo.toml", members: ["core"] },
  ]);
  assert.deepEqual([...names.values()], ["core", "app", "core-b"]);
});

test("[checks] in crateflake.toml: parsed, checked, rendered back", () => {
  const text = `[[output]]\nname = "x"\nmanifest = "Cargo.toml"\npackage = "x"\n\n[checks]\ndoc = false\nclippy-args = ["-D", "warnings"]\n`;
  const parsed = parseConfig(text, "crateflake.toml");
  assert.deepEqual(parsed.checks, {
    tests: true,
    clippy: true,
    doc: false,
    clippyArgs: ["-D", "warnings"],
    testArgs: [],
  });
  assert.deepEqual(parseConfig(renderConfig(parsed), "crateflake.toml"), parsed);
  // test-args: a list for every test check, or a table per package; both rendered back.
  for (const tail of [
    'test-args = ["--skip", "network"]\n',
    '\n[checks.test-args]\n"my-tool" = ["--skip", "a b"]\n',
  ]) {
    const withArgs = parseConfig(`${text}${tail}`, "crateflake.toml");
    assert.deepEqual(parseConfig(renderConfig(withArgs), "crateflake.toml"), withArgs);
  }
  assert.deepEqual(parseConfig(`${text}test-args = ["--skip", "network"]\n`, "f").checks?.testArgs, [
    "--skip",
    "network",
  ]);
  assert.deepEqual(parseChecksConfig({ "test-args": { "my-tool": ["--skip", "a b"] } }, "f").testArgs, {
    "my-tool": ["--skip", "a b"],
  });
  assert.throws(() => parseChecksConfig({ "test-args": "--skip network" }, "f"), /`test-args` must be/);
  assert.throws(() => parseChecksConfig({ "test-args": ["a\nb"] }, "f"), /line break/);
  assert.throws(() => parseChecksConfig({ "test-args": { x: "--skip" } }, "f"), /\[checks.test-args\]: `x`/);
  assert.deepEqual(renderChecksConfig(parseChecksConfig(undefined, "f")), []);
  assert.throws(() => parseChecksConfig({ tests: "yes" }, "f"), UserError);
  assert.throws(() => parseChecksConfig({ "clippy-args": "-D warnings" }, "f"), UserError);
  assert.throws(() => parseChecksConfig({ lint: true }, "f"), /unknown key `lint`/);
});

describe("checks of separate packages joined by a path", () => {
  let dir: string;
  let data: NixData;
  before(async () => {
    dir = separateCopy();
    const project = await loadProject(join(dir, "tool/Cargo.toml"), { quiet: true });
    const cfg: Config = {
      outputs: [{ ...config.outputs[0], name: "tool", manifest: "tool/Cargo.toml", package: "tool" }],
    };
    const graphs = checkGraphs(new Map([["tool/Cargo.toml", project]]), cfg, {
      hostTriple: HOST,
      matches: platformMatcher(),
    });
    data = buildNixData(graphs, { flakeRoot: dir, inputs: {} });
  });

  test("the path dependency, no member of the root, is checked too", () => {
    assert.deepEqual(Object.keys(data.checks!).sort(), [
      "clippy-core-math",
      "clippy-tool",
      "doc",
      "test-core-math",
      "test-tool",
    ]);
    assert.deepEqual(rootsOfCheck(data, "doc"), ["core_math lib build", "tool bin build"]);
    // Each is its own workspace root (core is outside tool's): doctests are named from the package root.
    assert.equal(data.checks!["test-core-math"].dir, "");
    assert.equal(data.checks!["test-tool"].dir, "");
  });

  test("test-core-math has the roots of cargo test --no-run -p core-math from tool/", {
    skip: needCargo,
  }, () => {
    const cargo = cargoUnitGraph(join(dir, "tool/Cargo.toml"), ["-p", "core-math"], true) as UnitGraph;
    assert.deepEqual(rootsOfCheck(data, "test-core-math"), rootsOfGraph(cargo));
  });
});
