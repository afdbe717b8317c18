/**
 * `crateflake rebuilds [REV]`: what the working tree would rebuild against a git revision (default HEAD)
 * or another data file: per system and output, the units whose derivations change, each with its cause.
 * The working tree's data is generated in memory (as `crateflake generate` would write it).
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { systemOf } from "../explain/outputs.ts";
import { loadRebuilds } from "../explain/rebuilds-load.ts";
import { renderRebuilds } from "../explain/render-rebuilds.ts";
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import { hostTripleOf } from "../resolve/platforms.ts";

interface RebuildsFlags {
  data?: string;
  system: string[];
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("rebuilds")
    .description("list the units the working tree rebuilds against a git revision or a data file, and why")
    .argument("[rev]", "the git revision to compare with", "HEAD")
    .option("--data <file>", "compare with this data file (.crateflake/data/<system>.json) instead")
    .option("--system <system>", "only this Nix system (repeatable; default: every one)", collectSystem, [])
    .option("--json", "print the report as JSON (for CI)")
    .action(async (rev: string, flags: RebuildsFlags) => {
      const root = process.cwd();
      const systems = flags.data ? [systemOfFile(flags.data, flags.system)] : defaultSystems(flags.system);
      const report = await loadRebuilds(root, flags.data ? { data: flags.data } : { rev }, systems);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderRebuilds(report.systems, report.against, report.sourcesCompared),
      );
    });
}

function collectSystem(value: string, previous: string[]): string[] {
  if (!(value in NIX_SYSTEMS))
    throw new UsageError(`unknown system \`${value}\`: one of ${Object.keys(NIX_SYSTEMS).join(", ")}`);
  return [...previous, value];
}

function defaultSystems(given: string[]): string[] {
  return given.length > 0 ? [...new Set(given)].sort() : Object.keys(NIX_SYSTEMS).sort();
}

/** A data file's system: `--system`, else its name (`x86_64-linux.json`), else this machine's. */
function systemOfFile(file: string, given: string[]): string {
  if (given.length > 1) throw new UsageError("--data compares one system: give at most one --system");
  if (given.length === 1) return given[0];
  const name = basename(file, ".json");
  return name in NIX_SYSTEMS ? name : systemOf(hostTripleOf(process.platform, process.arch));
}
