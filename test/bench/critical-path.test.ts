/**
 * The benchmark's arithmetic: cargo's critical path from --timings and the unit graph, and the self time
 * of a CPU profile (with bundle positions mapped back to the sources). Hand-made inputs with answers
 * worked out by hand.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { criticalPath, parsePkgId, parseTimingHtml, parseUnitGraph } from "../../bench/critical-path.ts";
import { bundleSources, topSelfTime } from "../../bench/profile.ts";
import { tempDir } from "../support/env.ts";

// a (lib, 2 s, metadata at 1 s) <- b (lib, 3 s, metadata at 1 s) <- bin (1 s); a <- bin too.
const html = `<script>
const UNIT_DATA = [
  {"i":0,"name":"a","version":"1.0.0","mode":"todo","target":"","features":["std"],"start":0,"duration":2,
   "sections":[["frontend",{"start":0,"end":1}],["codegen",{"start":1,"end":2}]]},
  {"i":1,"name":"b","version":"0.1.0","mode":"todo","target":"","features":[],"start":1,"duration":3,
   "sections":[["frontend",{"start":0,"end":1}],["codegen",{"start":1,"end":3}]]},
  {"i":2,"name":"app","version":"0.1.0","mode":"todo","target":" app \\"bin\\"","features":[],"start":4,"duration":1,"sections":null}
];
const CONCURRENCY_DATA = [];
</script>`;

const unit = (pkg: string, kind: string, types: string[], features: string[], deps: number[]) => ({
  pkg_id: pkg,
  target: { kind: [kind], crate_types: types, name: kind === "bin" ? "app" : "x" },
  mode: "build",
  features,
  dependencies: deps.map((index) => ({ index })),
});
const graph = {
  units: [
    unit("registry+https://github.com/rust-lang/crates.io-index#a@1.0.0", "lib", ["lib"], ["std"], []),
    unit("registry+https://github.com/rust-lang/crates.io-index#b@0.1.0", "lib", ["lib"], [], [0]),
    unit("path+file:///w/app#0.1.0", "bin", ["bin"], [], [0, 1]),
  ],
};

test("package ids of every spelling", () => {
  assert.deepEqual(parsePkgId("path+file:///w/app#0.1.0"), { name: "app", version: "0.1.0" });
  assert.deepEqual(parsePkgId("registry+https://x#serde@1.0.1"), { name: "serde", version: "1.0.1" });
  assert.deepEqual(parsePkgId("serde 1.0.1 (registry+https://x)"), { name: "serde", version: "1.0.1" });
});

test("critical path with and without pipelining", () => {
  const timings = parseTimingHtml(html);
  assert.deepEqual(
    timings.map((t) => [t.name, t.kind, t.rmeta]),
    [
      ["a", "lib", 1],
      ["b", "lib", 1],
      ["app", "bin:app", null],
    ],
  );
  const cp = criticalPath(parseUnitGraph(graph), timings);
  // Unpipelined: a (2) + b (3) + app (1). Pipelined: b starts at a's metadata (1), ends at 4; app links after b.
  assert.deepEqual(cp, { pipelinedS: 5, unpipelinedS: 6, unmatched: 0 });
});

test("self time of a CPU profile, idle excluded", () => {
  const frame = (functionName: string, lineNumber: number) => ({
    functionName,
    url: "file:///x.js",
    lineNumber,
  });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", 0) },
      { id: 2, callFrame: frame("parse", 9) },
      { id: 3, callFrame: frame("(idle)", 0) },
      { id: 4, callFrame: frame("emit", 19) },
    ],
    samples: [2, 2, 4, 3, 2],
    timeDeltas: [0, 1000, 1000, 3000, 5000, 0],
  };
  const { top, totalMs } = topSelfTime(profile, 10);
  // Each sample lasts until the next: parse 1 + 1 + 0 ms, emit 3 ms, idle 5 ms (not counted).
  assert.equal(totalMs, 5);
  assert.deepEqual(
    top.map((t) => [t.functionName, t.line, t.selfMs]),
    [
      ["emit", 20, 3],
      ["parse", 10, 2],
    ],
  );
});

test("profile positions in the bundle are mapped back to the sources", async () => {
  const root = tempDir("bundle-map");
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src/main.ts"), 'import { work } from "./work.ts";\nconsole.log(work(2));\n');
  writeFileSync(
    join(root, "src/work.ts"),
    "// the work\n\nexport function work(n: number): number {\n  return n * 21;\n}\n",
  );
  const bundle = join(root, "dist/out.mjs");
  await build({
    entryPoints: [join(root, "src/main.ts")],
    outfile: bundle,
    bundle: true,
    format: "esm",
    sourcemap: "external",
  });
  const lines = readFileSync(bundle, "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes("function work("));
  const column = lines[line]!.indexOf("function work(");
  const locate = bundleSources(bundle, root);
  assert.deepEqual(locate(pathToFileURL(bundle).href, line, column), { url: "src/work.ts", line: 3 });
  assert.equal(locate("file:///elsewhere.js", line, column), null);
  assert.equal(
    bundleSources(join(root, "no-such.mjs"), root)(pathToFileURL(bundle).href, line, column),
    null,
  );
});
