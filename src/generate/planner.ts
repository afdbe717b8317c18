/**
 * The plans of one `generate` run, memoised: a native output and the clippy/doc build of its package ask
 * for the same graph, and planning 1,000 crates is the costly part of a run. Requests are equal when all
 * their options but the matcher are (one matcher serves a whole run).
 */
import type { Project } from "../cargo/model.ts";
import { type PlanOptions, planUnitGraph } from "../resolve/plan.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";

export type Planner = (project: Project, opts: PlanOptions) => UnitGraph;

export function memoPlanner(): Planner {
  const plans = new WeakMap<Project, Map<string, UnitGraph>>();
  return (project, opts) => {
    let byOpts = plans.get(project);
    if (!byOpts) {
      byOpts = new Map();
      plans.set(project, byOpts);
    }
    const { matches: _, ...rest } = opts;
    const key = JSON.stringify(rest, Object.keys(rest).sort());
    let graph = byOpts.get(key);
    if (!graph) {
      graph = planUnitGraph(project, opts);
      byOpts.set(key, graph);
    }
    return graph;
  };
}

/** The planner of release builds (outputs, clippy, doc) and the native triple it plans them for. */
export interface ReleasePlanner {
  plan: Planner;
  hostTriple: string;
}

/**
 * The manifest of the member an output builds. An output is `cargo build` run in its package's directory:
 * under resolver 1 Cargo gives `--features` and `--no-default-features` to that "current" package only
 * (cli-features.ts), so without it an output's features would reach no package.
 */
export function outputManifest(project: Project, pkg: string): string | undefined {
  const [name, version] = pkg.split("@");
  for (const id of project.members) {
    const p = project.packages.get(id);
    if (p && p.name === name && (version === undefined || p.version === version)) return p.manifestPath;
  }
  return undefined;
}
