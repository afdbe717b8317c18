/**
 * Timing a command: wall time measured around the child process, peak RSS from GNU time's `%M` (the
 * child's maximum resident set, in KiB), several runs summarised by their median because this machine is
 * shared and noisy.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasGnuTime } from "./env.ts";

export interface Command {
  cmd: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where stdout goes: a file path, or discarded. */
  stdoutFile?: string;
}

export interface Run {
  ms: number;
  /** Peak RSS in KiB (GNU time), or null without /usr/bin/time. */
  rssKb: number | null;
  /** What the command wrote to stderr (cargo's `Compiling` lines, for instance). */
  stderr: string;
}

export interface Stat {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** The largest peak RSS over the runs, KiB. */
  peakRssKb: number | null;
}

export class CommandFailed extends Error {}

function describe(c: Command): string {
  return `${c.cmd} ${c.args.join(" ")} (in ${c.cwd})`;
}

/** Run `c` once; throws CommandFailed with its stderr on a non-zero exit. */
export function runOnce(c: Command): Run {
  const scratch = mkdtempSync(join(tmpdir(), "crateflake-bench-time-"));
  const timeFile = join(scratch, "time");
  const [cmd, args] = hasGnuTime
    ? ["/usr/bin/time", ["-f", "%M", "-o", timeFile, c.cmd, ...c.args]]
    : [c.cmd, c.args];
  const out = c.stdoutFile ? `>${JSON.stringify(c.stdoutFile)}` : ">/dev/null";
  // bash does the redirection so that large outputs never pass through this process.
  const start = process.hrtime.bigint();
  const r = spawnSync("bash", ["-c", `exec "$@" ${out}`, "bash", cmd, ...args], {
    cwd: c.cwd,
    env: c.env ?? process.env,
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  try {
    if (r.status !== 0) {
      const tail = (r.stderr ?? "").trim().split("\n").slice(-15).join("\n");
      throw new CommandFailed(`${describe(c)} exited with ${r.status ?? r.signal}:\n${tail}`);
    }
    const rssKb = hasGnuTime
      ? Number.parseInt(readFileSync(timeFile, "utf8").trim().split("\n").pop()!, 10)
      : null;
    return { ms, rssKb: Number.isFinite(rssKb) ? rssKb : null, stderr: r.stderr ?? "" };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarise(runs: Run[]): Stat {
  const ms = runs.map((r) => r.ms);
  const rss = runs.map((r) => r.rssKb).filter((x): x is number => x !== null);
  return {
    runs: runs.length,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    peakRssKb: rss.length > 0 ? Math.max(...rss) : null,
  };
}

/** A command to compare; `before` runs before every timed run and `after` sees each run (neither timed). */
export interface Compared {
  command: Command;
  before?: () => void;
  after?: (run: Run) => void;
}

/**
 * Run each command `runs` times, interleaved (a, b, a, b, ...) so that a burst of load from another
 * process on the machine hurts both sides alike.
 */
export function compare(commands: Compared[], runs: number): Stat[] {
  const samples: Run[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(({ command, before, after }, k) => {
      before?.();
      const run = runOnce(command);
      after?.(run);
      samples[k].push(run);
    });
  }
  return samples.map(summarise);
}

/** Fewer runs when one run is slow (a 5,000-crate generation can take minutes on this machine). */
export function runsFor(oneRunMs: number, runs: number): number {
  if (oneRunMs > 60_000) return Math.min(runs, 1);
  if (oneRunMs > 15_000) return Math.min(runs, 3);
  return runs;
}

/** Like `compare`, but the first round decides (with `runsFor`) how many rounds there are in all. */
export function compareAdaptive(commands: Compared[], runs: number): Stat[] {
  const samples: Run[][] = commands.map(() => []);
  const round = () =>
    commands.forEach(({ command, before, after }, k) => {
      before?.();
      const run = runOnce(command);
      after?.(run);
      samples[k].push(run);
    });
  round();
  const total = runsFor(Math.max(...samples.map((s) => s[0].ms)), runs);
  for (let i = 1; i < total; i++) round();
  return samples.map(summarise);
}
