/**
 * Cargo's per-unit LTO decision (src/resolve/lto.ts), on small hand-made graphs that follow cargo's
 * core/compiler/lto.rs case by case. The default profile (`lto = false`) is also checked against Cargo's
 * own command lines in test/nix/rustc-lines.test.ts (every unit gets `-C embed-bitcode=no`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { unitLto } from "../../src/resolve/lto.ts";
import type { Unit, UnitGraph, UnitMode } from "../../src/resolve/unit-graph.ts";

function unit(name: string, kind: string[], lto: string, deps: number[], mode: UnitMode = "build"): Unit {
  const crateTypes = kind.map((k) => (k === "lib" ? "lib" : k === "custom-build" ? "bin" : k));
  return {
    pkg_id: `${name} 0.1.0`,
    target: { kind, crate_types: crateTypes, name, src_path: "src/lib.rs", edition: "2021" },
    profile: {
      name: "release",
      opt_level: "3",
      lto,
      codegen_units: null,
      debuginfo: 0,
      debug_assertions: false,
      overflow_checks: false,
      rpath: false,
      incremental: false,
      panic: "unwind",
    },
    platform: null,
    mode,
    features: [],
    dependencies: deps.map((index) => ({ index, extern_crate_name: "x", public: false, noprelude: false })),
  };
}

/** app (bin) → [lib, macro (proc-macro) → shared (lib)], lib → shared; build script of lib. */
function graph(lto: string, appKind = ["bin"]): UnitGraph {
  return {
    version: 1,
    units: [
      unit("app", appKind, lto, [1, 2]),
      unit("lib", ["lib"], lto, [3, 4]),
      unit("macro", ["proc-macro"], lto, [3]),
      unit("shared", ["lib"], lto, []),
      unit("build-script-build", ["custom-build"], lto, []),
    ],
    roots: [0],
  };
}

test("lto = false: object code only everywhere (-C embed-bitcode=no)", () => {
  assert.deepEqual(unitLto(graph("false")), Array(5).fill("only-object"));
});

test("lto = true: the binary runs LTO, its libraries are bitcode only, host code stays object code", () => {
  // `shared` is reached as bitcode (through lib) and as object code (through the proc-macro): both.
  assert.deepEqual(unitLto(graph("true")), [
    "run",
    "only-bitcode",
    "only-object",
    "object-and-bitcode",
    "only-object",
  ]);
  assert.deepEqual(unitLto(graph("thin"))[0], "run=thin");
});

test('lto = "off": -C lto=off down the graph, but not for build scripts and proc-macros', () => {
  assert.deepEqual(unitLto(graph("off")), ["off", "off", "only-object", "off", "only-object"]);
});

test("a cdylib that is also an rlib needs object code and bitcode under LTO", () => {
  const g = graph("true", ["cdylib", "rlib"]);
  g.units[0].target.crate_types = ["cdylib", "rlib"];
  assert.equal(unitLto(g)[0], "object-and-bitcode");
  assert.equal(unitLto(g)[1], "object-and-bitcode");
});

test("a test harness counts as a binary", () => {
  const g = graph("true");
  g.units[1].mode = "test";
  g.roots = [1];
  // lib's own dependency is bitcode only; the proc-macro is not in this graph's reach (the default).
  assert.deepEqual(unitLto(g).slice(1, 4), ["run", "only-object", "only-bitcode"]);
});
