/**
 * The inputs of `why` and `graph`: the unit graph (from `--unit-graph FILE`, or planned from the
 * manifest) and, when a manifest is at hand, the Project for edge kinds, platform conditions and features.
 */

import type { Project } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import { checkTarget, readUnitGraph } from "./input.ts";

export interface GraphInput {
  graph: UnitGraph;
  project: Project | null;
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
    return { graph, project: null };
  }
  throw new UserError("planning from a manifest is not wired in yet: pass --unit-graph FILE");
}
