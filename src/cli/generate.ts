import { resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, readConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import { InputCache, maybeTraced } from "../generate/input-cache.ts";
import { writeFiles } from "../generate/write.ts";

export function register(program: Command): void {
  program
    .command("generate")
    .description(
      "rewrite .crateflake/ (the Nix data and the generated halves of flake.nix and default.nix) from crateflake.toml, the manifests and the lockfiles",
    )
    .argument("[dir]", "the flake directory", ".")
    .option("-q, --quiet", "no progress output")
    .option("--no-cache", "plan everything, even when no input changed since the last run")
    .action(async (dir: string, opts: { quiet?: boolean; cache: boolean }) => {
      const root = resolve(dir);
      const cache = new InputCache(root);
      // Nothing read last time changed and the files still hold what it wrote: nothing to do.
      const hit = opts.cache ? cache.lookup() : null;
      if (hit && hit.stale.length === 0) {
        process.stderr.write(hit.stderr);
        for (const note of hit.notes) process.stderr.write(`note: ${note}\n`);
        if (!opts.quiet) process.stderr.write("up to date\n");
        return;
      }
      const { result, trace } = await maybeTraced(cache, async () =>
        flakeFiles(root, readConfig(resolve(root, CONFIG_FILE)), opts),
      );
      const { files, notes } = result;
      const before = cache.stamps(files);
      const written = writeFiles(root, files);
      if (trace) cache.record(trace, notes, files, before, []);
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      if (!opts.quiet)
        process.stderr.write(written.length ? `wrote ${written.join(", ")}\n` : "up to date\n");
    });
}
