/** `crateflake metadata`: the loaded project model, shaped like `cargo metadata --format-version 1`. */
import type { Command } from "commander";
import { loadProjectDetailed } from "../cargo/load.ts";
import { projectMetadata } from "../cargo/metadata.ts";
import { UsageError } from "../errors.ts";

export function register(program: Command): void {
  program
    .command("metadata")
    .description("Print the project model as JSON, shaped like `cargo metadata --format-version 1`")
    .option("--manifest-path <PATH>", "path to Cargo.toml", "Cargo.toml")
    .option("--format-version <N>", "output format version (only 1)", "1")
    .option("-q, --quiet", "no progress output")
    .action(async (opts: { manifestPath: string; formatVersion: string; quiet?: boolean }) => {
      if (opts.formatVersion !== "1")
        throw new UsageError(`unsupported --format-version ${opts.formatVersion} (only 1)`);
      const { project, config, workspace } = await loadProjectDetailed(opts.manifestPath, {
        quiet: opts.quiet,
      });
      const out = projectMetadata(project, {
        config,
        patches: workspace.patches,
        current: workspace.current,
      });
      process.stdout.write(`${JSON.stringify(out)}\n`);
    });
}
