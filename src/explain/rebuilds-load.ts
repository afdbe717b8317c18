/**
 * The comparison `crateflake rebuilds` prints and `crateflake graph --changes` draws: the working tree's
 * data (generated in memory, as `generate` would write it) against a git revision's committed data or
 * another data file, per Nix system, with the features' causes filled from the outputs' plans.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../errors.ts";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import type { NixData } from "../nix/data.ts";
import { dataFile, LIB_DIR } from "../nix/flake.ts";
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import { loadOutputGraphs, type OutputGraph } from "./outputs.ts";
import { compareData } from "./rebuilds.ts";
import { addFeatureCauses } from "./rebuilds-features.ts";
import { changedSince, checkRevision, showAt, sourceEdits } from "./rebuilds-git.ts";
import type { SystemRebuilds } from "./render-rebuilds.ts";

/** What to compare with: a git revision, or a data file (whose path crates' edits cannot be seen). */
export type Against = { rev: string } | { data: string };

export interface RebuildsReport {
  /** The revision or the data file's path, as given. */
  against: string;
  /** False against a data file: the path crates' changed files are unknown there. */
  sourcesCompared: boolean;
  systems: SystemRebuilds[];
}

/**
 * The rebuilds of `systems` in the flake at `root`. `graphs`: the outputs' plans of a system when the
 * caller has them already (graph does), else they are planned when a feature cause needs them.
 */
export async function loadRebuilds(
  root: string,
  against: Against,
  systems: string[],
  graphs?: (system: string) => OutputGraph[] | undefined,
): Promise<RebuildsReport> {
  const config = readConfig(resolve(root, CONFIG_FILE));
  const rev = "rev" in against ? against.rev : null;
  if (rev !== null) checkRevision(root, rev);
  const { files } = await flakeFiles(root, config, { quiet: true, systems });
  const changed = rev !== null ? changedSince(root, rev) : [];
  const everything = rev !== null ? libraryChange(root, rev, files, changed) : undefined;
  const results: SystemRebuilds[] = [];
  for (const system of systems) {
    const path = dataFile(system);
    const fresh = JSON.parse(files.get(path)!) as NixData;
    const old = rev !== null ? oldData(root, rev, path) : readData((against as { data: string }).data);
    const outputs = compareData({
      old,
      new: fresh,
      sourceEdits: rev !== null ? sourceEdits(root, fresh, changed) : new Map(),
      everything,
    });
    const gained = outputs.some((o) =>
      o.rebuilt.some((u) => u.causes.some((c) => c.kind === "features" && c.added.length > 0)),
    );
    if (gained)
      addFeatureCauses(outputs, graphs?.(system) ?? (await loadOutputGraphs(root, undefined, system)));
    results.push({ system, triple: NIX_SYSTEMS[system], outputs });
  }
  return {
    against: rev ?? (against as { data: string }).data,
    sourcesCompared: rev !== null,
    systems: results,
  };
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
