/** `why` and `graph` through the CLI on a small saved unit graph: formats, output file, input errors. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { GraphModel } from "../../src/explain/graph-model.ts";
import { runCli } from "../support/cli.ts";
import { tempDir } from "../support/env.ts";
import { graphOf } from "./graphs.ts";

const dir = tempDir("explain-cli");
const file = join(dir, "graph.json");
writeFileSync(
  file,
  JSON.stringify(
    graphOf(
      [
        { name: "app", path: "/ws/app", kind: "bin", deps: [1, 2] },
        { name: "log" },
        { name: "derive", kind: "proc-macro", deps: [1] },
      ],
      [0],
    ),
  ),
);

test("graph: every format, to stdout or a file, byte-identical across runs", () => {
  for (const format of ["dot", "mermaid", "json", "html"]) {
    const a = runCli(["graph", "--unit-graph", file, "--format", format]);
    assert.equal(a.code, 0, a.stderr);
    const out = join(dir, `g.${format}`);
    const b = runCli(["graph", "--unit-graph", file, "--format", format, "-o", out]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, "");
    assert.equal(readFileSync(out, "utf8"), a.stdout, format);
  }
  const model = JSON.parse(runCli(["graph", "--unit-graph", file, "--format", "json"]).stdout) as GraphModel;
  assert.deepEqual(
    model.nodes.map((n) => `${n.name}:${n.side}`),
    ["app:target", "log:both", "derive:host"],
  );
});

test("why: text shows target and host paths apart", () => {
  const r = runCli(["why", "log", "--unit-graph", file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      "log v1.0.0 for host",
      "  features: (none)",
      "",
      "target units: 1 path from the roots",
      "log v1.0.0",
      '└── app v1.0.0 (/ws/app) (bin "app") [normal] (root)',
      "",
      "host units (build scripts, proc-macros and their dependencies): 1 path from the roots",
      "log v1.0.0",
      "└── derive v1.0.0 (proc-macro) [normal]",
      '    └── app v1.0.0 (/ws/app) (bin "app") [proc-macro] (root)',
      "",
    ].join("\n"),
  );
});

test("errors: bad format and limit are usage errors; a bad graph file is one line", () => {
  const fmt = runCli(["graph", "--unit-graph", file, "--format", "png"]);
  assert.equal(fmt.code, 2);
  assert.equal(fmt.stderr, "error: --format must be one of dot, mermaid, html, json, not `png`\n");
  assert.equal(runCli(["why", "log", "--unit-graph", file, "--limit", "0"]).code, 2);
  const bad = join(dir, "bad.json");
  writeFileSync(
    bad,
    JSON.stringify({
      version: 1,
      units: [
        { pkg_id: "x", target: { name: "x", kind: ["lib"] }, features: [], dependencies: [{ index: 5 }] },
      ],
      roots: [0],
    }),
  );
  const r = runCli(["why", "x", "--unit-graph", bad]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `error: ${bad}: not a unit graph (cargo --unit-graph, version 1): unit 0 depends on a unit out of range\n`,
  );
  const missing = runCli(["graph", "--unit-graph", join(dir, "nope.json")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: .*nope\.json: cannot read the unit graph: ENOENT\n$/);
  const notJson = join(dir, "text.json");
  writeFileSync(notJson, "{");
  assert.match(runCli(["graph", "--unit-graph", notJson]).stderr, /^error: .*text\.json: not JSON: /);
});
