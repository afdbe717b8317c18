/**
 * Every file a flake made by crateflake consists of, computed in memory: the data of each system, the Nix
 * library copied from the package, the generated halves of flake.nix and default.nix (all in .crateflake/),
 * and flake.nix and default.nix themselves when they are to be written (entry-files.ts). `init`,
 * `generate` and `check` share it.
 */
import {
  FLAKE_OUTPUTS,
  flakeOutputs,
  flakeOutputsNix,
  LIB_DIR,
  PACKAGES,
  packagesNix,
} from "../nix/flake.ts";
import { libraryFiles } from "../nix/library.ts";
import type { Config } from "./config.ts";
import { entryFiles } from "./entry-files.ts";
import { type GenerateOptions, generateFiles } from "./generate.ts";

export async function flakeFiles(
  flakeRoot: string,
  config: Config,
  opts: GenerateOptions & { init?: boolean; force?: boolean } = {},
): Promise<{ files: Map<string, string>; notes: string[] }> {
  const { files, first } = await generateFiles(flakeRoot, config, opts);
  for (const [name, text] of libraryFiles()) files.set(`${LIB_DIR}/${name}`, text);
  const spec = {
    description: `${config.outputs.map((o) => o.name).join(", ")}: built by crateflake`,
    outputs: flakeOutputs(first),
    clippyArgs: config.checks?.clippyArgs,
  };
  files.set(FLAKE_OUTPUTS, flakeOutputsNix(spec));
  files.set(PACKAGES, packagesNix(spec));
  const entries = entryFiles(flakeRoot, spec, opts);
  for (const [name, text] of entries.files) files.set(name, text);
  return { files, notes: entries.notes };
}
