/**
 * `crateflake why CRATE[@VERSION]`: every path from a root unit to the crate in one target's unit graph,
 * as an inverted tree (`cargo tree -i`) or JSON, and with `--feature F` the chain that turned F on. In a
 * directory with crateflake.toml (and no cargo build flag), the answer is per output of the flake.
 */
import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { loadGraphInput, PLAN_OPTIONS } from "../explain/load.ts";
import { flakeMode, loadOutputGraphs, type OutputFlags } from "../explain/outputs.ts";
import { renderWhyPerOutput, whyPerOutput } from "../explain/outputs-why.ts";
import { renderWhy } from "../explain/render-why.ts";
import { why } from "../explain/why.ts";

interface WhyFlags extends OutputFlags {
  feature?: string;
  json?: boolean;
  limit: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("why")
    .description("show why a crate (or one of its features) is in the build: every path from the roots")
    .argument("<crate>", "the crate, as NAME or NAME@VERSION");
  for (const [flags, description] of PLAN_OPTIONS) cmd.option(flags, description);
  cmd
    .option("-p, --package <spec>", "package to build, as for cargo build (repeatable)", collect, [])
    .option("-F, --features <features>", "features to activate, as for cargo build (repeatable)", collect, [])
    .option("--feature <name>", "also explain which features turned this feature of the crate on")
    .option("--output <name>", "only this output of crateflake.toml (default: every output)")
    .option("--json", "print the report as JSON for tools")
    .option("--limit <n>", "list at most this many paths per side in JSON (the count is always exact)", "100")
    .action(async (crate: string, flags: WhyFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a positive integer");
      if (flakeMode(flags, process.cwd())) {
        const outputs = await loadOutputGraphs(process.cwd(), flags.output);
        const answers = whyPerOutput(outputs, crate, { feature: flags.feature ?? null, limit });
        process.stdout.write(
          flags.json ? `${JSON.stringify({ outputs: answers }, null, 2)}\n` : renderWhyPerOutput(answers),
        );
        if (answers.every((a) => a.report.matches.length === 0)) process.exitCode = 1;
        return;
      }
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

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
