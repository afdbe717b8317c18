/** `crateflake metadata`: the loaded project model, shaped like `cargo metadata --format-version 1`. */
import type { Command } from "commander";
import { loadProjectDetailed } from "../cargo/load.ts";
import { projectMetadata } from "../cargo/metadata.ts";
import { UsageError } from "../errors.ts";

interface MetadataOptions {
  manifestPath: string;
  formatVersion: string;
  quiet?: boolean;
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
}

export function register(program: Command): void {
  program
    .command("metadata")
    .description("Print the project model as JSON, shaped like `cargo metadata --format-version 1`")
    .option("--manifest-path <PATH>", "path to Cargo.toml", "Cargo.toml")
    .option("--format-version <N>", "output format version (only 1)", "1")
    .option("--all-features", "activate every feature of the workspace members")
    .option("--no-default-features", "do not activate the members' `default` feature")
    .option("-q, --quiet", "no progress output")
    .action(async (opts: MetadataOptions) => {
      if (opts.formatVersion !== "1")
        throw new UsageError(`unsupported --format-version ${opts.formatVersion} (only 1)`);
      const { project, config, workspace } = await loadProjectDetailed(opts.manifestPath, {
        quiet: opts.quiet,
      });
      const out = projectMetadata(project, {
        config,
        patches: workspace.patches,
        current: workspace.current,
        // commander turns `--no-default-features` into `defaultFeatures: false`.
        features: {
          allFeatures: opts.allFeatures === true,
          noDefaultFeatures: (opts as { defaultFeatures?: boolean }).defaultFeatures === false,
        },
      });
      process.stdout.write(`${JSON.stringify(out)}\n`);
    });
}
