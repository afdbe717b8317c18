import { join, resolve } from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.ts";
import { CONFIG_FILE, renderConfig } from "../generate/config.ts";
import { flakeFiles } from "../generate/files.ts";
import { loadRoots } from "../generate/generate.ts";
import { inferOutputs } from "../generate/infer.ts";
import { findRoots } from "../generate/roots.ts";
import { writeFiles } from "../generate/write.ts";

export function register(program: Command): void {
  program
    .command("init")
    .description("write flake.nix, crateflake.toml and the Nix data for the Cargo project(s) in a directory")
    .argument("[dir]", "a Cargo workspace, or a directory holding separate Cargo packages", ".")
    .option("-q, --quiet", "no progress output")
    .option("--force", "overwrite files crateflake did not write, and write flake.nix and default.nix afresh")
    .action(async (dir: string, opts: { quiet?: boolean; force?: boolean }) => {
      const root = resolve(dir);
      const manifests = findRoots(root);
      const projects = await loadRoots(root, manifests, opts);
      const outputs = inferOutputs(
        manifests.map((manifest) => ({ manifest, project: projects.get(manifest)! })),
      );
      if (outputs.length === 0)
        throw new UserError(
          "no binaries or cdylibs to build; add [[output]] tables to crateflake.toml (see README)",
          join(root, manifests[0]),
        );
      const config = { outputs };
      const { files, notes } = await flakeFiles(root, config, { ...opts, init: true });
      files.set(CONFIG_FILE, renderConfig(config));
      const written = writeFiles(root, files, opts);
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      if (!opts.quiet)
        process.stderr.write(
          `crateflake: ${outputs.map((o) => `${o.name} (${o.target})`).join(", ")}; wrote ${written.length} files\n`,
        );
    });
}
