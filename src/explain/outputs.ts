/**
 * `why` and `graph` in a flake directory: the unit graph of each output of crateflake.toml, planned as
 * `generate` plans it for this machine's Nix system (its own target, features and root package), so the
 * answers are about what the flake builds rather than about one `cargo build`.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Project } from "../cargo/model.ts";
import { UsageError, UserError } from "../errors.ts";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { loadRoots } from "../generate/generate.ts";
import { memoPlanner } from "../generate/planner.ts";
import { planOutput } from "../generate/system-data.ts";
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import { hostTripleOf, platformMatcher } from "../resolve/platforms.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import type { GraphInputFlags } from "./load.ts";

export interface OutputGraph {
  /** The output's name in crateflake.toml (`packages.<system>.<name>`). */
  name: string;
  /** The Nix system it was planned for: this machine's. */
  system: string;
  /** The triple its crates are compiled for (`native` resolved to the system's triple). */
  target: string;
  graph: UnitGraph;
  project: Project;
  /** This machine's triple: the platform of the host units. */
  hostTriple: string;
}

export interface OutputFlags extends GraphInputFlags {
  /** `--output NAME`: one output of crateflake.toml. */
  output?: string;
}

/** The Cargo-style flags: with any of them, `why`/`graph` plan one `cargo build` as before. */
const CARGO_FLAGS: (keyof GraphInputFlags)[] = [
  "manifestPath",
  "unitGraph",
  "target",
  "workspace",
  "allFeatures",
  "tests",
];

/** Whether to answer per output: crateflake.toml in `dir` and no Cargo-style flag given. */
export function flakeMode(flags: OutputFlags, dir: string): boolean {
  const cargoStyle =
    CARGO_FLAGS.some((k) => flags[k] !== undefined && flags[k] !== false) ||
    (flags.package?.length ?? 0) > 0 ||
    (flags.features?.length ?? 0) > 0 ||
    flags.defaultFeatures === false;
  const hasConfig = existsSync(join(dir, CONFIG_FILE));
  if (flags.output !== undefined) {
    if (cargoStyle)
      throw new UsageError("--output picks an output of crateflake.toml: leave out the cargo build flags");
    if (!hasConfig)
      throw new UsageError(`--output picks an output of ${CONFIG_FILE}, and there is none here`);
  }
  return hasConfig && !cargoStyle;
}

/** The Nix system whose native triple is `triple` (this machine's). */
export function systemOf(triple: string): string {
  const system = Object.keys(NIX_SYSTEMS).find((s) => NIX_SYSTEMS[s] === triple);
  if (!system) throw new UserError(`this machine (${triple}) is none of the flake's Nix systems`);
  return system;
}

/** Every output of `dir`'s crateflake.toml (or only `only`), planned for this machine's system (or for
 * `system`). */
export async function loadOutputGraphs(dir: string, only?: string, system?: string): Promise<OutputGraph[]> {
  const root = resolve(dir);
  const configFile = join(root, CONFIG_FILE);
  const config = readConfig(configFile);
  const names = config.outputs.map((o) => o.name);
  if (only !== undefined && !names.includes(only)) {
    throw new UserError(`no output \`${only}\` (outputs: ${names.join(", ")})`, configFile);
  }
  const outputs = config.outputs.filter((o) => only === undefined || o.name === only);
  const projects = await loadRoots(
    root,
    outputs.map((o) => o.manifest),
    { quiet: true },
  );
  const hostTriple = system ? NIX_SYSTEMS[system] : hostTripleOf(process.platform, process.arch);
  const planned = system ?? systemOf(hostTriple);
  const matches = platformMatcher();
  const plan = memoPlanner();
  return outputs.map((o) => {
    const project = projects.get(o.manifest)!;
    return {
      name: o.name,
      system: planned,
      target: o.target === "native" ? hostTriple : o.target,
      graph: planOutput(project, o, hostTriple, matches, plan),
      project,
      hostTriple,
    };
  });
}
