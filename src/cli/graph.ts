/**
 * `crateflake graph --format dot|mermaid|html|json`: the unit graph as a picture (or as the annotated
 * node/edge model for tools). In a directory with crateflake.toml (and no cargo build flag) it draws each
 * output of the flake (`--output NAME`: one); else one target's build. `-o FILE` writes it there.
 * `--changes [REV]` (or `--data FILE`) marks the units the working tree rebuilds, with their causes
 * (the comparison of `crateflake rebuilds`).
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { renderDot } from "../explain/dot.ts";
import { withChanges } from "../explain/graph-changes.ts";
import { type GraphModel, graphModel } from "../explain/graph-model.ts";
import { type HtmlView, renderHtml, renderPage } from "../explain/html.ts";
import { loadGraphInput, PLAN_OPTIONS } from "../explain/load.ts";
import { renderMermaid, renderMermaidGroups } from "../explain/mermaid.ts";
import { flakeMode, loadOutputGraphs, type OutputFlags } from "../explain/outputs.ts";
import { type Against, loadRebuilds } from "../explain/rebuilds-load.ts";
import { CONFIG_FILE } from "../generate/config.ts";
import { collect } from "./why.ts";

const FORMATS = ["dot", "mermaid", "html", "json"] as const;
type Format = (typeof FORMATS)[number];

interface GraphFlags extends OutputFlags {
  format: string;
  outFile?: string;
  /** `--changes [REV]`: true for HEAD. */
  changes?: string | true;
  data?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("graph")
    .description("draw the unit graph: DOT, Mermaid, a self-contained HTML page, or JSON");
  for (const [flags, description] of PLAN_OPTIONS) cmd.option(flags, description);
  cmd
    .option("-p, --package <spec>", "package to build, as for cargo build (repeatable)", collect, [])
    .option("-F, --features <features>", "features to activate, as for cargo build (repeatable)", collect, [])
    .option("--output <name>", "only this output of crateflake.toml (default: every output)")
    .option("--format <format>", `one of ${FORMATS.join(", ")}`, "html")
    .option("-o, --out-file <file>", "write to this file instead of stdout")
    .option(
      "--changes [rev]",
      "highlight the units the working tree rebuilds against this git revision (HEAD)",
    )
    .option("--data <file>", "with --changes: compare with this data file (.crateflake/data/<system>.json)")
    .action(async (flags: GraphFlags) => {
      if (!(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not \`${flags.format}\``);
      }
      const format = flags.format as Format;
      let text: string;
      const against = changesAgainst(flags);
      if (flakeMode(flags, process.cwd())) {
        const root = process.cwd();
        const outputs = await loadOutputGraphs(root, flags.output);
        const report = against && (await loadRebuilds(root, against, [outputs[0].system], () => outputs));
        const views: OutputView[] = outputs.map((o) => {
          let model = graphModel(o.graph, { project: o.project, hostTriple: o.hostTriple });
          const rebuilt = report?.systems[0].outputs.find((r) => r.output === o.name);
          if (report && rebuilt) model = withChanges(model, o.graph, o.hostTriple, rebuilt, report);
          return {
            name: o.name,
            system: o.system,
            target: o.target,
            caption: `${o.name} (${o.system}, for ${o.target})`,
            model,
          };
        });
        text = renderViews(format, views);
      } else if (against) {
        throw new UsageError(
          `--changes compares the flake's data: run it where ${CONFIG_FILE} is, without cargo build flags`,
        );
      } else {
        const input = await loadGraphInput(flags);
        const model = graphModel(input.graph, { project: input.project, hostTriple: input.hostTriple });
        text = render(format, model);
      }
      if (flags.outFile) writeFileSync(flags.outFile, text);
      else process.stdout.write(text);
    });
}

/** `--changes [REV]` / `--data FILE`: what to compare with, or nothing. */
function changesAgainst(flags: GraphFlags): Against | undefined {
  if (flags.data !== undefined) {
    if (typeof flags.changes === "string")
      throw new UsageError("give --changes REV or --data FILE, not both");
    return { data: flags.data };
  }
  if (flags.changes === undefined) return undefined;
  return { rev: flags.changes === true ? "HEAD" : flags.changes };
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

interface OutputView extends HtmlView {
  system: string;
  target: string;
}

/** A flake's outputs: one DOT graph each, Mermaid subgraphs, a page with a switch, JSON per output. */
function renderViews(format: Format, views: OutputView[]): string {
  switch (format) {
    case "dot":
      return views.map((v) => renderDot(v.model, v.caption)).join("");
    case "mermaid":
      return renderMermaidGroups(views.map((v) => ({ title: v.caption, model: v.model })));
    case "html":
      return renderPage(views);
    case "json":
      return `${JSON.stringify({ outputs: views.map(({ name, system, target, model }) => ({ output: name, system, target, model })) }, null, 2)}\n`;
  }
}
