/**
 * `generate`: config → load every root → plan each output for each Nix system → emit one data file per
 * system. Returns the files to write (flake-relative path → content); the caller writes them atomically.
 * The same inputs give the same bytes.
 */
import { join } from "node:path";
import { loadProject } from "../cargo/load.ts";
import type { Project } from "../cargo/model.ts";
import type { EmitGraph, NixData } from "../nix/data.ts";
import { buildNixData } from "../nix/emit.ts";
import { dataFile } from "../nix/flake.ts";
import { dataJson } from "../nix/json.ts";
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import type { PlatformMatcher } from "../resolve/features.ts";
import { platformMatcher } from "../resolve/platforms.ts";
import { checkGraphs } from "./checks.ts";
import type { Config, OutputSpec } from "./config.ts";
import { inputFiles } from "./inputs.ts";
import { memoPlanner, type Planner } from "./planner.ts";

export interface GenerateOptions {
  quiet?: boolean;
  cacheDir?: string;
  /** Systems to generate data for (default: all of NIX_SYSTEMS). */
  systems?: string[];
}

/** Load each root manifest named by the config once. */
export async function loadRoots(
  flakeRoot: string,
  manifests: string[],
  opts: GenerateOptions = {},
): Promise<Map<string, Project>> {
  const projects = new Map<string, Project>();
  for (const manifest of [...new Set(manifests)].sort()) {
    projects.set(
      manifest,
      await loadProject(join(flakeRoot, manifest), { quiet: opts.quiet, cacheDir: opts.cacheDir }),
    );
  }
  return projects;
}

/** The unit graph of one output on one system: `native` builds for the system's own triple. */
export function planOutput(
  project: Project,
  output: OutputSpec,
  hostTriple: string,
  matches: PlatformMatcher = platformMatcher(),
  plan: Planner = memoPlanner(),
) {
  return plan(project, {
    packages: [output.package],
    targets: [output.target === "native" ? hostTriple : output.target],
    features: output.features,
    noDefaultFeatures: !output.defaultFeatures,
    hostTriple,
    matches,
    profile: "release",
  });
}

/** The data file of each system (flake-relative path → text), and the data of the first one (which
 * outputs and binaries there are does not depend on the system). */
export async function generateFiles(
  flakeRoot: string,
  config: Config,
  opts: GenerateOptions = {},
): Promise<{ files: Map<string, string>; first: NixData }> {
  const projects = await loadRoots(
    flakeRoot,
    config.outputs.map((o) => o.manifest),
    opts,
  );
  const inputs = inputFiles(flakeRoot, [...projects.values()]);
  const files = new Map<string, string>();
  let first: NixData | undefined;
  const plan = memoPlanner();
  const matches = platformMatcher();
  for (const system of opts.systems ?? Object.keys(NIX_SYSTEMS).sort()) {
    const hostTriple = NIX_SYSTEMS[system];
    const graphs: EmitGraph[] = config.outputs.map((output) => {
      const project = projects.get(output.manifest)!;
      return {
        name: output.name,
        toolchain: output.target === "native" ? "default" : output.target,
        graph: planOutput(project, output, hostTriple, matches, plan),
        project,
        sources: project.sources,
      };
    });
    graphs.push(...checkGraphs(projects, config, { hostTriple, matches, plan }));
    const data = buildNixData(graphs, { flakeRoot, inputs });
    first ??= data;
    files.set(dataFile(system), dataJson(data));
  }
  if (!first) throw new Error("no Nix system to generate data for");
  return { files, first };
}
