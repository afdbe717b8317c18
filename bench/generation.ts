/**
 * Generation: `crateflake generate` against `cargo metadata --offline --format-version 1` on the same
 * project (cwd = the project), runs interleaved, medians compared. Three rows per project when the CLI
 * keeps the input cache (src/generate/input-cache.ts): `generate` after an edit of Cargo.lock before each
 * run (a comment line: the data records the lockfile's hash, so every data file is rewritten; the cache
 * misses), and `generate` and `check` with nothing changed (answered by the cache). Until the CLI has
 * `generate`, the nearest command that loads and resolves the whole project (`plan`, else `metadata`)
 * stands in, and the row says so. Goals: ≤ 1.0× cargo metadata for a generation, ≤ 0.5× with nothing
 * changed.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Cli, cliArgs } from "./cli.ts";
import type { Stat } from "./measure.ts";
import { CommandFailed, type Compared, compare, runsFor } from "./measure.ts";
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

/** The command crateflake's side runs (planning everything: not answered by the input cache), and how the
 * table names it. */
export function generationCommand(cli: Cli): { args: string[]; what: string } {
  if (cli.commands.has("generate"))
    return { args: ["generate", "--quiet", ...(cli.inputCache ? ["--no-cache"] : [])], what: "generate" };
  if (cli.commands.has("plan")) return { args: ["plan", "-q"], what: "plan (generate not available yet)" };
  return { args: ["metadata", "-q"], what: "metadata (generate not available yet)" };
}

function goalFor(project: BenchProject, ratio: number, unchanged: boolean): Row["goal"] {
  if (project.label !== "cats sample" && project.crates !== 1000) return null;
  const goal = unchanged ? 0.5 : 1.0;
  return { text: `≤ ${goal.toFixed(1)}× cargo`, met: ratio <= goal };
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
      const row = (what: string, o: Stat, c: Stat, unchanged: boolean): Row => ({
        part: "generation",
        case: project.label,
        what,
        ours: o,
        baseline: { label: "cargo metadata", stat: c },
        ratio: o.medianMs / c.medianMs,
        goal: goalFor(project, o.medianMs / c.medianMs, unchanged),
      });
      if (!ctx.cli.inputCache) {
        // One untimed run each: cargo unpacks the registry's .crate files the first time.
        const [warm] = compare([{ command: ours }, { command: cargo }], 1);
        const [o, c] = compare([{ command: ours }, { command: cargo }], runsFor(warm.medianMs, ctx.runs));
        rows.push(row(gen.what, o, c, false));
        continue;
      }
      // Cargo.lock edited before each run (and restored after): the cache misses, every file is rewritten.
      const lockfile = join(project.root, "Cargo.lock");
      const lock = readFileSync(lockfile, "utf8");
      let edits = 0;
      const changed: Compared = {
        command: { ...cliArgs(ctx.cli, "generate", "--quiet"), cwd: project.root, env: ctx.env },
        before: () => writeFileSync(lockfile, `${lock}# bench edit ${++edits}\n`),
      };
      try {
        const [warm] = compare([changed, { command: cargo }], 1);
        const runs = runsFor(warm.medianMs, ctx.runs);
        const [o, c] = compare([changed, { command: cargo }], runs);
        rows.push(row("generate (Cargo.lock edited)", o, c, false));
      } finally {
        writeFileSync(lockfile, lock);
      }
      // Nothing changed: one untimed run records the cache, then generate and check are answered by it.
      const unchanged = (cmd: string) => ({
        command: { ...cliArgs(ctx.cli, cmd, "--quiet"), cwd: project.root, env: ctx.env },
      });
      compare([unchanged("generate"), unchanged("check")], 1);
      const [c, g, k] = compare([{ command: cargo }, unchanged("generate"), unchanged("check")], ctx.runs);
      rows.push(row("generate, nothing changed", g, c, true));
      rows.push(row("check, nothing changed", k, c, true));
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
