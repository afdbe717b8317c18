/**
 * Cargo's per-unit LTO decision (cargo's `core/compiler/lto.rs`): whether a unit's rustc call gets
 * `-C lto[=…]`, `-C lto=off`, `-C linker-plugin-lto` (bitcode only), `-C embed-bitcode=no` (object code
 * only) or nothing (both). With the default `lto = false` every unit is object code only, which saves
 * LLVM writing bitcode into every rlib. A library's decision follows the roots that link it, so it is
 * computed over the whole graph, from the roots down.
 */
import type { Unit, UnitGraph } from "./unit-graph.ts";

/** `run` (`-C lto`), `run=NAME` (`-C lto=NAME`), `off`, `only-object`, `only-bitcode`, `object-and-bitcode`. */
export type Lto = "run" | `run=${string}` | "off" | "only-object" | "only-bitcode" | "object-and-bitcode";

/** Crate types rustc can run LTO for (Cargo's `CrateType::can_lto`). */
const canLto = (t: string) => t === "bin" || t === "staticlib" || t === "cdylib";
const needsObject = (types: string[]) => types.some((t) => canLto(t) || t === "dylib");
const forHost = (u: Unit) => u.target.kind.includes("proc-macro") || u.target.kind.includes("custom-build");

/** The profile's `lto` setting as the unit graph prints it: `false`, `true`, `off`, or a name (`thin`, `fat`). */
function profileLto(u: Unit): Lto {
  const lto = String(u.profile.lto);
  if (lto === "false") return "only-object";
  if (lto === "off") return "off";
  return lto === "true" ? "run" : `run=${lto}`;
}

function whenNeedsObject(types: string[]): Lto {
  // rustc cannot run LTO for dylibs, so a dylib alone needs no bitcode.
  return types.every((t) => t === "dylib") ? "only-object" : "object-and-bitcode";
}

function merge(a: Lto, b: Lto): Lto {
  if (a === b) return a;
  if (a.startsWith("run")) return a;
  if (b.startsWith("run")) return b;
  if (a === "off" || b === "off") return "off";
  return "object-and-bitcode";
}

/** Every unit's decision, by index. */
export function unitLto(graph: UnitGraph): Lto[] {
  const decided: (Lto | undefined)[] = new Array(graph.units.length);
  const calculate = (index: number, parent: Lto): void => {
    const unit = graph.units[index];
    const types = unit.mode === "test" || unit.mode === "doctest" ? ["bin"] : unit.target.crate_types;
    let lto: Lto;
    if (forHost(unit)) lto = "only-object";
    else if (types.every(canLto)) lto = profileLto(unit);
    else if (parent.startsWith("run")) lto = needsObject(types) ? whenNeedsObject(types) : "only-bitcode";
    else if (parent === "only-bitcode" && needsObject(types)) lto = whenNeedsObject(types);
    else lto = parent;
    const prior = decided[index];
    const next = prior === undefined ? lto : merge(lto, prior);
    if (next === prior) return;
    decided[index] = next;
    for (const dep of unit.dependencies) calculate(dep.index, next);
  };
  for (const root of graph.roots) {
    const unit = graph.units[root];
    const types = unit.target.crate_types;
    const own = profileLto(unit);
    // A root's own crate types (not its mode's) decide what LTO needs from it.
    let rootLto: Lto = own;
    if (own.startsWith("run"))
      rootLto = forHost(unit) ? "only-object" : needsObject(types) ? whenNeedsObject(types) : "only-bitcode";
    calculate(root, rootLto);
  }
  return Array.from(decided, (lto) => lto ?? "only-object");
}
