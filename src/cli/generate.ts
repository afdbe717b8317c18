import { resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import { writeFiles } from "../generate/write.ts";

export function register(program: Command): void {
  program
    .command("generate")
    .description(
      "rewrite .crateflake/ (the Nix data and the generated halves of flake.nix and default.nix) from crateflake.toml, the manifests and the lockfiles",
    )
    .argument("[dir]", "the flake directory", ".")
    .option("-q, --quiet", "no progress output")
    .action(async (dir: string, opts: { quiet?: boolean }) => {
      const root = resolve(dir);
      const config = readConfig(resolve(root, CONFIG_FILE));
      const { files, notes } = await flakeFiles(root, config, opts);
      const written = writeFiles(root, files);
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      if (!opts.quiet)
        process.stderr.write(written.length ? `wrote ${written.join(", ")}\n` : "up to date\n");
    });
}
