/**
 * The inputs of `why` and `graph`: the unit graph (from `--unit-graph FILE`, or planned from the
 * manifest) and, when a manifest is at hand, the Project for edge kinds, platform conditions and features.
 */
import { resolve } from "node:path";
import { loadProject } from "../cargo/load.ts";
import type { Project } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { hostTripleOf } from "../resolve/platforms.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import { checkTarget, readUnitGraph } from "./input.ts";

export interface GraphInput {
  graph: UnitGraph;
  project: Project | null;
  /** This machine's triple: the platform of host units. */
  hostTriple: string;
}

export interface GraphInputFlags {
  manifestPath?: string;
  unitGraph?: string;
  target?: string;
}

export async function loadGraphInput(flags: GraphInputFlags): Promise<GraphInput> {
  if (flags.unitGraph) {
    const graph = readUnitGraph(flags.unitGraph);
    checkTarget(graph, flags.target, flags.unitGraph);
    // With a manifest too, the Project explains edges (platform conditions, optional-dependency features).
    const project = flags.manifestPath
      ? await loadProject(resolve(flags.manifestPath), { quiet: true })
      : null;
    return { graph, project, hostTriple: hostTripleOf(process.platform, process.arch) };
  }
  throw new UserError("planning from a manifest is not wired in yet: pass --unit-graph FILE");
}
