/**
 * The emitter, without Nix: byte-stable output free of the flake's absolute paths, unit keys that follow
 * what determines a unit's output, and one entry for a unit reached from several graphs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { EmitGraph, NixData } from "../../src/nix/data.ts";
import { buildNixData, emitNixData } from "../../src/nix/emit.ts";
import { flakeOutputs, flakeOutputsNix } from "../../src/nix/flake.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import {
  cargoUnitGraph,
  catsSampleDir,
  fixturesDir,
  needCargo,
  needRegistry,
  tempDir,
} from "../support/env.ts";
import { copyDir } from "./support.ts";

async function demoGraph(dir: string): Promise<EmitGraph> {
  copyDir(join(fixturesDir, "nix/demo"), dir);
  const manifest = join(dir, "Cargo.toml");
  return {
    name: "app",
    toolchain: "default",
    graph: cargoUnitGraph(manifest) as UnitGraph,
    project: await loadProject(manifest),
  };
}

function unitNamed(data: NixData, pkg: string, kind: string, mode = "build"): string {
  const keys = Object.keys(data.units).filter((k) => {
    const u = data.units[k];
    return data.packages[u.package].name === pkg && u.kind.includes(kind) && u.mode === mode;
  });
  assert.equal(keys.length, 1, `${pkg} ${kind} ${mode}: ${keys.join(" ")}`);
  return keys[0];
}

test("the same project in two directories gives the same bytes, with no absolute path", {
  skip: needCargo,
}, async () => {
  const a = join(tempDir("emit-a"), "demo");
  const b = join(tempDir("emit-b"), "somewhere/else/demo");
  const inputs = { "Cargo.lock": "00" };
  const textA = emitNixData([await demoGraph(a)], { flakeRoot: a, inputs });
  const textB = emitNixData([await demoGraph(b)], { flakeRoot: b, inputs });
  assert.equal(textA, textB);
  assert.ok(!textA.includes(a) && !textA.includes("/tmp"), "an absolute path leaked into the data");
  const data = JSON.parse(textA) as NixData;
  assert.deepEqual(
    Object.values(data.packages).map((p) => p.source),
    [
      { kind: "path", path: "." },
      { kind: "path", path: "crates/gen" },
      { kind: "path", path: "crates/shout" },
    ],
  );
});

test("units: build-script links, externs with renames, run deps, keys that follow features", {
  skip: needCargo,
}, async () => {
  const root = join(tempDir("emit-keys"), "demo");
  const g = await demoGraph(root);
  const data = buildNixData([g], { flakeRoot: root, inputs: {} });
  const bin = data.units[unitNamed(data, "demo", "bin")];
  const gen = unitNamed(data, "gen", "lib");
  const shout = unitNamed(data, "shout", "proc-macro");
  assert.deepEqual(bin.deps, [
    { unit: gen, extern: "gen" },
    { unit: shout, extern: "shout_macro" },
  ]);
  assert.equal(bin.buildScriptRun, unitNamed(data, "demo", "custom-build", "run-custom-build"));
  const demoRun = data.units[unitNamed(data, "demo", "custom-build", "run-custom-build")];
  assert.deepEqual(demoRun.linksDeps, [unitNamed(data, "gen", "custom-build", "run-custom-build")]);
  assert.equal(demoRun.buildScript, unitNamed(data, "demo", "custom-build"));
  assert.equal(data.units[gen].metadata, gen.slice(-16));
  assert.deepEqual(data.units[gen].features, ["default", "loud"]);

  // Drop gen's `loud` feature: gen's units and everything above them get new keys, shout keeps its own.
  const graph = structuredClone(g.graph);
  for (const u of graph.units)
    if (u.pkg_id.includes("gen")) u.features = u.features.filter((f) => f !== "loud");
  const changed = buildNixData([{ ...g, graph }], { flakeRoot: root, inputs: {} });
  assert.equal(unitNamed(changed, "shout", "proc-macro"), shout);
  assert.notEqual(unitNamed(changed, "gen", "lib"), gen);
  assert.notEqual(unitNamed(changed, "demo", "bin"), unitNamed(data, "demo", "bin"));
});

test("ranks: a unit goes before its dependencies; the heaviest chain of .rs files below goes first", {
  skip: needCargo,
}, async () => {
  const root = join(tempDir("emit-rank"), "demo");
  const data = buildNixData([await demoGraph(root)], { flakeRoot: root, inputs: {} });
  for (const [key, u] of Object.entries(data.units)) {
    const below = [...u.deps.map((d) => d.unit), u.buildScriptRun, u.buildScript, ...u.linksDeps];
    for (const dep of below) if (dep) assert.ok(u.rank < data.units[dep].rank, `${key} before ${dep}`);
  }
  // Heights are 4 a unit plus its package's .rs files (demo: build.rs and src/main.rs; gen: build.rs and
  // src/lib.rs; shout: src/lib.rs) plus the tallest dependency; the rank is 9999 minus the height.
  const rank = (pkg: string, kind: string, mode = "build") =>
    data.units[unitNamed(data, pkg, kind, mode)].rank;
  assert.equal(rank("shout", "proc-macro"), 9999 - 5);
  assert.equal(rank("gen", "custom-build"), 9999 - 6);
  assert.equal(rank("gen", "custom-build", "run-custom-build"), 9999 - 10);
  assert.equal(rank("gen", "lib"), 9999 - 16);
  assert.equal(rank("demo", "custom-build", "run-custom-build"), 9999 - 14);
  assert.equal(rank("demo", "bin"), 9999 - 22);
});

test("a unit reached from two outputs is one entry", { skip: needCargo }, async () => {
  const root = join(tempDir("emit-twice"), "demo");
  const g = await demoGraph(root);
  const once = buildNixData([g], { flakeRoot: root, inputs: {} });
  const twice = buildNixData([g, { ...g, name: "again" }], { flakeRoot: root, inputs: {} });
  assert.equal(Object.keys(twice.units).length, Object.keys(once.units).length);
  assert.deepEqual(twice.outputs.again.roots, twice.outputs.app.roots);
  // Another toolchain is another compiler: nothing is shared.
  const other = buildNixData([g, { ...g, name: "other", toolchain: "nightly" }], {
    flakeRoot: root,
    inputs: {},
  });
  assert.equal(Object.keys(other.units).length, 2 * Object.keys(once.units).length);
});

test("two separate roots (no workspace) share the units whose inputs agree, and only those", {
  skip: needCargo || needRegistry,
}, async () => {
  const root = join(catsSampleDir(), "cats-sep");
  const graphs: EmitGraph[] = [];
  for (const name of ["app", "wasm"]) {
    const manifest = join(root, name, "Cargo.toml");
    graphs.push({
      name,
      toolchain: "default",
      graph: cargoUnitGraph(manifest) as UnitGraph,
      project: await loadProject(manifest),
    });
  }
  const data = buildNixData(graphs, { flakeRoot: root, inputs: {} });
  const count = (pkg: string, kind: string) =>
    Object.values(data.units).filter(
      (u) => data.packages[u.package].name === pkg && u.kind.includes(kind) && u.mode === "build",
    ).length;
  // Leaves with the same features are one derivation for both roots...
  assert.equal(count("itoa", "lib"), 1);
  assert.equal(count("unicode-ident", "lib"), 1);
  // ...while app turns on tokio's `macros`/`rt-multi-thread`: tokio, and everything above it up to the
  // shared path crate cats, are built twice, as Cargo would in two separate target directories.
  assert.equal(count("tokio", "lib"), 2);
  assert.equal(count("cats", "lib"), 2);
  const sum = graphs[0].graph.units.length + graphs[1].graph.units.length;
  assert.ok(Object.keys(data.units).length < sum - 30, `${Object.keys(data.units).length} of ${sum} units`);
  // The flake gets an app for the binary and packages for both outputs.
  const flake = flakeOutputsNix({ description: "cats", outputs: flakeOutputs(data) });
  assert.match(flake, /app = \{ type = "app"; program = "\$\{crates\.outputs\.app\}\/bin\/app"; \};/);
  assert.match(flake, /default = pkgs\.rustc;/);
  assert.doesNotMatch(flake, /rust-bin/);
});
