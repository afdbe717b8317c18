import assert from "node:assert/strict";
import { test } from "node:test";
import { describeEdge, enablingFeatures } from "../../src/explain/edges.ts";
import { explainFeature, type FeatureCause } from "../../src/explain/features.ts";
import { renderWhy } from "../../src/explain/render-why.ts";
import { indexGraph } from "../../src/explain/units.ts";
import { why } from "../../src/explain/why.ts";
import { graphOf, projectOf } from "./graphs.ts";

// app depends on `net` with features = ["tls"]; net's `tls` turns on optional `rustls` through `dep:` and
// `rustls/ring` through `tls-ring`; app's own `fast` feature lists `net/compress`; net's default is
// ["std"]; `log` is an optional dependency of net with an implicit feature (no `dep:log` anywhere),
// turned on by app's `net/log`. `winapi` is a cfg(windows) dependency of net.
const project = projectOf([
  {
    name: "app",
    path: "/ws/app",
    features: { default: ["fast"], fast: ["net/compress", "net/log"] },
    deps: [{ name: "net", features: ["tls"] }],
  },
  {
    name: "net",
    features: {
      default: ["std"],
      std: [],
      compress: [],
      tls: ["dep:rustls", "tls-ring"],
      "tls-ring": ["rustls?/ring"],
    },
    deps: [
      { name: "rustls", optional: true },
      { name: "log", optional: true },
      { name: "winapi", platform: "cfg(windows)" },
      { name: "cc", kind: "build" },
    ],
  },
  { name: "rustls", features: { ring: [] } },
  { name: "log" },
  { name: "winapi" },
  { name: "cc" },
]);
const graph = graphOf(
  [
    { name: "app", path: "/ws/app", kind: "bin", features: ["default", "fast"], deps: [1] }, // 0
    {
      name: "net",
      features: ["compress", "default", "log", "std", "tls", "tls-ring"],
      deps: [2, 3, 4, [6, "build_script_build"]],
    }, // 1
    { name: "rustls", features: ["ring"] }, // 2
    { name: "log" }, // 3
    { name: "winapi" }, // 4
    {
      name: "net",
      kind: "custom-build",
      features: ["compress", "default", "log", "std", "tls", "tls-ring"],
      deps: [7],
    }, // 5
    { name: "net", kind: "custom-build", mode: "run-custom-build", deps: [[5, "build_script_build"]] }, // 6
    { name: "cc" }, // 7
  ],
  [0],
);

