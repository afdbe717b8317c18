/**
 * `crateflake why` in a flake directory: the report of each output (see outputs.ts), and its text: the
 * outputs that have the crate with their paths, then the ones that do not.
 */
import type { OutputGraph } from "./outputs.ts";
import { renderWhy } from "./render-why.ts";
import { type WhyOptions, type WhyReport, why } from "./why.ts";

export interface OutputWhy {
  output: string;
  system: string;
  target: string;
  report: WhyReport;
}

export function whyPerOutput(outputs: OutputGraph[], spec: string, options: WhyOptions): OutputWhy[] {
  return outputs.map((o) => ({
    output: o.name,
    system: o.system,
    target: o.target,
    report: why(o.graph, spec, {
      ...options,
      project: o.project,
      hostTriple: o.hostTriple,
      featureOff: "report",
    }),
  }));
}

/** `in `app` (x86_64-linux, x86_64-unknown-linux-gnu):` then its tree, indented; `not in `wasm` (...)`. */
export function renderWhyPerOutput(answers: OutputWhy[]): string {
  const lines: string[] = [];
  const where = (a: OutputWhy) => `\`${a.output}\` (${a.system}, for ${a.target})`;
  for (const a of answers.filter((a) => a.report.matches.length > 0)) {
    if (lines.length > 0) lines.push("");
    lines.push(`in ${where(a)}:`);
    for (const line of renderWhy(a.report).trimEnd().split("\n")) lines.push(line ? `  ${line}` : "");
  }
  const absent = answers.filter((a) => a.report.matches.length === 0);
  if (absent.length > 0 && lines.length > 0) lines.push("");
  for (const a of absent) lines.push(`not in ${where(a)}`);
  return `${lines.join("\n")}\n`;
}
