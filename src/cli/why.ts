/**
 * `crateflake why CRATE[@VERSION]`: every path from a root unit to the crate in one target's unit graph,
 * as an inverted tree (`cargo tree -i`) or JSON, and with `--feature F` the chain that turned F on.
 */
import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { loadGraphInput } from "../explain/load.ts";
import { renderWhy } from "../explain/render-why.ts";
import { why } from "../explain/why.ts";

interface WhyFlags {
  manifestPath?: string;
  unitGraph?: string;
  target?: string;
  feature?: string;
  json?: boolean;
  limit: string;
}

export function register(program: Command): void {
  program
    .command("why")
    .description("show why a crate (or one of its features) is in the build: every path from the roots")
    .argument("<crate>", "the crate, as NAME or NAME@VERSION")
    .option("--manifest-path <path>", "Cargo.toml of the project (default: ./Cargo.toml)")
    .option("--unit-graph <file>", "read a saved unit graph (cargo --unit-graph or crateflake plan) instead")
    .option("--target <triple>", "the target to explain (default: the host)")
    .option("--feature <name>", "also explain which features turned this feature of the crate on")
    .option("--json", "print the report as JSON for tools")
    .option("--limit <n>", "list at most this many paths per side in JSON (the count is always exact)", "100")
    .action(async (crate: string, flags: WhyFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer`);
      const input = await loadGraphInput(flags);
      const report = why(input.graph, crate, {
        project: input.project,
        hostTriple: input.hostTriple,
        feature: flags.feature ?? null,
        limit,
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderWhy(report));
      if (report.matches.length === 0) process.exitCode = 1;
    });
}
