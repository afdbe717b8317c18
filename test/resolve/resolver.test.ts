/** The feature resolver and unit builder on small in-memory projects, rule by rule, and their speed. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildFeatureMap } from "../../src/resolve/feature-value.ts";
import { type PlanOptions, planUnitGraph } from "../../src/resolve/plan.ts";
import { platformMatcher } from "../../src/resolve/platforms.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { idOf, type PkgSpec, project } from "./model.ts";

const host = "x86_64-unknown-linux-gnu";
const base: PlanOptions = { hostTriple: host, matches: platformMatcher() };

/** `name@version mode platform [features]` of every unit. */
function units(g: UnitGraph): string[] {
  return g.units
    .map((u) => {
      const name = u.pkg_id.slice(u.pkg_id.lastIndexOf("#") + 1);
      return `${name} ${u.target.kind[0]} ${u.mode} ${u.platform ?? "host"} [${u.features.join(",")}]`;
    })
    .sort();
}

test("implicit features exist for optional deps unless `dep:` names them", () => {
  const p = project([
    {
      name: "a",
      local: true,
      features: { j: ["dep:b"] },
      deps: [
        { name: "b", to: "b", optional: true },
        { name: "c", to: "c", optional: true },
      ],
    },
    { name: "b" },
    { name: "c" },
  ]);
  const map = buildFeatureMap(p.packages.get(idOf({ name: "a", local: true })) as never);
  assert.deepEqual([...map.keys()].sort(), ["c", "j"]);
});

test("a weak feature waits for its dependency, whichever comes first", () => {
  const specs = (order: string[]): PkgSpec[] => [
    {
      name: "a",
      local: true,
      features: { default: order, weak: ["b?/extra"], on: ["dep:b"] },
      deps: [{ name: "b", to: "b", optional: true }],
    },
    { name: "b", features: { extra: [] } },
  ];
  for (const order of [
    ["weak", "on"],
    ["on", "weak"],
  ]) {
    assert.deepEqual(units(planUnitGraph(project(specs(order)), base)), [
      "a@1.0.0 lib build host [default,on,weak]",
      "b@1.0.0 lib build host [extra]",
    ]);
  }
  // Without `on`, the weak feature activates nothing.
  assert.deepEqual(units(planUnitGraph(project(specs(["weak"])), base)), [
    "a@1.0.0 lib build host [default,weak]",
  ]);
});

test("resolver 2 keeps build-dependency features apart; resolver 1 unifies them", () => {
  const specs: PkgSpec[] = [
    {
      name: "app",
      local: true,
      build: true,
      deps: [
        { name: "s", to: "s", features: ["rt"] },
        { name: "s", to: "s", features: ["bt"], kind: "build" },
      ],
    },
    { name: "s", features: { rt: [], bt: [] } },
  ];
  const v2 = units(planUnitGraph(project(specs, "2"), base)).filter((u) => u.startsWith("s@"));
  assert.deepEqual(v2, ["s@1.0.0 lib build host [bt]", "s@1.0.0 lib build host [rt]"]);
  const v1 = units(planUnitGraph(project(specs, "1"), base)).filter((u) => u.startsWith("s@"));
  assert.deepEqual(v1, ["s@1.0.0 lib build host [bt,rt]"]);
});

test("`dep/feat` on a dependency of another platform turns nothing on (resolver 2)", () => {
  const p = project([
    {
      name: "a",
      local: true,
      features: { default: ["w/x"] },
      deps: [{ name: "w", to: "w", optional: true, platform: "cfg(windows)" }],
    },
    { name: "w", features: { x: [] } },
  ]);
  assert.deepEqual(units(planUnitGraph(p, base)), ["a@1.0.0 lib build host [default]"]);
  assert.deepEqual(units(planUnitGraph(p, { ...base, targets: ["x86_64-pc-windows-msvc"] })), [
    "a@1.0.0 lib build x86_64-pc-windows-msvc [default,w]",
    "w@1.0.0 lib build x86_64-pc-windows-msvc [x]",
  ]);
});

