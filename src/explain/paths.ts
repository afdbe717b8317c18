/**
 * Paths from the roots of a unit graph down to one unit, split by the side the unit is on along the path:
 * a path that passes through a proc-macro or a build script makes it a host unit there, any other path a
 * target unit. Walking upward from the unit, the side is a small state machine:
 *   target       — every edge so far stays on the target side; dependents must be target units;
 *   need-switch  — we want host paths and have not yet crossed into the host; dependents must be host units;
 *   any          — a switch was crossed below; any dependent will do.
 */
import { type GraphIndex, switchesToHost } from "./units.ts";

export type Side = "target" | "host";
type State = "target" | "need-switch" | "any";

/** One step upward: the dependent unit and which of its edges leads down. */
interface Up {
  from: number;
  edge: number;
  state: State;
}

function upward(ix: GraphIndex, unit: number, state: State): Up[] {
  const out: Up[] = [];
  for (const { from, edge } of ix.dependents[unit]) {
    const sw = switchesToHost(ix, from, unit);
    if (state === "target") {
      if (!sw && ix.sides[from].target) out.push({ from, edge, state });
    } else if (state === "need-switch") {
      if (sw) out.push({ from, edge, state: "any" });
      else if (ix.sides[from].host) out.push({ from, edge, state });
    } else out.push({ from, edge, state });
  }
  return out;
}

function done(ix: GraphIndex, unit: number, state: State): boolean {
  // A root is where a path starts: a target root ends a target walk, a host root (a proc-macro member)
  // a host walk, and any root ends a walk that already crossed into the host.
  if (!ix.roots.has(unit)) return false;
  if (state === "any") return true;
  return ix.hostRoots.has(unit) === (state === "need-switch");
}

function startState(side: Side): State {
  return side === "target" ? "target" : "need-switch";
}

/** The inverted tree (`cargo tree -i`): each node a dependent, reached through `edge` of `unit`. */
export interface TreeNode {
  unit: number;
  /** Index into `graph.units[unit].dependencies` of the edge to the child (absent at the top). */
  edge?: number;
  root: boolean;
  /** Set when this unit's dependents were already printed higher up (`cargo tree`'s `(*)`). */
  repeated?: boolean;
  dependents: TreeNode[];
}

/** The inverted tree of `unit` for one side, or null when no path reaches it on that side. */
export function invertedTree(ix: GraphIndex, unit: number, side: Side): TreeNode | null {
  const count = counter(ix);
  const reach = (u: number, state: State) => count(u, state) > 0;
  const start = startState(side);
  if (!reach(unit, start)) return null;
  const seen = new Set<string>();
  const build = (u: number, state: State, edge: number | undefined): TreeNode => {
    const key = `${u}:${state}`;
    const node: TreeNode = { unit: u, root: ix.roots.has(u), dependents: [] };
    if (edge !== undefined) node.edge = edge;
    if (seen.has(key)) {
      if (upward(ix, u, state).some((x) => reach(x.from, x.state))) node.repeated = true;
      return node;
    }
    seen.add(key);
    for (const up of upward(ix, u, state)) {
      if (reach(up.from, up.state)) node.dependents.push(build(up.from, up.state, up.edge));
    }
    return node;
  };
  return build(unit, start, undefined);
}

/** A path from a root down to the unit: `units[0]` is a root, `edges[i]` leads from `units[i]` to `units[i+1]`. */
export interface UnitPath {
  units: number[];
  edges: number[];
}

export interface PathSet {
  /** Number of distinct paths (may exceed `paths.length` when truncated). */
  count: number;
  paths: UnitPath[];
  truncated: boolean;
}

/**
 * Number of upward walks from (unit, state) that end at a root. It does not depend on where the walk
 * began, so one memo per graph serves every query (the graph page asks for every unit).
 */
const pathCounts = new WeakMap<GraphIndex, Float64Array>();
const STATE_SLOT: Record<State, number> = { target: 0, "need-switch": 1, any: 2 };
function counter(ix: GraphIndex): (u: number, state: State) => number {
  let memo = pathCounts.get(ix);
  if (!memo) {
    memo = new Float64Array(ix.graph.units.length * 3).fill(-1);
    pathCounts.set(ix, memo);
  }
  const counts = memo;
  const count = (u: number, state: State): number => {
    const slot = u * 3 + STATE_SLOT[state];
    if (counts[slot] >= 0) return counts[slot];
    counts[slot] = 0; // the unit graph is acyclic; this only guards against malformed input
    let n = done(ix, u, state) ? 1 : 0;
    for (const x of upward(ix, u, state)) n += count(x.from, x.state);
    counts[slot] = n;
    return n;
  };
  return count;
}

/** Every path from a root to `unit` on `side`, at most `limit` of them, in a stable order. */
export function pathsTo(ix: GraphIndex, unit: number, side: Side, limit = 100): PathSet {
  const count = counter(ix);
  const total = count(unit, startState(side));
  const found: UnitPath[] = [];
  // Walk upward collecting the reversed path; `done` units also continue upward (a root may depend on a
  // root, e.g. a bin on its package's lib, and both paths count).
  const walk = (u: number, state: State, units: number[], edges: number[]) => {
    if (found.length >= limit) return;
    units.push(u);
    if (done(ix, u, state)) found.push({ units: [...units].reverse(), edges: [...edges].reverse() });
    for (const x of upward(ix, u, state)) {
      if (found.length >= limit) break;
      if (count(x.from, x.state) === 0) continue;
      edges.push(x.edge);
      walk(x.from, x.state, units, edges);
      edges.pop();
    }
    units.pop();
  };
  walk(unit, startState(side), [], []);
  found.sort(comparePaths);
  return { count: total, paths: found, truncated: found.length < total };
}

function comparePaths(a: UnitPath, b: UnitPath): number {
  const n = Math.min(a.units.length, b.units.length);
  for (let i = 0; i < n; i++) if (a.units[i] !== b.units[i]) return a.units[i] - b.units[i];
  return a.units.length - b.units.length;
}
