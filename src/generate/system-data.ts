/**
 * The data of one Nix system: every output planned for the system's triple (`native`) or its own target,
 * the checks' graphs, emitted. Pure: the projects are loaded by the caller. Systems that plan alike share
 * the work (native-platform.ts).
 *
 * Systems are independent, but computing them in worker threads did not pay on a 2-core machine: V8's
 * garbage collector and compiler threads already use the second core, and each worker starts cold.
 */
import type { Project } from "../cargo/model.ts";
import type { EmitGraph, EmitReuse, NixData } from "../nix/data.ts";
import { buildNixData } from "../nix/emit.ts";
import type { PlatformMatcher } from "../resolve/features.ts";
import { platformMatcher } from "../resolve/platforms.ts";
import { checkGraphs } from "./checks.ts";
import type { Config, OutputSpec } from "./config.ts";
import { memoPlanner, outputManifest, type Planner, type ReleasePlanner } from "./planner.ts";

/** What every system's data is made from. */
export interface SystemsJob {
  flakeRoot: string;
  config: Config;
  /** The loaded root projects, by the config's manifest paths. */
  projects: Map<string, Project>;
  /** Staleness hashes of the inputs (inputs.ts). */
  inputs: Record<string, string>;
}

/** The unit graph of one output on one system: `native` builds for the system's own triple. */
export function planOutput(
  project: Project,
  output: OutputSpec,
  hostTriple: string,
  matches: PlatformMatcher,
  plan: Planner,
) {
  return plan(project, {
    packages: [output.package],
    manifestPath: outputManifest(project, output.package),
    targets: [output.target === "native" ? hostTriple : output.target],
    features: output.features,
    noDefaultFeatures: !output.defaultFeatures,
    hostTriple,
    matches,
    profile: "release",
  });
}

/** The data of `hostTriple`'s system, with `NATIVE_TARGET` for its native units: it serves every system
 * whose triple decides alike (native-platform.ts). `release`: see `systemGraphs`; `reuse`: `EmitOptions`. */
export function nativeData(
  job: SystemsJob,
  hostTriple: string,
  release?: ReleasePlanner,
  reuse?: EmitReuse,
): NixData {
  const graphs = systemGraphs(job, hostTriple, release);
  return buildNixData(graphs, {
    flakeRoot: job.flakeRoot,
    inputs: job.inputs,
    nativeTriple: hostTriple,
    reuse,
    pipelining: job.config.pipelining,
  });
}

/** Every graph of one system: the outputs, then the checks. The release builds (outputs, clippy, doc) come
 * from `release`, which may have planned them for another triple that plans alike (native-platform.ts). */
export function systemGraphs(job: SystemsJob, hostTriple: string, release?: ReleasePlanner): EmitGraph[] {
  const { config, projects } = job;
  const plan = memoPlanner();
  const builds = release ?? { plan, hostTriple };
  const matches = platformMatcher();
  const graphs: EmitGraph[] = config.outputs.map((output) => {
    const project = projects.get(output.manifest)!;
    return {
      name: output.name,
      toolchain: output.target === "native" ? "default" : output.target,
      graph: planOutput(project, output, builds.hostTriple, matches, builds.plan),
      project,
      sources: project.sources,
      nativeTriple: builds.hostTriple,
    };
  });
  graphs.push(...checkGraphs(projects, config, { hostTriple, matches, plan, release: builds }));
  return graphs;
}
