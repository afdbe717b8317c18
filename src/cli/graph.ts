/**
 * `crateflake graph --format dot|mermaid|html|json`: the unit graph of one target as a picture (or as the
 * annotated node/edge model for tools). `--output FILE` writes it there instead of stdout.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { renderDot } from "../explain/dot.ts";
import { graphModel } from "../explain/graph-model.ts";
import { renderHtml } from "../explain/html.ts";
import { loadGraphInput } from "../explain/load.ts";
import { renderMermaid } from "../explain/mermaid.ts";

const FORMATS = ["dot", "mermaid", "html", "json"] as const;
type Format = (typeof FORMATS)[number];

interface GraphFlags {
  manifestPath?: string;
  unitGraph?: string;
  target?: string;
  format: string;
  output?: string;
}

export function register(program: Command): void {
  program
    .command("graph")
    .description("draw the unit graph: DOT, Mermaid, a self-contained HTML page, or JSON")
    .option("--manifest-path <path>", "Cargo.toml of the project (default: ./Cargo.toml)")
    .option("--unit-graph <file>", "read a saved unit graph (cargo --unit-graph or crateflake plan) instead")
    .option("--target <triple>", "the target to draw (default: the host)")
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

function render(format: Format, model: ReturnType<typeof graphModel>): string {
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
