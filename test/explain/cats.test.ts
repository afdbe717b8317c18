/**
 * `why` and `graph` on the seed's cats workspace, over Cargo's own unit graph (the oracle) and over the
 * graph crateflake plans itself: the wasm build reaches reqwest through cats and never openssl-sys; the
 * native build reaches openssl-sys through native-tls (and hyper-tls).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { Project } from "../../src/cargo/model.ts";
import { graphModel } from "../../src/explain/graph-model.ts";
import { checkUnitGraph } from "../../src/explain/input.ts";
import { renderWhy } from "../../src/explain/render-why.ts";
import { type WhyReport, why } from "../../src/explain/why.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { runCli } from "../support/cli.ts";
import { cargoUnitGraph, catsSampleDir, needCargo, needRegistry, tempDir } from "../support/env.ts";

const skip = needRegistry || needCargo;
const W = "wasm32-unknown-unknown";
const HOST = "x86_64-unknown-linux-gnu";
let ws = "";
let native: UnitGraph;
let wasm: UnitGraph;
let project: Project;
let files: { native: string; wasm: string };

before(async () => {
  if (skip) return;
  ws = join(catsSampleDir(), "cats-ws");
  native = checkUnitGraph(cargoUnitGraph(join(ws, "Cargo.toml")));
  wasm = checkUnitGraph(cargoUnitGraph(join(ws, "Cargo.toml"), ["--target", W]));
  project = await loadProject(join(ws, "Cargo.toml"), { quiet: true });
  const dir = tempDir("why");
  files = { native: join(dir, "native.json"), wasm: join(dir, "wasm.json") };
  writeFileSync(files.native, JSON.stringify(native));
  writeFileSync(files.wasm, JSON.stringify(wasm));
});

/** Each listed path as `a → b → c` of package names. */
function pathNames(report: WhyReport, side: "target" | "host"): string[] {
  return report.matches.flatMap((m) =>
    (m.paths[side]?.paths ?? []).map((p) => p.units.map((u) => report.units[u].name).join(" → ")),
  );
}

test("wasm: reqwest is there through cats, on the target side only", { skip }, () => {
  const report = why(wasm, "reqwest", { project, hostTriple: HOST });
  assert.equal(report.target, W);
  assert.equal(report.matches.length, 1);
  assert.deepEqual(report.matches[0].sides, ["target"]);
  assert.deepEqual(pathNames(report, "target").sort(), [
    "app → cats → reqwest",
    "cats → reqwest",
    "wasm → cats → reqwest",
  ]);
  const text = renderWhy(report);
  assert.match(text, /reqwest v0\.11\.\d+ for wasm32-unknown-unknown/);
  assert.match(
    text,
    /└── cats v0\.1\.0 \(.*\/cats-ws\/cats\) \[normal\] \(root\)\n {4}├── app .*\n {4}└── wasm /,
  );
});

test("wasm: openssl-sys is absent; native: present through native-tls, hyper-tls among the dependents", {
  skip,
}, () => {
  assert.equal(why(wasm, "openssl-sys").matches.length, 0);
  const report = why(native, "openssl-sys", { project, hostTriple: HOST, limit: 1000 });
  assert.equal(report.matches.length, 1);
  const paths = pathNames(report, "target");
  assert.equal(paths.length, report.matches[0].paths.target?.count);
  assert.ok(paths.length > 0);
  for (const p of paths) assert.match(p, /native-tls → (openssl → )?openssl-sys$/, p);
  assert.ok(paths.some((p) => p.includes("reqwest → hyper-tls → native-tls")));
  assert.ok(
    paths.some((p) => p.startsWith("wasm → cats → reqwest")),
    "natively, the wasm member builds it too",
  );
  // The edge reqwest → hyper-tls exists only off wasm32, and only because feature hyper-tls is on.
  const edge = Object.values(report.edges).find(
    (e) => report.units[e.from]?.name === "reqwest" && report.units[e.to]?.name === "hyper-tls",
  );
  assert.ok(edge);
  assert.equal(edge.platform, 'cfg(not(target_arch = "wasm32"))');
  assert.equal(edge.optional, true);
  assert.ok(edge.enabledBy.includes("hyper-tls"), edge.enabledBy.join());
});

