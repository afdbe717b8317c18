import { resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import { writeFiles } from "../generate/write.ts";

export function register(program: Command): void {
  program
    .command("generate")
    .description("rewrite the flake's Nix data from crateflake.toml, the manifests and the lockfiles")
    .argument("[dir]", "the flake directory", ".")
    .option("-q, --quiet", "no progress output")
    .option("--force", "overwrite flake.nix/default.nix even when crateflake did not write them")
    .action(async (dir: string, opts: { quiet?: boolean; force?: boolean }) => {
      const root = resolve(dir);
      const config = readConfig(resolve(root, CONFIG_FILE));
      const written = writeFiles(root, await flakeFiles(root, config, opts), opts);
      if (!opts.quiet)
        process.stderr.write(written.length ? `wrote ${written.join(", ")}\n` : "up to date\n");
    });
}
