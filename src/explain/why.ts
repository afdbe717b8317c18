/**
 * `crateflake why`: which units of the graph are the crate asked about, every path from a root to each of
 * them (target and host paths apart), the inverted tree, and optionally the chain behind one feature.
 * Pure: takes the unit graph (and the Project when there is one) and returns a JSON-ready report.
 */
import type { Project } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import { describeEdge, type EdgeInfo } from "./edges.ts";
import { explainFeature, type FeatureChain } from "./features.ts";
import type { SourceKind } from "./package-id.ts";
import { invertedTree, type PathSet, pathsTo, type Side, type TreeNode } from "./paths.ts";
import { type GraphIndex, indexGraph, type UnitRole } from "./units.ts";

export interface UnitSummary {
  index: number;
  pkgId: string;
  name: string;
  version: string;
  sourceKind: SourceKind;
  role: UnitRole;
  targetName: string;
  platform: string | null;
  sides: Side[];
  root: boolean;
  features: string[];
}

export interface WhyMatch {
  unit: number;
  sides: Side[];
  paths: Partial<Record<Side, PathSet>>;
  trees: Partial<Record<Side, TreeNode>>;
  feature?: FeatureChain;
}

export interface WhyReport {
  query: { crate: string; version: string | null; feature: string | null };
  /** The graph's `--target` triple, null for a host build. */
  target: string | null;
  matches: WhyMatch[];
  /** Every unit the report mentions, by index. */
  units: Record<string, UnitSummary>;
  /** Every edge the report mentions, keyed `FROM:EDGE` (index into the dependent's `dependencies`). */
  edges: Record<string, EdgeInfo>;
}

export interface WhyOptions {
  project?: Project | null;
  feature?: string | null;
  /** Most paths listed per match and side (the count is always exact). */
  limit?: number;
  /** The build machine's triple, to judge `[target.X]` conditions of units with platform null. */
  hostTriple?: string | null;
  /** A `feature` that is off for the crate: an error (default), or reported as off (per-output answers,
   * where the feature may be on in one output and off in another). */
  featureOff?: "error" | "report";
}

/** Splits `name@version` (the version may be partial: `1`, `1.0`). */
export function parseCrateSpec(spec: string): { name: string; version: string | null } {
  const at = spec.indexOf("@");
  return at < 0 ? { name: spec, version: null } : { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/**
 * The units of the crate a user means: units of the package (matching the version prefix if given) that
 * something outside the package depends on, or roots. Its build-script units count only when nothing
 * else of the package is in the graph (their outside users are other build scripts, through `links`).
 */
export function selectUnits(ix: GraphIndex, name: string, version: string | null): number[] {
  const all: number[] = [];
  ix.graph.units.forEach((u, i) => {
    const p = ix.packages[i];
    if (p.name !== name) return;
    if (version !== null && p.version !== version && !p.version.startsWith(`${version}.`)) return;
    const usedOutside = ix.dependents[i].some((d) => ix.graph.units[d.from].pkg_id !== u.pkg_id);
    if (usedOutside || ix.roots.has(i)) all.push(i);
  });
  const main = all.filter((i) => ix.roles[i] !== "build-script" && ix.roles[i] !== "build-script-run");
  return main.length > 0 ? main : all;
}

export function why(graph: UnitGraph, spec: string, options: WhyOptions = {}): WhyReport {
  const ix = indexGraph(graph, options.hostTriple ?? null);
  const project = options.project ?? null;
  const { name, version } = parseCrateSpec(spec);
  const report: WhyReport = {
    query: { crate: name, version, feature: options.feature ?? null },
    target: null,
    matches: [],
    units: {},
    edges: {},
  };
  const triples = [...new Set(graph.units.map((u) => u.platform).filter((p) => p !== null))].sort();
  report.target = triples.length > 0 ? triples.join(",") : null;
  const selected = selectUnits(ix, name, version);
  if (options.feature) {
    const withFeature = selected.filter((i) => graph.units[i].features.includes(options.feature!));
    if (selected.length > 0 && withFeature.length === 0 && options.featureOff !== "report") {
      const known = [...new Set(selected.flatMap((i) => graph.units[i].features))].sort();
      throw new UserError(
        `feature \`${options.feature}\` of ${name} is not on in this graph (on: ${known.join(", ") || "none"})`,
      );
    }
  }
  const mention = (i: number) => {
    if (!(i in report.units)) report.units[i] = summarize(ix, i);
  };
  const mentionEdge = (from: number, edge: number) => {
    const key = `${from}:${edge}`;
    if (!(key in report.edges)) report.edges[key] = describeEdge(ix, project, from, edge);
  };
  for (const unit of selected) {
    const m: WhyMatch = { unit, sides: sidesOf(ix, unit), paths: {}, trees: {} };
    mention(unit);
    for (const side of m.sides) {
      const set = pathsTo(ix, unit, side, options.limit ?? 100);
      m.paths[side] = set;
      for (const p of set.paths) {
        for (const i of p.units) mention(i);
        p.edges.forEach((e, k) => {
          mentionEdge(p.units[k], e);
        });
      }
      const tree = invertedTree(ix, unit, side);
      if (tree) {
        m.trees[side] = tree;
        walkTree(tree, (node) => {
          mention(node.unit);
          if (node.edge !== undefined) mentionEdge(node.unit, node.edge);
        });
      }
    }
    if (options.feature && graph.units[unit].features.includes(options.feature)) {
      m.feature = explainFeature(ix, project, unit, options.feature);
      walkFeature(m.feature.because, mention);
    }
    report.matches.push(m);
  }
  return report;
}

function sidesOf(ix: GraphIndex, unit: number): Side[] {
  const s = ix.sides[unit];
  return [...(s.target ? (["target"] as const) : []), ...(s.host ? (["host"] as const) : [])];
}

export function summarize(ix: GraphIndex, i: number): UnitSummary {
  const u = ix.graph.units[i];
  const p = ix.packages[i];
  return {
    index: i,
    pkgId: u.pkg_id,
    name: p.name,
    version: p.version,
    sourceKind: p.sourceKind,
    role: ix.roles[i],
    targetName: u.target.name,
    platform: u.platform,
    sides: sidesOf(ix, i),
    root: ix.roots.has(i),
    features: [...u.features],
  };
}

export function walkTree(node: TreeNode, visit: (node: TreeNode) => void): void {
  visit(node);
  for (const d of node.dependents) walkTree(d, visit);
}

function walkFeature(causes: FeatureChain["because"], visit: (unit: number) => void): void {
  for (const c of causes) {
    visit(c.unit);
    if ("because" in c) walkFeature(c.because, visit);
  }
}
