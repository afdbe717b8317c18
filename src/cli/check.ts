import { resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import { InputCache, maybeTraced } from "../generate/input-cache.ts";
import { staleFiles } from "../generate/write.ts";

export function register(program: Command): void {
  program
    .command("check")
    .description("exit 1 when the flake's generated files no longer match the manifests and lockfiles")
    .argument("[dir]", "the flake directory", ".")
    .option("-q, --quiet", "no progress output")
    .option("--no-cache", "plan everything, even when no input changed since the last run")
    .action(async (dir: string, opts: { quiet?: boolean; cache: boolean }) => {
      const root = resolve(dir);
      const cache = new InputCache(root);
      // Nothing read last time changed: the files to compare are known by their hashes.
      const hit = opts.cache ? cache.lookup() : null;
      let stale: string[];
      if (hit) {
        process.stderr.write(hit.stderr);
        for (const note of hit.notes) process.stderr.write(`note: ${note}\n`);
        stale = hit.stale;
      } else {
        const { result, trace } = await maybeTraced(cache, async () =>
          flakeFiles(root, readConfig(resolve(root, CONFIG_FILE)), { quiet: true }),
        );
        const { files, notes } = result;
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
        const before = cache.stamps(files);
        stale = staleFiles(root, files);
        if (trace) cache.record(trace, notes, files, before, stale);
      }
      if (stale.length) {
        process.stderr.write(
          `error: ${resolve(root, stale[0])}: out of date with the Cargo manifests or lockfiles (${stale.length} file${stale.length > 1 ? "s" : ""}: ${stale.join(", ")}); run \`crateflake generate\`\n`,
        );
        process.exitCode = 1;
      } else if (!opts.quiet) process.stderr.write("up to date\n");
    });
}