/** A cause tree as nested arrays of one-line strings, for readable assertions. */
function show(causes: FeatureCause[]): unknown[] {
  return causes.map((c) => {
    const name = graph.units[c.unit].pkg_id.replace(/.*#/, "").replace(/@.*/, "");
    switch (c.kind) {
      case "root":
        return `root ${name} ${c.feature}`;
      case "seen":
        return `seen ${name} ${c.feature}`;
      case "dependency":
        return [`${name} declares ${c.dependency} (${c.via})`, ...show(c.because)];
      default:
        return [`${name} feature ${c.by} lists ${c.value || "(implicit)"}`, ...show(c.because)];
    }
  });
}

test("edges: kinds, platform conditions, and the features that turned an optional dependency on", () => {
  const ix = indexGraph(graph, "x86_64-unknown-linux-gnu");
  const e = (from: number, edge: number) => describeEdge(ix, project, from, edge);
  assert.equal(e(0, 0).kind, "normal");
  assert.deepEqual([e(1, 0).optional, e(1, 0).enabledBy], [true, ["tls"]]);
  assert.deepEqual([e(1, 1).optional, e(1, 1).enabledBy], [true, ["log"]]);
  assert.deepEqual([e(1, 2).kind, e(1, 2).platform, e(1, 2).optional], ["normal", "cfg(windows)", false]);
  assert.equal(e(1, 3).kind, "build script");
  assert.equal(e(6, 0).kind, "build script");
  assert.equal(e(5, 0).kind, "build");
  // Without a Project only the unit graph's own kinds are known.
  assert.deepEqual(describeEdge(ix, null, 1, 0), {
    from: 1,
    to: 2,
    kind: "normal",
    externName: "rustls",
    dependency: null,
    platform: null,
    optional: false,
    enabledBy: [],
  });
});

test("enablingFeatures: dep:, name/feat (not weak), and the implicit feature only without dep:", () => {
  const table = { a: ["dep:x"], b: ["x?/f"], c: ["y/f"], d: ["x"] };
  assert.deepEqual(enablingFeatures(table, ["a", "b", "c", "d", "x"], "x"), ["a"]);
  assert.deepEqual(enablingFeatures(table, ["a", "b", "c", "d", "y"], "y"), ["c", "y"]);
});

test("feature chains: declared features, default features, a/b values, implicit features", () => {
  const ix = indexGraph(graph);
  // tls: app declares net with features = ["tls"].
  assert.deepEqual(show(explainFeature(ix, project, 1, "tls").because), [["app declares net (features)"]]);
  // tls-ring: listed by tls, which app asked for.
  assert.deepEqual(show(explainFeature(ix, project, 1, "tls-ring").because), [
    ["net feature tls lists tls-ring", ["app declares net (features)"]],
  ]);
  // std: net's default, which app's declaration keeps on.
  assert.deepEqual(show(explainFeature(ix, project, 1, "std").because), [
    ["net feature default lists std", ["app declares net (default-features)"]],
  ]);
  // compress: app's feature `fast` lists net/compress; fast is on through app's default, app is a root.
  assert.deepEqual(show(explainFeature(ix, project, 1, "compress").because), [
    ["app feature fast lists net/compress", ["app feature default lists fast", "root app default"]],
  ]);
  // rustls's ring: a weak value of net's tls-ring (rustls is on through dep: in tls).
  assert.deepEqual(show(explainFeature(ix, project, 2, "ring").because), [
    [
      "net feature tls-ring lists rustls?/ring",
      ["net feature tls lists tls-ring", ["app declares net (features)"]],
    ],
  ]);
  // log: the implicit feature of net's optional dependency, on through app's net/log.
  assert.deepEqual(show(explainFeature(ix, project, 1, "log").because), [
    ["app feature fast lists net/log", ["app feature default lists fast", "root app default"]],
  ]);
  // An inactive feature has no causes; a root's feature requested on the command line says so.
  assert.deepEqual(explainFeature(ix, project, 1, "nope"), {
    unit: 1,
    feature: "nope",
    active: false,
    because: [],
  });
  assert.deepEqual(show(explainFeature(ix, null, 0, "fast").because), ["root app fast"]);
});

test("why: report and text for a crate reached through an optional dependency", () => {
  const report = why(graph, "rustls", { project, feature: "ring" });
  assert.equal(report.matches.length, 1);
  assert.equal(report.matches[0].paths.target?.count, 1);
  const text = renderWhy(report);
  assert.match(text, /^rustls v1\.0\.0 for host\n {2}features: ring\n/);
  assert.match(
    text,
    /└── net v1\.0\.0 \[normal, optional, enabled by "tls"\]\n {4}└── app v1\.0\.0 \(\/ws\/app\) \(bin "app"\) \[normal\] \(root\)/,
  );
  assert.match(text, /feature "tls-ring" of net v1\.0\.0 lists "rustls\?\/ring"/);
  assert.throws(
    () => why(graph, "rustls", { project, feature: "aws-lc" }),
    /feature `aws-lc` of rustls is not on/,
  );
  assert.match(renderWhy(why(graph, "openssl")), /openssl is not in the unit graph for host/);
});

test("a dependency declared in two [target] tables is judged against the unit's platform", () => {
  const p = projectOf([
    {
      name: "app",
      path: "/ws/app",
      deps: [
        { name: "getrandom", platform: "cfg(unix)", features: ["std"] },
        { name: "getrandom", platform: 'cfg(target_arch = "wasm32")', features: ["js"] },
      ],
    },
    { name: "getrandom", features: { std: [], js: [] } },
  ]);
  const W = "wasm32-unknown-unknown";
  const g = graphOf(
    [
      { name: "app", path: "/ws/app", platform: W, deps: [1] },
      { name: "getrandom", platform: W, features: ["js"] },
    ],
    [0],
  );
  const ix = indexGraph(g, "x86_64-unknown-linux-gnu");
  assert.equal(describeEdge(ix, p, 0, 0).platform, 'cfg(target_arch = "wasm32")');
  assert.deepEqual(show(explainFeature(ix, p, 1, "js").because), [["app declares getrandom (features)"]]);
  const native = graphOf(
    [
      { name: "app", path: "/ws/app", deps: [1] },
      { name: "getrandom", features: ["std"] },
    ],
    [0],
  );
  assert.equal(describeEdge(indexGraph(native, "x86_64-unknown-linux-gnu"), p, 0, 0).platform, "cfg(unix)");
});
