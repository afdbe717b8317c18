/**
 * The inputs of `why` and `graph`: the unit graph — planned from the manifest by the resolver (the same as
 * `crateflake plan`), or read from a saved `--unit-graph FILE` — and, whenever a manifest is at hand, the
 * Project, which tells edge kinds, platform conditions and the features behind optional dependencies.
 */
import { resolve } from "node:path";
import { loadProject } from "../cargo/load.ts";
import type { Project } from "../cargo/model.ts";
import { planUnitGraph } from "../resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../resolve/platforms.ts";
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
  package?: string[];
  workspace?: boolean;
  features?: string[];
  allFeatures?: boolean;
  /** commander's spelling of `--no-default-features`. */
  defaultFeatures?: boolean;
  /** The units of `cargo test --no-run` (tests, examples, doctests and their dev-dependencies). */
  tests?: boolean;
}

export async function loadGraphInput(flags: GraphInputFlags): Promise<GraphInput> {
  const hostTriple = hostTripleOf(process.platform, process.arch);
  if (flags.unitGraph) {
    const graph = readUnitGraph(flags.unitGraph);
    checkTarget(graph, flags.target, flags.unitGraph);
    // With a manifest too, the Project explains edges (platform conditions, optional-dependency features).
    const project = flags.manifestPath
      ? await loadProject(resolve(flags.manifestPath), { quiet: true })
      : null;
    return { graph, project, hostTriple };
  }
  const manifestPath = resolve(flags.manifestPath ?? "Cargo.toml");
  const project = await loadProject(manifestPath, { quiet: true });
  const graph = planUnitGraph(project, {
    packages: flags.package ?? [],
    workspace: flags.workspace,
    targets: flags.target ? [flags.target] : [],
    features: flags.features ?? [],
    allFeatures: flags.allFeatures,
    noDefaultFeatures: flags.defaultFeatures === false,
    tests: flags.tests ?? false,
    manifestPath,
    hostTriple,
    matches: platformMatcher(),
  });
  return { graph, project, hostTriple };
}

/** The planner's single-valued flags, shared by `why` and `graph` (they mean what they mean to `cargo build`). */
export const PLAN_OPTIONS: [flags: string, description: string][] = [
  ["--manifest-path <path>", "Cargo.toml of the project (default: ./Cargo.toml)"],
  [
    "--unit-graph <file>",
    "read a saved unit graph (cargo --unit-graph, crateflake plan) instead of planning",
  ],
  ["--target <triple>", "the target triple to build for (default: the host)"],
  ["--workspace", "build every workspace member"],
  ["--all-features", "activate all features of the selected packages"],
  ["--no-default-features", "do not activate the `default` feature"],
  ["--tests", "the units of `cargo test --no-run` (tests and dev-dependencies)"],
];
