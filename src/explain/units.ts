/**
 * Facts about the units of a unit graph that `why` and `graph` need: what role a unit plays (lib, bin,
 * build script, proc-macro, ...), which side it is on (host or target) and who depends on it.
 *
 * Sides: with `--target`, Cargo gives host units platform null and target units the triple. Without it,
 * every platform is null and one unit can serve both sides (Cargo merges identical units), so the side is
 * found the way Cargo assigns it: from the roots (target), an edge into a proc-macro or a build-script
 * compilation switches to the host, and everything below a host unit is host.
 */
import type { Unit, UnitGraph } from "../resolve/unit-graph.ts";
import { type PackageIdParts, parsePackageId } from "./package-id.ts";

export type UnitRole =
  | "lib"
  | "bin"
  | "proc-macro"
  | "build-script"
  | "build-script-run"
  | "example"
  | "test"
  | "doctest"
  | "bench"
  | "doc"
  | "check";

export function unitRole(unit: Unit): UnitRole {
  const kind = unit.target.kind;
  if (unit.mode === "run-custom-build") return "build-script-run";
  if (kind.includes("custom-build")) return "build-script";
  if (unit.mode === "doctest") return "doctest";
  if (unit.mode === "test") return kind.includes("bench") ? "bench" : "test";
  if (unit.mode === "doc") return "doc";
  if (unit.mode === "check") return "check";
  if (kind.includes("proc-macro")) return "proc-macro";
  if (kind.includes("bin")) return "bin";
  if (kind.includes("example")) return "example";
  if (kind.includes("test")) return "test";
  if (kind.includes("bench")) return "bench";
  return "lib";
}

/** An edge into this unit puts it on the host: it runs at build time. */
export function isHostEntry(unit: Unit): boolean {
  const role = unitRole(unit);
  return role === "build-script" || role === "proc-macro";
}

export interface Sides {
  target: boolean;
  host: boolean;
}

/** The side(s) of every unit, indexed like `graph.units`. */
export function unitSides(graph: UnitGraph): Sides[] {
  const sides: Sides[] = graph.units.map(() => ({ target: false, host: false }));
  if (graph.units.some((u) => u.platform !== null)) {
    graph.units.forEach((u, i) => {
      if (u.platform === null) sides[i].host = true;
      else sides[i].target = true;
    });
    return sides;
  }
  const stack: [number, "target" | "host"][] = graph.roots.map((r) => [
    r,
    isHostEntry(graph.units[r]) ? "host" : "target",
  ]);
  while (stack.length > 0) {
    const [i, side] = stack.pop()!;
    if (sides[i][side]) continue;
    sides[i][side] = true;
    for (const dep of graph.units[i].dependencies) {
      const next = side === "host" || isHostEntry(graph.units[dep.index]) ? "host" : "target";
      if (!sides[dep.index][next]) stack.push([dep.index, next]);
    }
  }
  return sides;
}

export interface Dependent {
  /** The depending unit. */
  from: number;
  /** Index of the edge in `graph.units[from].dependencies`. */
  edge: number;
}

/** For each unit, the units that depend on it, sorted by dependent index. */
export function dependentsOf(graph: UnitGraph): Dependent[][] {
  const out: Dependent[][] = graph.units.map(() => []);
  graph.units.forEach((u, from) => {
    u.dependencies.forEach((d, edge) => {
      out[d.index].push({ from, edge });
    });
  });
  return out;
}

/** The package id parts of every unit (parsed once). */
export function unitPackages(graph: UnitGraph): PackageIdParts[] {
  const cache = new Map<string, PackageIdParts>();
  return graph.units.map((u) => {
    let p = cache.get(u.pkg_id);
    if (!p) {
      p = parsePackageId(u.pkg_id);
      cache.set(u.pkg_id, p);
    }
    return p;
  });
}

/** The single target triple of the graph (`--target`), or null for a host-only graph. */
export function graphTarget(graph: UnitGraph): string | null {
  const triples = [...new Set(graph.units.map((u) => u.platform).filter((p): p is string => p !== null))];
  triples.sort();
  return triples.length === 0 ? null : triples.join(",");
}

/** Everything `why` and `graph` look up, computed once per graph. */
export interface GraphIndex {
  graph: UnitGraph;
  roles: UnitRole[];
  sides: Sides[];
  packages: PackageIdParts[];
  dependents: Dependent[][];
  roots: Set<number>;
  /** Roots that are host units themselves (a proc-macro member). */
  hostRoots: Set<number>;
  /** True when the graph was made with `--target` (host units have platform null). */
  crossCompiling: boolean;
  /** The build machine's triple, for judging platform conditions of host units; null when unknown. */
  hostTriple: string | null;
}

export function indexGraph(graph: UnitGraph, hostTriple: string | null = null): GraphIndex {
  const sides = unitSides(graph);
  return {
    graph,
    roles: graph.units.map(unitRole),
    sides,
    packages: unitPackages(graph),
    dependents: dependentsOf(graph),
    roots: new Set(graph.roots),
    hostRoots: new Set(graph.roots.filter((r) => sides[r].host && !sides[r].target)),
    crossCompiling: graph.units.some((u) => u.platform !== null),
    hostTriple,
  };
}

/** Does the edge `from → to` move from the target side to the host (a proc-macro, a build script)? */
export function switchesToHost(ix: GraphIndex, from: number, to: number): boolean {
  if (ix.crossCompiling)
    return ix.graph.units[from].platform !== null && ix.graph.units[to].platform === null;
  return isHostEntry(ix.graph.units[to]);
}
