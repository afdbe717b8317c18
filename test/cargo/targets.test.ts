import assert from "node:assert/strict";
import { test } from "node:test";
import { discoverTargets, type TargetInput } from "../../src/cargo/targets.ts";

const base = (files: string[], extra: Partial<TargetInput> = {}): TargetInput => ({
  packageName: "my-pkg",
  edition: "2021",
  root: "/p",
  files,
  ...extra,
});

const summary = (input: TargetInput) =>
  discoverTargets(input).map((t) => `${t.kind.join(",")}:${t.name}:${t.srcPath.replace("/p/", "")}`);

test("auto-discovery: lib, main, bins, examples, tests, benches, build script, in Cargo's order", () => {
  const files = [
    "build.rs",
    "src/lib.rs",
    "src/main.rs",
    "src/bin/b.rs",
    "src/bin/a/main.rs",
    "src/bin/a/helper.rs",
    "src/bin/deep/x/main.rs",
    "examples/ex.rs",
    "examples/multi/main.rs",
    "tests/it.rs",
    "tests/common/mod.rs",
    "benches/speed.rs",
    "README.md",
  ];
  assert.deepEqual(summary(base(files)), [
    "lib:my_pkg:src/lib.rs",
    "bin:a:src/bin/a/main.rs",
    "bin:b:src/bin/b.rs",
    "bin:my-pkg:src/main.rs",
    "example:ex:examples/ex.rs",
    "example:multi:examples/multi/main.rs",
    "test:it:tests/it.rs",
    "bench:speed:benches/speed.rs",
    "custom-build:build-script-build:build.rs",
  ]);
});

test("flags per kind match cargo metadata's defaults", () => {
  const t = discoverTargets(base(["src/lib.rs", "src/main.rs", "examples/e.rs", "tests/t.rs", "build.rs"]));
  const flags = t.map((x) => [x.kind[0], x.crateTypes.join(","), x.doc, x.doctest, x.test]);
  assert.deepEqual(flags, [
    ["lib", "lib", true, true, true],
    ["bin", "bin", true, false, true],
    ["example", "bin", false, false, false],
    ["test", "bin", false, false, true],
    ["custom-build", "bin", false, false, false],
  ]);
});

test("declared targets: lib name and crate types, proc-macro, explicit bin path, required-features", () => {
  const t = discoverTargets(
    base(["src/lib.rs", "src/tool.rs", "src/bin/x.rs"], {
      lib: { name: "custom", crateTypes: ["cdylib", "rlib"] },
      bins: [
        { name: "tool", path: "src/tool.rs", requiredFeatures: ["cli"] },
        { name: "x", test: false },
      ],
    }),
  );
  assert.deepEqual(t[0].kind, ["cdylib", "rlib"]);
  assert.equal(t[0].name, "custom");
  assert.equal(t[1].name, "tool");
  assert.deepEqual(t[1].requiredFeatures, ["cli"]);
  assert.equal(t[2].srcPath, "/p/src/bin/x.rs");
  assert.equal(t[2].test, false);
  const pm = discoverTargets(base(["src/lib.rs"], { lib: { procMacro: true } }));
  assert.deepEqual([pm[0].kind, pm[0].crateTypes], [["proc-macro"], ["proc-macro"]]);
  const cdylib = discoverTargets(base(["src/lib.rs"], { lib: { crateTypes: ["cdylib"] } }));
  assert.equal(cdylib[0].doctest, false, "a cdylib-only lib has no doctests");
});

test("auto* = false, build = false, custom build path, edition-2015 rule for declared targets", () => {
  const files = ["src/main.rs", "src/bin/other.rs", "examples/e.rs", "build.rs", "tools/b.rs"];
  assert.deepEqual(summary(base(files, { autobins: false, autoexamples: false, build: false })), []);
  assert.deepEqual(summary(base(["src/lib.rs", "src/main.rs"], { autolib: false })), [
    "bin:my-pkg:src/main.rs",
  ]);
  assert.deepEqual(summary(base(files, { autobins: false, build: "tools/b.rs", autoexamples: false })), [
    "custom-build:build-script-b:tools/b.rs",
  ]);
  // 2015: declaring a bin turns bin inference off; 2018+: inferred ones are added unless name or path clash.
  const declared = { bins: [{ name: "main-one", path: "src/main.rs" }] };
  assert.deepEqual(
    summary(base(files, { edition: "2015", ...declared, autoexamples: false, build: false })),
    ["bin:main-one:src/main.rs"],
  );
  assert.deepEqual(summary(base(files, { ...declared, autoexamples: false, build: false })), [
    "bin:main-one:src/main.rs",
    "bin:other:src/bin/other.rs",
  ]);
});
