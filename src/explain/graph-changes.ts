/**
 * `crateflake graph --changes`: the rebuilds of an output (rebuilds.ts, against a revision or a data
 * file) laid over its planned unit graph, so the page can highlight each unit that rebuilds with its
 * causes. A rebuilt unit of the data is found in the plan by what its key was hashed from: package,
 * target, kind, mode, platform and features.
 */
import type { UnitGraph } from "../resolve/unit-graph.ts";
import type { GraphModel } from "./graph-model.ts";
import type { Cause, OutputRebuilds, RebuiltUnit } from "./rebuilds.ts";
import { unitWhat } from "./rebuilds.ts";
import { causeText } from "./render-rebuilds.ts";
import { indexGraph } from "./units.ts";

/** One unit's rebuild on the page: its causes, and the same as one line each. */
export interface NodeRebuild {
  causes: Cause[];
  lines: string[];
}

/** What a model's `changes` says about the comparison as a whole. */
export interface GraphChanges {
  /** The revision or data file compared with. */
  against: string;
  /** False against a data file: path crates' source edits are not seen. */
  sourcesCompared: boolean;
  /** How many of the output's units rebuild. */
  rebuilt: number;
}

/** Index of each rebuilt unit in the planned graph (a unit not found there is left out). */
export function rebuiltIndices(
  graph: UnitGraph,
  hostTriple: string,
  rebuilt: RebuiltUnit[],
): Map<number, RebuiltUnit> {
  const ix = indexGraph(graph, hostTriple);
  const byId = new Map<string, number>();
  graph.units.forEach((u, i) => {
    const p = ix.packages[i];
    const what = unitWhat({ mode: u.mode, kind: u.target.kind, targetName: u.target.name });
    byId.set(unitId(p.name, p.version, what, u.platform ?? null, [...u.features].sort()), i);
  });
  const found = new Map<number, RebuiltUnit>();
  for (const r of rebuilt) {
    const i = byId.get(unitId(r.name, r.version, r.what, r.target, r.features));
    if (i !== undefined) found.set(i, r);
  }
  return found;
}

function unitId(name: string, version: string, what: string, platform: string | null, features: string[]) {
  return JSON.stringify([name, version, what, platform, features]);
}

/** The model with its rebuilt nodes marked (`rebuild`) and `changes` set. */
export function withChanges(
  model: GraphModel,
  graph: UnitGraph,
  hostTriple: string,
  output: OutputRebuilds,
  against: { against: string; sourcesCompared: boolean },
): GraphModel {
  const found = rebuiltIndices(graph, hostTriple, output.rebuilt);
  const nodes = model.nodes.map((n) => {
    const r = found.get(n.index);
    return r ? { ...n, rebuild: { causes: r.causes, lines: r.causes.map(causeText) } } : n;
  });
  const changes = { against: against.against, sourcesCompared: against.sourcesCompared, rebuilt: found.size };
  return { ...model, nodes, changes };
}
