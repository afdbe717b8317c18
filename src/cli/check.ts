import { resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import { staleFiles } from "../generate/write.ts";

export function register(program: Command): void {
  program
    .command("check")
    .description("exit 1 when the flake's generated files no longer match the manifests and lockfiles")
    .argument("[dir]", "the flake directory", ".")
    .option("-q, --quiet", "no progress output")
    .action(async (dir: string, opts: { quiet?: boolean }) => {
      const root = resolve(dir);
      const config = readConfig(resolve(root, CONFIG_FILE));
      const { files, notes } = await flakeFiles(root, config, { quiet: true });
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      const stale = staleFiles(root, files);
      if (stale.length) {
        process.stderr.write(
          `error: ${resolve(root, stale[0])}: out of date with the Cargo manifests or lockfiles (${stale.length} file${stale.length > 1 ? "s" : ""}: ${stale.join(", ")}); run \`crateflake generate\`\n`,
        );
        process.exitCode = 1;
      } else if (!opts.quiet) process.stderr.write("up to date\n");
    });
}
