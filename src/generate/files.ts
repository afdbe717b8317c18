/**
 * Every file a flake made by crateflake consists of, computed in memory: the data of each system, the Nix
 * library copied from the package, flake.nix and default.nix. `init`, `generate` and `check` share it.
 */
import { defaultNix, flakeNix, flakeOutputs, LIB_DIR } from "../nix/flake.ts";
import { libraryFiles } from "../nix/library.ts";
import type { Config } from "./config.ts";
import { type GenerateOptions, generateFiles } from "./generate.ts";

export async function flakeFiles(flakeRoot: string, config: Config, opts: GenerateOptions = {}) {
  const { files, first } = await generateFiles(flakeRoot, config, opts);
  for (const [name, text] of libraryFiles()) files.set(`${LIB_DIR}/${name}`, text);
  const spec = {
    description: `${config.outputs.map((o) => o.name).join(", ")}: built by crateflake`,
    outputs: flakeOutputs(first),
    clippyArgs: config.checks?.clippyArgs,
  };
  files.set("flake.nix", flakeNix(spec));
  files.set("default.nix", defaultNix(spec));
  return files;
}
