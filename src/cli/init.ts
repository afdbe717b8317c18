import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../atomic.ts";
import { UserError } from "../errors.ts";
import { CONFIG_FILE, type Config, parseConfig, renderConfig, renderOutputs } from "../generate/config.ts";
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
      const say = (line: string) => opts.quiet || process.stderr.write(`crateflake: ${line}\n`);
      // An existing crateflake.toml is the user's: its outputs and [checks] are used, never inferred over.
      const configPath = join(root, CONFIG_FILE);
      const existing = existsSync(configPath) ? readFileSync(configPath, "utf8") : undefined;
      let config: Config | undefined;
      if (existing !== undefined) {
        config = parseConfig(existing, configPath, { outputsRequired: false });
        say(
          config.outputs.length > 0
            ? `using the existing ${CONFIG_FILE}`
            : `using the existing ${CONFIG_FILE}; it has no [[output]], so the inferred ones are added to it`,
        );
      }
      let configText: string | undefined;
      if (!config || config.outputs.length === 0) {
        const outputs = await inferredOutputs(root, opts);
        configText =
          existing === undefined
            ? renderConfig({ outputs })
            : `${existing.replace(/\n*$/, "\n")}${renderOutputs(outputs).join("\n")}\n`;
        config = { ...config, outputs };
      }
      const { files, notes } = await flakeFiles(root, config, { ...opts, init: true });
      const written = writeFiles(root, files, opts);
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      // Written last, once everything else is: a failed init leaves the config as it was.
      if (configText !== undefined) {
        writeFileAtomic(configPath, Buffer.from(configText, "utf8"));
        written.push(CONFIG_FILE);
      }
      say(
        `${config.outputs.map((o) => `${o.name} (${o.target})`).join(", ")}; wrote ${written.length} files`,
      );
    });
}

/** The outputs `init` infers from the Cargo roots under `root`. */
async function inferredOutputs(root: string, opts: { quiet?: boolean }) {
  const manifests = findRoots(root);
  const projects = await loadRoots(root, manifests, opts);
  const outputs = inferOutputs(manifests.map((manifest) => ({ manifest, project: projects.get(manifest)! })));
  if (outputs.length === 0)
    throw new UserError(
      "no binaries, cdylibs or libraries to build; add [[output]] tables to crateflake.toml (see README)",
      join(root, manifests[0]),
    );
  return outputs;
}