test("bins whose required features are missing are not built", () => {
  const p = project([
    {
      name: "a",
      local: true,
      features: { x: [] },
      bins: [{ name: "plain" }, { name: "needs-x", requiredFeatures: ["x"] }],
    },
  ]);
  const bins = (g: UnitGraph) => g.units.filter((u) => u.target.kind[0] === "bin").map((u) => u.target.name);
  assert.deepEqual(bins(planUnitGraph(p, base)), ["plain"]);
  assert.deepEqual(bins(planUnitGraph(p, { ...base, features: ["x"] })).sort(), ["needs-x", "plain"]);
});

test("plans are deterministic: package order in the model does not change the JSON", () => {
  const p = project([
    {
      name: "a",
      local: true,
      build: true,
      deps: [
        { name: "b", to: "b" },
        { name: "m", to: "m" },
      ],
    },
    { name: "b", build: true, links: "b" },
    { name: "m", lib: "proc-macro", deps: [{ name: "b", to: "b" }] },
  ]);
  const one = JSON.stringify(planUnitGraph(p, base));
  const reversed = { ...p, packages: new Map([...p.packages].reverse()), members: [...p.members].reverse() };
  assert.equal(JSON.stringify(planUnitGraph(reversed, base)), one);
});

/** A seeded layered graph: `n` crates, each depending on up to 5 crates of lower layers. */
function bigProject(n: number): ReturnType<typeof project> {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const specs: PkgSpec[] = [];
  for (let i = 0; i < n; i++) {
    const deps: NonNullable<PkgSpec["deps"]> = [];
    const count = i === 0 ? 0 : Math.min(i, 1 + Math.floor(rand() * 5));
    const picked = new Set<number>();
    for (let k = 0; k < count; k++) picked.add(Math.floor(rand() * i));
    for (const j of picked) {
      const r = rand();
      deps.push({
        name: `c${j}`,
        to: `c${j}`,
        kind: r < 0.1 ? "build" : "normal",
        optional: r > 0.85,
        features: r > 0.5 ? ["f1"] : [],
        platform: r > 0.8 && r < 0.85 ? "cfg(windows)" : null,
      });
    }
    const optional = deps.filter((d) => d.optional).map((d) => `${d.name}/f1`);
    specs.push({
      name: `c${i}`,
      features: { default: ["f1", ...optional], f1: [], f2: ["f1"] },
      deps,
      build: i % 7 === 0,
      lib: i % 13 === 5 ? "proc-macro" : "lib",
    });
  }
  const top = specs.slice(-20).map((s) => ({ name: s.name, to: s.name }));
  specs.push({ name: "app", local: true, bins: [{ name: "app" }], deps: top });
  return project(specs);
}

test("planning a 1,000-crate graph takes well under a second", () => {
  const p = bigProject(1000);
  planUnitGraph(p, base); // warm up the JIT
  // CPU time, best of three: the machine running the tests may be busy with other work.
  let best = Number.POSITIVE_INFINITY;
  let units = 0;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    const g = planUnitGraph(p, { ...base, targets: ["wasm32-unknown-unknown"] });
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
    units = g.units.length;
  }
  assert.ok(units > 500, `only ${units} units`);
  assert.ok(best < 500, `took ${best.toFixed(0)} ms of CPU for ${units} units`);
  process.stderr.write(`# planned ${units} units of a 1,001-package graph in ${best.toFixed(0)} ms of CPU\n`);
});

test("a 3,000-deep dependency chain forwarding a feature neither overflows nor loses it", () => {
  const n = 3000;
  const specs: PkgSpec[] = [];
  for (let i = 0; i < n; i++) {
    const deps = i > 0 ? [{ name: `c${i - 1}`, to: `c${i - 1}` }] : [];
    specs.push({
      name: `c${i}`,
      features: { std: i > 0 ? [`c${i - 1}/std`] : [] },
      build: i % 3 === 0,
      deps,
    });
  }
  specs.push({ name: "app", local: true, deps: [{ name: `c${n - 1}`, to: `c${n - 1}`, features: ["std"] }] });
  const g = planUnitGraph(project(specs), base);
  const libs = g.units.filter((u) => u.target.kind[0] === "lib");
  assert.equal(libs.length, n + 1);
  assert.ok(libs.filter((u) => !u.pkg_id.includes("#app@")).every((u) => u.features.join() === "std"));
});
