import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { invertedTree, pathsTo, type Side } from "../../src/explain/paths.ts";
import { indexGraph, isHostEntry } from "../../src/explain/units.ts";
import { selectUnits } from "../../src/explain/why.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { graphOf, type U } from "./graphs.ts";

// app (bin) → cats → reqwest → log; app → tokio → log; serde's and tokio's proc-macros use syn, which also
// uses log: so log is a target unit through reqwest/tokio and a host unit through the proc-macros.
const SAMPLE: U[] = [
  { name: "app", path: "/ws/app", kind: "bin", deps: [1, 5] }, // 0
  { name: "cats", path: "/ws/cats", deps: [2, 3] }, // 1
  { name: "reqwest", deps: [4] }, // 2
  { name: "serde", deps: [6] }, // 3
  { name: "log" }, // 4
  { name: "tokio", deps: [7, 4] }, // 5
  { name: "serde_derive", kind: "proc-macro", deps: [8] }, // 6
  { name: "tokio-macros", kind: "proc-macro", deps: [8] }, // 7
  { name: "syn", deps: [9, 4] }, // 8
  { name: "proc-macro2", deps: [[11, "build_script_build"]] }, // 9
  { name: "proc-macro2", kind: "custom-build" }, // 10
  { name: "proc-macro2", kind: "custom-build", mode: "run-custom-build", deps: [[10, "build_script_build"]] }, // 11
];
const sample = () => graphOf(SAMPLE, [0, 1]);

