/**
 * `crateflake graph --format dot|mermaid|html|json`: the unit graph of one target as a picture (or as the
 * annotated node/edge model for tools). `--output FILE` writes it there instead of stdout.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { renderDot } from "../explain/dot.ts";
import { type GraphModel, graphModel } from "../explain/graph-model.ts";
import { renderHtml } from "../explain/html.ts";
import { type GraphInputFlags, loadGraphInput, PLAN_OPTIONS } from "../explain/load.ts";
import { renderMermaid } from "../explain/mermaid.ts";
import { collect } from "./why.ts";

const FORMATS = ["dot", "mermaid", "html", "json"] as const;
type Format = (typeof FORMATS)[number];

interface GraphFlags extends GraphInputFlags {
  format: string;
  output?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("graph")
    .description("draw the unit graph: DOT, Mermaid, a self-contained HTML page, or JSON");
  for (const [flags, description] of PLAN_OPTIONS) cmd.option(flags, description);
  cmd
    .option("-p, --package <spec>", "package to build, as for cargo build (repeatable)", collect, [])
    .option("-F, --features <features>", "features to activate, as for cargo build (repeatable)", collect, [])
    .option("--format <format>", `one of ${FORMATS.join(", ")}`, "html")
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(async (flags: GraphFlags) => {
      if (!(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not \`${flags.format}\``);
      }
      const input = await loadGraphInput(flags);
      const model = graphModel(input.graph, { project: input.project, hostTriple: input.hostTriple });
      const text = render(flags.format as Format, model);
      if (flags.output) writeFileSync(flags.output, text);
      else process.stdout.write(text);
    });
}

function render(format: Format, model: GraphModel): string {
  switch (format) {
    case "dot":
      return renderDot(model);
    case "mermaid":
      return renderMermaid(model);
    case "html":
      return renderHtml(model);
    case "json":
      return `${JSON.stringify(model, null, 2)}\n`;
  }
}
