/**
 * `why` and `graph` in a flake directory (the cats sample after `crateflake init`): each output is
 * answered on its own graph, as Cargo plans `cargo build --release -p PKG --target T` (the oracle): tokio
 * is in `app` by the same paths as in Cargo's graph of app, and in no unit of Cargo's graph of wasm.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, test } from "node:test";
import type { GraphModel } from "../../src/explain/graph-model.ts";
import { checkUnitGraph } from "../../src/explain/input.ts";
import type { OutputWhy } from "../../src/explain/outputs-why.ts";
import { parsePackageId } from "../../src/explain/package-id.ts";
import { why } from "../../src/explain/why.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { copyDir } from "../nix/support.ts";
import { runCli } from "../support/cli.ts";
import { cargoUnitGraph, catsSampleDir, needCargo, needRegistry, tempDir } from "../support/env.ts";

const skip = needRegistry || needCargo;
const HOST = "x86_64-unknown-linux-gnu";
const W = "wasm32-unknown-unknown";
let dir = "";
let cargo: { app: UnitGraph; wasm: UnitGraph };

before(() => {
  if (skip) return;
  dir = join(tempDir("outputs"), "cats-ws");
  copyDir(join(catsSampleDir(), "cats-ws"), dir);
  const r = runCli(["init", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
  const oracle = (pkg: string, target: string) =>
    checkUnitGraph(cargoUnitGraph(join(dir, "Cargo.toml"), ["--release", "-p", pkg, "--target", target]));
  cargo = { app: oracle("app", HOST), wasm: oracle("wasm", W) };
});

/** Each path as `a → b → c` of package names, sorted. */
function pathNames(report: OutputWhy["report"]): string[] {
  return report.matches
    .flatMap((m) =>
      Object.values(m.paths).flatMap((set) =>
        set.paths.map((p) => p.units.map((u) => report.units[u].name).join(" → ")),
      ),
    )
    .sort();
}

test("why tokio: in app by Cargo's paths, not in wasm", { skip }, () => {
  const r = runCli(["why", "tokio", "--json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const answers = (JSON.parse(r.stdout) as { outputs: OutputWhy[] }).outputs;
  assert.deepEqual(
    answers.map((a) => [a.output, a.system, a.target, a.report.matches.length > 0]),
    [
      ["app", "x86_64-linux", HOST, true],
      ["wasm", "x86_64-linux", W, false],
    ],
  );
  const theirs = why(cargo.app, "tokio", { hostTriple: HOST });
  assert.ok(theirs.matches.length > 0);
  assert.deepEqual(pathNames(answers[0].report), pathNames(theirs));
  assert.ok(pathNames(theirs).includes("app → tokio"));
  assert.equal(cargo.wasm.units.filter((u) => u.pkg_id.includes("tokio")).length, 0, "Cargo: no tokio");

  const text = runCli(["why", "tokio"], { cwd: dir });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^in `app` \(x86_64-linux, for x86_64-unknown-linux-gnu\):\n {2}tokio v1\./);
  assert.match(text.stdout, /\n {2}├── app v0\.1\.0 \(.*\) \(bin "app"\) \[normal\] \(root\)\n/);
  assert.match(text.stdout, /\nnot in `wasm` \(x86_64-linux, for wasm32-unknown-unknown\)\n$/);
});

test("why --output wasm: only that output, and exit 1 when the crate is not there", { skip }, () => {
  const r = runCli(["why", "tokio", "--output", "wasm"], { cwd: dir });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "not in `wasm` (x86_64-linux, for wasm32-unknown-unknown)\n");
  const js = runCli(["why", "js-sys", "--output", "wasm"], { cwd: dir });
  assert.equal(js.code, 0, js.stderr);
  assert.match(js.stdout, /^in `wasm` /);
  const bad = runCli(["why", "tokio", "--output", "web"], { cwd: dir });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: .*crateflake\.toml: no output `web` \(outputs: app, wasm\)\n$/);
  const mixed = runCli(["why", "tokio", "--output", "app", "--target", W], { cwd: dir });
  assert.equal(mixed.code, 2);
});

test("the cargo build flags keep planning one cargo build", { skip }, () => {
  // `--target wasm32` plans the whole workspace for wasm32, app included: tokio is there through app.
  const r = runCli(["why", "tokio", "--target", W], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^tokio v1\.\S+ for wasm32-unknown-unknown\n/);
});

test("graph: one model per output, the same units as Cargo's graph of each", { skip }, () => {
  const r = runCli(["graph", "--format", "json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const outputs = (
    JSON.parse(r.stdout) as { outputs: { output: string; target: string; model: GraphModel }[] }
  ).outputs;
  assert.deepEqual(
    outputs.map((o) => [o.output, o.target]),
    [
      ["app", HOST],
      ["wasm", W],
    ],
  );
  const ids = (g: UnitGraph) =>
    g.units
      .map((u) => parsePackageId(u.pkg_id))
      .map((p, i) => `${p.name}@${p.version} ${g.units[i].target.name}`)
      .sort();
  const ours = (m: GraphModel) => m.nodes.map((n) => `${n.name}@${n.version} ${n.targetName}`).sort();
  assert.deepEqual(ours(outputs[0].model), ids(cargo.app));
  assert.deepEqual(ours(outputs[1].model), ids(cargo.wasm));
  assert.ok(outputs[0].model.nodes.some((n) => n.name === "tokio"));
  assert.ok(!outputs[1].model.nodes.some((n) => n.name === "tokio"));
  const dot = runCli(["graph", "--format", "dot", "--output", "wasm"], { cwd: dir });
  assert.equal(dot.code, 0, dot.stderr);
  assert.match(dot.stdout, /^digraph "wasm \(x86_64-linux, for wasm32-unknown-unknown\)" \{\n/);
  assert.equal(dot.stdout.match(/^digraph /gm)?.length, 1);
});
