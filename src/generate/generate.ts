/**
 * `generate`: config → load every root → plan each output for each Nix system → emit one data file per
 * system. Returns the files to write (flake-relative path → content); the caller writes them atomically.
 * The same inputs give the same bytes.
 */
import { join } from "node:path";
import { loadProjectDetailed } from "../cargo/load.ts";
import type { Project } from "../cargo/model.ts";
import type { EmitReuse, NixData } from "../nix/data.ts";
import { dataFile } from "../nix/flake.ts";
import { dataJson } from "../nix/json.ts";
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import { platformMatcher } from "../resolve/platforms.ts";
import { profileMayHaveDebuginfo } from "../resolve/profile.ts";
import type { Config } from "./config.ts";
import { inputFiles } from "./inputs.ts";
import {
  nativeClasses,
  platformQuestions,
  withNativeTriple,
  withNativeTripleJson,
} from "./native-platform.ts";
import { memoPlanner, type ReleasePlanner } from "./planner.ts";
import { nativeData } from "./system-data.ts";

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
  const ignored = new Set<string>();
  for (const manifest of [...new Set(manifests)].sort()) {
    const loaded = await loadProjectDetailed(join(flakeRoot, manifest), {
      quiet: opts.quiet,
      cacheDir: opts.cacheDir,
      rustflagsWithin: flakeRoot,
    });
    projects.set(manifest, loaded.project);
    for (const file of loaded.config.ignoredRustflags) ignored.add(file);
  }
  // The data is committed and built elsewhere: rustflags come from the flake's own config files only.
  const env = ["CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS"].filter((v) => process.env[v] !== undefined);
  for (const source of [...env.map((v) => `the environment's ${v}`), ...[...ignored].sort()])
    process.stderr.write(
      `warning: rustflags of ${source} are not taken into the flake's data (they are this machine's); ` +
        "set them in the project's .cargo/config.toml\n",
    );
  return projects;
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
  const job = { flakeRoot, config, projects, inputs };
  const files = new Map<string, string>();
  let first: NixData | undefined;
  const systems = opts.systems ?? Object.keys(NIX_SYSTEMS).sort();
  const questions = platformQuestions(projects.values());
  const tripleOf = (system: string) => NIX_SYSTEMS[system];
  const outputTargets = config.outputs.map((o) => o.target);
  const releaseDebuginfo = [...projects.values()].some((p) => profileMayHaveDebuginfo(p, "release"));
  const classes = nativeClasses(
    systems,
    tripleOf,
    questions,
    platformMatcher(),
    outputTargets,
    releaseDebuginfo,
    [...projects.values()].map((p) => p.rustflags),
  );
  // What classes of one release group share: their release plans, emitted units and JSON rows.
  const releases = new Map<string, ReleasePlanner>();
  const reuse: EmitReuse = new WeakMap();
  const rows = new WeakMap<object, string>();
  for (const { systems: members, releaseGroup } of classes) {
    const triple = tripleOf(members[0]);
    let release = releases.get(releaseGroup);
    if (!release) {
      release = { plan: memoPlanner(), hostTriple: triple };
      releases.set(releaseGroup, release);
    }
    const shared = nativeData(job, triple, release, reuse);
    const json = dataJson(shared, rows);
    first ??= withNativeTriple(shared, triple);
    for (const system of members) files.set(dataFile(system), withNativeTripleJson(json, tripleOf(system)));
  }
  if (!first) throw new Error("no Nix system to generate data for");
  return { files, first };
}
