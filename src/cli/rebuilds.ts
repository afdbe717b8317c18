/**
 * `crateflake rebuilds [REV]`: what the working tree would rebuild against a git revision (default HEAD)
 * or another data file: per system and output, the units whose derivations change, each with its cause.
 * The working tree's data is generated in memory (as `crateflake generate` would write it).
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import type { Command } from "commander";
import { UsageError, UserError } from "../errors.ts";
import { loadOutputGraphs, systemOf } from "../explain/outputs.ts";
import { compareData } from "../explain/rebuilds.ts";
import { addFeatureCauses } from "../explain/rebuilds-features.ts";
import { changedSince, checkRevision, showAt, sourceEdits } from "../explain/rebuilds-git.ts";
import { renderRebuilds, type SystemRebuilds } from "../explain/render-rebuilds.ts";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import type { NixData } from "../nix/data.ts";
import { dataFile, LIB_DIR } from "../nix/flake.ts";
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
      const config = readConfig(resolve(root, CONFIG_FILE));
      const systems = flags.data ? [systemOfFile(flags.data, flags.system)] : defaultSystems(flags.system);
      if (!flags.data) checkRevision(root, rev);
      const { files } = await flakeFiles(root, config, { quiet: true, systems });
      const changed = flags.data ? [] : changedSince(root, rev);
      const everything = flags.data ? undefined : libraryChange(root, rev, files, changed);
      const results: SystemRebuilds[] = [];
      for (const system of systems) {
        const path = dataFile(system);
        const fresh = JSON.parse(files.get(path)!) as NixData;
        const old = flags.data ? readData(flags.data) : oldData(root, rev, path);
        const outputs = compareData({
          old,
          new: fresh,
          sourceEdits: flags.data ? new Map() : sourceEdits(root, fresh, changed),
          everything,
        });
        const gained = outputs.some((o) =>
          o.rebuilt.some((u) => u.causes.some((c) => c.kind === "features" && c.added.length > 0)),
        );
        if (gained) addFeatureCauses(outputs, await loadOutputGraphs(root, undefined, system));
        results.push({ system, triple: NIX_SYSTEMS[system], outputs });
      }
      const against = flags.data ? flags.data : rev;
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ against, sourcesCompared: !flags.data, systems: results }, null, 2)}\n`
          : renderRebuilds(results, against, !flags.data),
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

function readData(file: string): NixData {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UserError(`cannot read the data file: ${(err as NodeJS.ErrnoException).code ?? err}`, file);
  }
  return parseData(text, file);
}

function oldData(root: string, rev: string, path: string): NixData {
  const text = showAt(root, rev, path);
  if (text === null)
    throw new UserError(`${rev} has no ${path}: commit the generated data, or give --data FILE`, root);
  return parseData(text, `${rev}:${path}`);
}

function parseData(text: string, where: string): NixData {
  let data: Partial<NixData>;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`not JSON: ${(err as Error).message}`, where);
  }
  if (typeof data !== "object" || data === null || !data.units || !data.outputs || !data.packages)
    throw new UserError("not crateflake data (no units, packages or outputs)", where);
  return data as NixData;
}

/** What changes every derivation: the Nix library (as `generate` writes it) or the flake's pins. */
function libraryChange(root: string, rev: string, files: Map<string, string>, changed: string[]) {
  const what: string[] = [];
  for (const [path, text] of files) {
    if (path.startsWith(`${LIB_DIR}/`) && showAt(root, rev, path) !== text) what.push(path);
  }
  if (changed.includes("flake.lock")) what.push("flake.lock");
  return what.length > 0 ? `${what.join(", ")} changed` : undefined;
}