test("native: the build-dependency pkg-config is a host unit, below openssl-sys's build script", {
  skip,
}, () => {
  const report = why(native, "pkg-config", { project, hostTriple: HOST });
  assert.deepEqual(report.matches[0].sides, ["host"]);
  // Through openssl-sys's build script: lib → its build-script run → its compilation → pkg-config; other
  // packages' build-script runs reach it through \`links\` (they read openssl-sys's DEP_OPENSSL_* values).
  const paths = pathNames(report, "host");
  for (const p of paths) assert.match(p, /openssl-sys → openssl-sys → pkg-config$/, p);
  assert.ok(
    paths.some((p) => p.endsWith("native-tls → openssl-sys → openssl-sys → openssl-sys → pkg-config")),
  );
  assert.match(
    renderWhy(report),
    /host units \(build scripts, proc-macros and their dependencies\): \d+ paths/,
  );
  assert.match(renderWhy(report), /openssl-sys v0\.9\.\d+ \(build script\) \[build\]/);
});

test("feature chains on the sample: serde's derive and std, tokio's net", { skip }, () => {
  const derive = renderWhy(why(native, "serde", { project, feature: "derive", hostTriple: HOST }));
  assert.match(
    derive,
    /feature "derive" of serde v1\.0\.\d+:\n└── cats v0\.1\.0 \(.*\) depends on serde with this feature\n/,
  );
  const std = renderWhy(why(wasm, "serde", { project, feature: "std", hostTriple: HOST }));
  assert.match(std, /feature "default" of serde v\S+ lists "std"/);
  const net = why(native, "tokio", { project, feature: "net", hostTriple: HOST });
  const text = renderWhy(net);
  // hyper's tcp feature lists tokio/net.
  assert.match(text, /feature "tcp" of hyper v\S+ lists "tokio\/net"/);
});

test("graph model of the sample: every unit, host units apart, colours by source", { skip }, () => {
  const model = graphModel(wasm, { project, hostTriple: HOST });
  assert.equal(model.nodes.length, wasm.units.length);
  assert.equal(
    model.edges.length,
    wasm.units.reduce((n, u) => n + u.dependencies.length, 0),
  );
  const byName = (name: string) => model.nodes.filter((n) => n.name === name);
  assert.deepEqual(
    byName("cats").map((n) => [n.sourceKind, n.side, n.root]),
    [["path", "target", true]],
  );
  assert.deepEqual(
    byName("wasm-bindgen-macro").map((n) => n.side),
    ["host"],
  );
  assert.ok(byName("reqwest").every((n) => n.sourceKind === "registry" && n.why.target?.count === 3));
  assert.deepEqual(byName("reqwest")[0].featureCauses.json, [
    "cats 0.1.0 depends on reqwest with this feature",
  ]);
  assert.deepEqual(byName("reqwest")[0].featureCauses["default-tls"], [
    'feature "default" of reqwest 0.11.13 lists "default-tls"',
  ]);
});

test("CLI: why over a saved unit graph, as text and JSON; a crate not in the graph exits 1", { skip }, () => {
  const text = runCli(["why", "reqwest", "--unit-graph", files.wasm, "--target", W]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /target units: 3 paths from the roots/);
  const json = runCli(["why", "reqwest", "--unit-graph", files.wasm, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as WhyReport;
  assert.deepEqual(pathNames(report, "target").sort(), [
    "app → cats → reqwest",
    "cats → reqwest",
    "wasm → cats → reqwest",
  ]);
  const absent = runCli(["why", "openssl-sys", "--unit-graph", files.wasm]);
  assert.equal(absent.code, 1);
  assert.match(absent.stdout, /openssl-sys is not in the unit graph for wasm32-unknown-unknown/);
  const wrong = runCli(["why", "reqwest", "--unit-graph", files.native, "--target", W]);
  assert.equal(wrong.code, 1);
  assert.match(
    wrong.stderr,
    /^error: .*native\.json: this unit graph was not made for --target wasm32-unknown-unknown\n$/,
  );
});

test("CLI: why on the planned graph answers as on Cargo's graph", { skip }, () => {
  for (const [crate, target, file] of [
    ["openssl-sys", null, files.native],
    ["log", null, files.native],
    ["reqwest", W, files.wasm],
  ] as const) {
    const targetArgs = target ? ["--target", target] : [];
    const manifest = ["--manifest-path", join(ws, "Cargo.toml")];
    const planned = runCli(["why", crate, "--json", "--limit", "1000", ...manifest, ...targetArgs]);
    assert.equal(planned.code, 0, planned.stderr);
    const oracle = runCli(["why", crate, "--json", "--limit", "1000", "--unit-graph", file, ...manifest]);
    assert.equal(oracle.code, 0, oracle.stderr);
    const a = JSON.parse(planned.stdout) as WhyReport;
    const b = JSON.parse(oracle.stdout) as WhyReport;
    for (const side of ["target", "host"] as const) {
      assert.deepEqual(pathNames(a, side).sort(), pathNames(b, side).sort(), `${crate} ${side}`);
    }
  }
});
