import assert from "node:assert/strict";
import { test } from "node:test";
import { renderDot } from "../../src/explain/dot.ts";
import { graphModel } from "../../src/explain/graph-model.ts";
import { renderHtml, scriptJson } from "../../src/explain/html.ts";
import { layeredLayout, NODE_HEIGHT } from "../../src/explain/layout.ts";
import { renderMermaid } from "../../src/explain/mermaid.ts";
import { graphOf, type U } from "./graphs.ts";

const EVIL = '/tmp/a"b</script><script>alert(1)</script>';
const UNITS: U[] = [
  { name: "app", path: "/ws/app", kind: "bin", deps: [1, 3] }, // 0
  { name: "cats", path: EVIL, deps: [2, 4] }, // 1
  { name: "reqwest", features: ["json", "default"], deps: [5] }, // 2
  { name: "tokio", deps: [5] }, // 3
  { name: "serde_derive", kind: "proc-macro", deps: [6] }, // 4
  { name: "log" }, // 5
  { name: "syn", deps: [5] }, // 6
];
const model = () => graphModel(graphOf(UNITS, [0]));

test("graph model: nodes with sides, roots and paths; edges with kinds", () => {
  const m = model();
  assert.deepEqual(
    m.nodes.map((n) => [n.name, n.side, n.sourceKind, n.root]),
    [
      ["app", "target", "path", true],
      ["cats", "target", "path", false],
      ["reqwest", "target", "registry", false],
      ["tokio", "target", "registry", false],
      ["serde_derive", "host", "registry", false],
      ["log", "both", "registry", false],
      ["syn", "host", "registry", false],
    ],
  );
  assert.deepEqual(m.nodes[5].why, {
    target: {
      count: 2,
      paths: [
        [0, 1, 2, 5],
        [0, 3, 5],
      ],
    },
    host: { count: 1, paths: [[0, 1, 4, 6, 5]] },
  });
  assert.deepEqual(
    m.edges.map((e) => `${e.from}>${e.to} ${e.kind}`),
    [
      "0>1 normal",
      "0>3 normal",
      "1>2 normal",
      "1>4 proc-macro",
      "2>5 normal",
      "3>5 normal",
      "4>6 normal",
      "6>5 normal",
    ],
  );
});

test("dot and mermaid: every unit and edge, strings escaped", () => {
  const m = model();
  const dot = renderDot(m);
  assert.match(dot, /^digraph units \{\n {2}rankdir=LR;/);
  for (const n of m.nodes) assert.match(dot, new RegExp(`\\n {2}${n.id} \\[label=`));
  assert.equal((dot.match(/ -> /g) ?? []).length, m.edges.length);
  assert.match(dot, /u1 -> u4 \[label="proc-macro", style=dashed\]/);
  assert.ok(dot.includes('tooltip="path+file:///tmp/a\\"b</script>'), "quotes escaped in DOT strings");
  const mermaid = renderMermaid(m);
  assert.match(mermaid, /^flowchart LR\n {2}u0\["app 1\.0\.0 \(bin\)"\]\n/);
  assert.equal((mermaid.match(/ -->\|/g) ?? []).length, m.edges.length);
  assert.match(
    mermaid,
    /classDef registry_host fill:#dbe9fb,stroke:#8a3ab9,stroke-dasharray:4 3\n {2}class u4,u6 registry_host/,
  );
});

test("html: self-contained, deterministic, and data cannot break out of the page", () => {
  const a = renderHtml(model());
  const b = renderHtml(JSON.parse(JSON.stringify(model())));
  assert.equal(a, b);
  assert.doesNotMatch(a, /<script[^>]+src=|<link|@import|url\(|<iframe|<img/i);
  // The only URL is the SVG namespace; path and registry URLs stay inside the JSON data and titles.
  const urls = [...a.matchAll(/(?:src|href)\s*=\s*"[^"]*"/gi)];
  assert.deepEqual(urls, []);
  assert.equal(a.match(/<\/script>/g)?.length, 2, "only the page's own two scripts close");
  assert.ok(!a.includes("<script>alert(1)"));
  const data = a.slice(a.indexOf('id="graph-data">') + 16, a.indexOf("</script>"));
  assert.equal(JSON.parse(data)[0].model.nodes[1].pkgId, `path+file://${EVIL}#cats@1.0.0`);
  assert.equal(scriptJson("\u2028</"), '"\\u2028\\u003c/"');
  for (const n of model().nodes)
    assert.ok(a.includes(`id="${n.id}" data-index="${n.index}" data-name="${n.name}"`));
});

test("layout: layers left to right, no two boxes overlap, deterministic", () => {
  const m = model();
  const widths = m.nodes.map((n) => 40 + n.name.length * 7);
  const input = {
    count: m.nodes.length,
    edges: m.edges.map((e) => [e.from, e.to] as [number, number]),
    widths,
    keys: m.nodes.map((n) => n.name),
  };
  const l = layeredLayout(input);
  assert.deepEqual(layeredLayout(input), l);
  for (const e of m.edges)
    assert.ok(l.layer[e.to] > l.layer[e.from] && l.x[e.to] > l.x[e.from] + widths[e.from]);
  // log is below syn, which is below serde_derive: longest path from the root decides its layer.
  assert.deepEqual(l.layer, [0, 1, 2, 1, 2, 4, 3]);
  for (let i = 0; i < m.nodes.length; i++) {
    for (let j = i + 1; j < m.nodes.length; j++) {
      const apart =
        l.x[i] + widths[i] <= l.x[j] ||
        l.x[j] + widths[j] <= l.x[i] ||
        l.y[i] + NODE_HEIGHT <= l.y[j] ||
        l.y[j] + NODE_HEIGHT <= l.y[i];
      assert.ok(apart, `${m.nodes[i].name} and ${m.nodes[j].name} overlap`);
      assert.ok(l.x[i] + widths[i] <= l.width && l.y[i] + NODE_HEIGHT <= l.height);
    }
  }
});

test("a 3,000-unit graph renders in seconds: path counts are shared, not searched per unit", () => {
  // Deep on purpose (a chain with shortcuts): a per-unit path search made this take ~20 s.
  const units: U[] = [];
  for (let i = 0; i < 3000; i++) {
    const deps = [1, 7, 31].map((k) => i + k).filter((j) => j < 3000);
    units.push({ name: `c${i}`, deps });
  }
  const start = performance.now();
  const html = renderHtml(graphModel(graphOf(units, [0])));
  const ms = performance.now() - start;
  assert.ok(html.includes('id="u2999"'));
  assert.ok(ms < 10000, `${ms} ms`);
});
