/**
 * The unit graph as nodes and edges ready to draw: every unit with its package, role, side and features,
 * every edge with its kind (and, with a Project, platform condition and enabling features), and for each
 * node a few of its paths from the roots. The `json` format of `crateflake graph` prints this; the DOT,
 * Mermaid and HTML renderers read it.
 */
import type { Project } from "../cargo/model.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import { describeEdge, type EdgeKind } from "./edges.ts";
import { explainFeature } from "./features.ts";
import type { GraphChanges, NodeRebuild } from "./graph-changes.ts";
import { parsePackageId, type SourceKind, sourceLabel } from "./package-id.ts";
import { pathsTo, type Side } from "./paths.ts";
import { causeLine } from "./render-why.ts";
import { graphTarget, indexGraph, type UnitRole } from "./units.ts";

export interface GraphNode {
  /** `u` + the unit's index in the unit graph. */
  id: string;
  index: number;
  pkgId: string;
  name: string;
  version: string;
  sourceKind: SourceKind;
  /** Directory of a path package, URL of a git one or of a non-crates.io registry; else null. */
  source: string | null;
  role: UnitRole;
  targetName: string;
  platform: string | null;
  /** `target`, `host`, or `both` (one unit serving both sides, only without `--target`). */
  side: "target" | "host" | "both";
  root: boolean;
  features: string[];
  /** Paths from the roots (as node indices, root first), a few per side, with the exact count. */
  why: Partial<Record<Side, { count: number; paths: number[][] }>>;
  /** For each feature, its direct causes as one-line texts (`crateflake why --feature` follows the chain). */
  featureCauses: Record<string, string[]>;
  /** With `graph --changes`: set when the unit rebuilds, with its causes. */
  rebuild?: NodeRebuild;
}

export interface GraphEdge {
  from: number;
  to: number;
  kind: EdgeKind;
  externName: string;
  platform: string | null;
  optional: boolean;
  enabledBy: string[];
}

export interface GraphModel {
  /** The `--target` triple, or null for the host. */
  target: string | null;
  roots: number[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** With `graph --changes`: what was compared and how many units rebuild. */
  changes?: GraphChanges;
}

export interface GraphModelOptions {
  project?: Project | null;
  /** Paths kept per node and side. */
  pathsPerNode?: number;
  /** The build machine's triple, to judge `[target.X]` conditions of units with platform null. */
  hostTriple?: string | null;
}

export function graphModel(graph: UnitGraph, options: GraphModelOptions = {}): GraphModel {
  const ix = indexGraph(graph, options.hostTriple ?? null);
  const project = options.project ?? null;
  const limit = options.pathsPerNode ?? 8;
  const nodes: GraphNode[] = graph.units.map((u, i) => {
    const parts = parsePackageId(u.pkg_id);
    const s = ix.sides[i];
    const why: GraphNode["why"] = {};
    for (const side of ["target", "host"] as const) {
      if (!s[side]) continue;
      const set = pathsTo(ix, i, side, limit);
      why[side] = { count: set.count, paths: set.paths.map((p) => p.units) };
    }
    return {
      id: `u${i}`,
      index: i,
      pkgId: u.pkg_id,
      name: parts.name,
      version: parts.version,
      sourceKind: parts.sourceKind,
      source: sourceLabel(parts),
      role: ix.roles[i],
      targetName: u.target.name,
      platform: u.platform,
      side: s.target && s.host ? "both" : s.host ? "host" : "target",
      root: ix.roots.has(i),
      features: [...u.features],
      why,
      featureCauses: {},
    };
  });
  const label = (i: number) => nodeLabel(nodes[i]);
  nodes.forEach((n, i) => {
    for (const f of n.features) {
      n.featureCauses[f] = explainFeature(ix, project, i, f, 1).because.map((c) => causeLine(c, label));
    }
  });
  const edges: GraphEdge[] = [];
  graph.units.forEach((u, from) => {
    u.dependencies.forEach((_, edge) => {
      const e = describeEdge(ix, project, from, edge);
      edges.push({
        from,
        to: e.to,
        kind: e.kind,
        externName: e.externName,
        platform: e.platform,
        optional: e.optional,
        enabledBy: e.enabledBy,
      });
    });
  });
  edges.sort((a, b) => a.from - b.from || a.to - b.to || (a.externName < b.externName ? -1 : 1));
  return { target: graphTarget(graph), roots: [...graph.roots], nodes, edges };
}

const ROLE_SUFFIX: Partial<Record<UnitRole, string>> = {
  "build-script": "build script",
  "build-script-run": "build script run",
  "proc-macro": "proc-macro",
  bin: "bin",
  example: "example",
  test: "test",
  doctest: "doctest",
  bench: "bench",
};

/** The short text drawn in a node: `name version`, plus the role when it is not a lib. */
export function nodeLabel(n: GraphNode): string {
  const suffix = ROLE_SUFFIX[n.role];
  return `${n.name} ${n.version}${suffix ? ` (${suffix})` : ""}`;
}