const names = (g: UnitGraph, units: number[]) =>
  units.map((i) => g.units[i].pkg_id.replace(/.*#/, "")).join(" → ");

test("target and host paths to a unit that serves both sides (no --target)", () => {
  const g = sample();
  const ix = indexGraph(g);
  assert.deepEqual(ix.sides[4], { target: true, host: true });
  const target = pathsTo(ix, 4, "target");
  assert.equal(target.count, 3);
  assert.deepEqual(
    target.paths.map((p) => names(g, p.units)),
    [
      "app@1.0.0 → cats@1.0.0 → reqwest@1.0.0 → log@1.0.0",
      "app@1.0.0 → tokio@1.0.0 → log@1.0.0",
      "cats@1.0.0 → reqwest@1.0.0 → log@1.0.0",
    ],
  );
  const host = pathsTo(ix, 4, "host");
  assert.equal(host.count, 3);
  assert.deepEqual(
    host.paths.map((p) => names(g, p.units)),
    [
      "app@1.0.0 → cats@1.0.0 → serde@1.0.0 → serde_derive@1.0.0 → syn@1.0.0 → log@1.0.0",
      "app@1.0.0 → tokio@1.0.0 → tokio-macros@1.0.0 → syn@1.0.0 → log@1.0.0",
      "cats@1.0.0 → serde@1.0.0 → serde_derive@1.0.0 → syn@1.0.0 → log@1.0.0",
    ],
  );
  // edges[i] is the index, in units[i].dependencies, of the edge to units[i+1].
  for (const p of [...target.paths, ...host.paths]) {
    p.edges.forEach((e, i) => {
      assert.equal(g.units[p.units[i]].dependencies[e].index, p.units[i + 1]);
    });
  }
});

test("a unit only below proc-macros is a host unit; build-script units are not what `why NAME` selects", () => {
  const ix = indexGraph(sample());
  assert.deepEqual(ix.sides[8], { target: false, host: true });
  assert.equal(pathsTo(ix, 8, "target").count, 0);
  assert.equal(invertedTree(ix, 8, "target"), null);
  assert.deepEqual(selectUnits(ix, "proc-macro2", null), [9]);
  assert.deepEqual(selectUnits(ix, "log", "1"), [4]);
  assert.deepEqual(selectUnits(ix, "log", "2"), []);
});

test("the inverted tree marks dependents already shown with (*) and roots as roots", () => {
  const ix = indexGraph(sample());
  const tree = invertedTree(ix, 4, "target")!;
  const show = (n: NonNullable<typeof tree>): unknown => [
    ix.packages[n.unit].name + (n.root ? "(root)" : "") + (n.repeated ? "(*)" : ""),
    ...n.dependents.map(show),
  ];
  assert.deepEqual(show(tree), ["log", ["reqwest", ["cats(root)", ["app(root)"]]], ["tokio", ["app(root)"]]]);
  const host = invertedTree(ix, 4, "host")!;
  assert.deepEqual(show(host), [
    "log",
    [
      "syn",
      ["serde_derive", ["serde", ["cats(root)", ["app(root)"]]]],
      ["tokio-macros", ["tokio", ["app(root)"]]],
    ],
  ]);
});

test("with --target, sides come from the platform (host units have platform null)", () => {
  const W = "wasm32-unknown-unknown";
  const g = graphOf(
    [
      { name: "wasm", path: "/ws/wasm", platform: W, deps: [1, 2] }, // 0
      { name: "log", platform: W }, // 1
      { name: "wasm-bindgen-macro", kind: "proc-macro", deps: [3] }, // 2
      { name: "log" }, // 3 (host copy)
    ],
    [0],
  );
  const ix = indexGraph(g);
  assert.deepEqual(ix.sides, [
    { target: true, host: false },
    { target: true, host: false },
    { target: false, host: true },
    { target: false, host: true },
  ]);
  assert.deepEqual(selectUnits(ix, "log", null), [1, 3]);
  assert.equal(pathsTo(ix, 1, "target").count, 1);
  assert.equal(pathsTo(ix, 3, "host").count, 1);
  assert.equal(pathsTo(ix, 3, "target").count, 0);
});

test("a proc-macro member is a host root", () => {
  const g = graphOf(
    [{ name: "derive-it", path: "/ws/d", kind: "proc-macro", deps: [1] }, { name: "syn" }],
    [0],
  );
  const ix = indexGraph(g);
  assert.deepEqual(ix.sides[1], { target: false, host: true });
  assert.equal(pathsTo(ix, 1, "host").count, 1);
  assert.equal(pathsTo(ix, 0, "host").count, 1);
});

test("the path limit truncates the list but not the count", () => {
  // A ladder: each level has two units both depending on both units of the next level: 2^k paths.
  const units: U[] = [];
  const levels = 12;
  for (let l = 0; l < levels; l++) {
    for (let k = 0; k < 2; k++) {
      const next = l + 1 < levels ? [2 * (l + 1), 2 * (l + 1) + 1] : [2 * levels];
      units.push({ name: `c${l}-${k}`, deps: next });
    }
  }
  units.push({ name: "leaf" });
  const ix = indexGraph(graphOf(units, [0, 1]));
  const set = pathsTo(ix, 2 * levels, "target", 10);
  assert.equal(set.count, 2 ** levels);
  assert.equal(set.paths.length, 10);
  assert.equal(set.truncated, true);
});

/** Every root-to-unit path by brute force, with its side: host if it starts at or passes into a host entry. */
function brutePaths(g: UnitGraph): Map<number, Record<Side, string[]>> {
  const out = new Map<number, Record<Side, string[]>>();
  const walk = (u: number, path: number[], host: boolean) => {
    const side: Side = host ? "host" : "target";
    if (!out.has(u)) out.set(u, { target: [], host: [] });
    out.get(u)![side].push(path.join(","));
    for (const d of g.units[u].dependencies)
      walk(d.index, [...path, d.index], host || isHostEntry(g.units[d.index]));
  };
  for (const r of g.roots) walk(r, [r], isHostEntry(g.units[r]));
  return out;
}

test("property: paths and sides agree with brute-force enumeration on random DAGs", () => {
  const dag = fc.integer({ min: 2, max: 10 }).chain((n) =>
    fc.record({
      kinds: fc.array(fc.constantFrom("lib", "lib", "proc-macro", "custom-build"), {
        minLength: n,
        maxLength: n,
      }),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
      roots: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
    }),
  );
  fc.assert(
    fc.property(dag, ({ kinds, edges, roots }) => {
      const units: U[] = kinds.map((kind, i) => ({ name: `p${i}`, kind: kind as U["kind"], deps: [] }));
      const seen = new Set<string>();
      for (const [a, b] of edges) {
        const [from, to] = a < b ? [a, b] : [b, a];
        if (from === to || seen.has(`${from}>${to}`)) continue;
        seen.add(`${from}>${to}`);
        (units[from].deps as number[]).push(to);
      }
      const g = graphOf(units, roots);
      const ix = indexGraph(g);
      const brute = brutePaths(g);
      for (let u = 0; u < units.length; u++) {
        const expected = brute.get(u) ?? { target: [], host: [] };
        for (const side of ["target", "host"] as const) {
          assert.equal(ix.sides[u][side], expected[side].length > 0, `side ${side} of unit ${u}`);
          const set = pathsTo(ix, u, side, 1000);
          assert.equal(set.count, expected[side].length, `count of ${side} paths to ${u}`);
          assert.deepEqual(set.paths.map((p) => p.units.join(",")).sort(), [...expected[side]].sort());
          assert.equal(invertedTree(ix, u, side) !== null, expected[side].length > 0);
        }
      }
    }),
    { numRuns: 300 },
  );
});
