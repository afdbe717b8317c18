/**
 * Pipelined builds (`pipelining` in crateflake.toml): a chosen library gets two derivations, one that
 * stops once rustc has written its metadata (`.rmeta`) and one that builds its `.rlib`, so that the
 * libraries depending on it start as soon as its metadata exists, as Cargo starts them. Which units
 * compile against the metadata is Cargo's rule (`only_requires_rmeta`): a unit that produces an rlib only
 * (`lib`/`rlib` crate types, mode `build`); binaries, cdylibs, proc-macros, build scripts, tests and
 * doctests link, so they get the full libraries (nix/default.nix).
 *
 * Pure, over emitted data: it marks the chosen units `pipelined` and writes data version 5, which an
 * older Nix library refuses instead of building it unpipelined. With pipelining off nothing changes.
 */
import type { Pipelining } from "../generate/config.ts";
import { NIX_DATA_VERSION_PIPELINED, type NixData, type NixUnit } from "./data.ts";

/** `heavy`: a library whose own compile is at least this much of the rank's work estimate (its
 * package's `.rs` files plus 4 per unit, see `unitHeight` in emit.ts)... */
export const HEAVY_OWN_WORK = 12;
/** ...and that lies on a chain of work at least this share of the data's longest one. */
export const HEAVY_CHAIN_SHARE = 0.5;

/** Cargo's `requires_upstream_objects`: a unit that links (or is a test), so it needs full libraries. */
export function requiresUpstreamObjects(unit: Pick<NixUnit, "mode" | "crateTypes">): boolean {
  return unit.mode !== "build" || unit.crateTypes.some((t) => t !== "lib" && t !== "rlib");
}

/**
 * The data with the libraries `mode` picks marked `pipelined` (new unit objects: emitted entries are
 * shared between systems' data). `heights`: unit key → the rank's height (emit.ts).
 */
export function pipelineData(data: NixData, mode: Pipelining, heights: Map<string, number>): NixData {
  if (mode === "off") return data;
  const chosen = pipelinedUnits(data, mode, heights);
  const units: Record<string, NixUnit> = {};
  for (const [key, unit] of Object.entries(data.units))
    units[key] = chosen.has(key) ? { ...unit, pipelined: true } : unit;
  return { ...data, version: NIX_DATA_VERSION_PIPELINED, units };
}

/** The keys of the libraries to pipeline: those some library compiles against (nothing else would wait
 * for their metadata), all of them or, for `heavy`, those with much work of their own on a long chain. */
export function pipelinedUnits(data: NixData, mode: Pipelining, heights: Map<string, number>): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [key, unit] of Object.entries(data.units)) {
    if (requiresUpstreamObjects(unit)) continue;
    for (const dep of unit.deps) {
      if (requiresUpstreamObjects(data.units[dep.unit])) continue;
      const list = dependents.get(dep.unit) ?? [];
      list.push(key);
      dependents.set(dep.unit, list);
    }
  }
  const candidates = [...dependents.keys()].sort();
  if (mode === "all") return new Set(candidates);
  const height = (key: string) => heights.get(key) ?? 0;
  const own = (key: string) => {
    const unit = data.units[key];
    const below = [...unit.deps.map((d) => d.unit), ...(unit.buildScriptRun ? [unit.buildScriptRun] : [])];
    return height(key) - Math.max(0, ...below.map(height));
  };
  // The heaviest chain of libraries above a unit that compiles against its metadata (memoized).
  const above = new Map<string, number>();
  const aboveOf = (key: string): number => {
    let a = above.get(key);
    if (a === undefined) {
      a = Math.max(0, ...(dependents.get(key) ?? []).map((d) => own(d) + aboveOf(d)));
      above.set(key, a);
    }
    return a;
  };
  const longest = Math.max(0, ...Object.keys(data.units).map((k) => height(k) + aboveOf(k)));
  return new Set(
    candidates.filter(
      (k) => own(k) >= HEAVY_OWN_WORK && height(k) + aboveOf(k) >= HEAVY_CHAIN_SHARE * longest,
    ),
  );
}
