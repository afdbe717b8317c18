/**
 * `generate`: config → load every root → plan each output for each Nix system → emit one data file per
 * system. Returns the files to write (flake-relative path → content); the caller writes them atomically.
 * The same inputs give the same bytes.
 */
import { join } from "node:path";
import { loadProject } from "../cargo/load.ts";
import type { Project } from "../cargo/model.ts";
import type { EmitGraph } from "../nix/data.ts";
import { emitNixData } from "../nix/emit.ts";
import { dataFile } from "../nix/flake.ts";
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import { planUnitGraph } from "../resolve/plan.ts";
import { platformMatcher } from "../resolve/platforms.ts";
import { checkGraphs } from "./checks.ts";
import type { Config, OutputSpec } from "./config.ts";
import { inputFiles } from "./inputs.ts";

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
export function planOutput(project: Project, output: OutputSpec, hostTriple: string) {
  return planUnitGraph(project, {
    packages: [output.package],
    targets: [output.target === "native" ? hostTriple : output.target],
    features: output.features,
    noDefaultFeatures: !output.defaultFeatures,
    hostTriple,
    matches: platformMatcher(),
    profile: "release",
  });
}

export async function generateFiles(
  flakeRoot: string,
  config: Config,
  opts: GenerateOptions = {},
): Promise<Map<string, string>> {
  const projects = await loadRoots(
    flakeRoot,
    config.outputs.map((o) => o.manifest),
    opts,
  );
  const inputs = inputFiles(flakeRoot, [...projects.values()]);
  const files = new Map<string, string>();
  for (const system of opts.systems ?? Object.keys(NIX_SYSTEMS).sort()) {
    const hostTriple = NIX_SYSTEMS[system];
    const graphs: EmitGraph[] = config.outputs.map((output) => {
      const project = projects.get(output.manifest)!;
      return {
        name: output.name,
        toolchain: output.target === "native" ? "default" : output.target,
        graph: planOutput(project, output, hostTriple),
        project,
        sources: project.sources,
      };
    });
    graphs.push(...checkGraphs(projects, config, { hostTriple, matches: platformMatcher() }));
    files.set(dataFile(system), emitNixData(graphs, { flakeRoot, inputs }));
  }
  return files;
}
