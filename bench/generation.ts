/**
 * Generation: `crateflake generate` against `cargo metadata --offline --format-version 1` on the same
 * project (cwd = the project), runs interleaved, medians compared. Until the CLI has `generate`, the
 * nearest command that loads and resolves the whole project (`plan`, else `metadata`) stands in, and the
 * row says so. Goals: ≤ 0.5× cargo metadata on the sample, ≤ 1 s for 1,000 crates.
 */
import { type Cli, cliArgs } from "./cli.ts";
import { CommandFailed, compare, runsFor } from "./measure.ts";
import { type BenchProject, initProject } from "./projects.ts";
import type { Row } from "./report.ts";

export interface PartContext {
  cli: Cli;
  runs: number;
  /** Environment for cargo and crateflake: rustup's toolchain, the benchmark's CARGO_HOME. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Save the rows a long part has so far (its rows are saved again when it returns). */
  checkpoint?: (partRows: Row[]) => void;
}

/** The command crateflake's side runs, and how the table names it. */
export function generationCommand(cli: Cli): { args: string[]; what: string } {
  if (cli.commands.has("generate")) return { args: ["generate", "--quiet"], what: "generate" };
  if (cli.commands.has("plan")) return { args: ["plan", "-q"], what: "plan (generate not available yet)" };
  return { args: ["metadata", "-q"], what: "metadata (generate not available yet)" };
}

function goalFor(project: BenchProject, ms: number, ratio: number): Row["goal"] {
  if (project.label === "cats sample") return { text: "≤ 0.5× cargo", met: ratio <= 0.5 };
  if (project.crates === 1000) return { text: "≤ 1 s", met: ms <= 1000 };
  return null;
}

export function benchGeneration(ctx: PartContext, projects: BenchProject[]): Row[] {
  const rows: Row[] = [];
  const gen = generationCommand(ctx.cli);
  for (const project of projects) {
    ctx.log(`generation: ${project.label} (${gen.what} vs cargo metadata, ${ctx.runs} runs)`);
    try {
      initProject(ctx.cli, project, ctx.env);
      const ours = { ...cliArgs(ctx.cli, ...gen.args), cwd: project.root, env: ctx.env };
      const cargo = {
        cmd: "cargo",
        args: ["metadata", "--offline", "--format-version", "1"],
        cwd: project.root,
        env: ctx.env,
      };
      // One untimed run each: cargo unpacks the registry's .crate files the first time.
      const [warm] = compare([{ command: ours }, { command: cargo }], 1);
      const runs = runsFor(warm.medianMs, ctx.runs);
      const [o, c] = compare([{ command: ours }, { command: cargo }], runs);
      const ratio = o.medianMs / c.medianMs;
      rows.push({
        part: "generation",
        case: project.label,
        what: gen.what,
        ours: o,
        baseline: { label: "cargo metadata", stat: c },
        ratio,
        goal: goalFor(project, o.medianMs, ratio),
      });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      rows.push(failedRow("generation", project.label, gen.what, e));
    }
  }
  return rows;
}

export function failedRow(part: string, label: string, what: string, e: Error): Row {
  const first = e.message.split("\n").slice(0, 3).join(" ").slice(0, 300);
  return {
    part,
    case: label,
    what,
    ours: null,
    baseline: null,
    ratio: null,
    goal: null,
    note: `failed: ${first}`,
  };
}
