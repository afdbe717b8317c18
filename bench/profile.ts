/**
 * Profile: generation on the largest synthetic project under `node --cpu-prof`; the ten functions with the
 * most self time go into the results (the .cpuprofile itself stays in bench/results/, not committed, to
 * open in Chrome's DevTools).
 */
import { readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cliArgs } from "./cli.ts";
import { benchCacheRoot, repoRoot } from "./env.ts";
import { failedRow, generationCommand, type PartContext } from "./generation.ts";
import { CommandFailed, runOnce } from "./measure.ts";
import { type BenchProject, initProject } from "./projects.ts";
import type { ProfileEntry, Results } from "./report.ts";

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a profiled position (file URL, 0-based line and column) is in the sources, if known. */
export type Locate = (url: string, line: number, column: number) => { url: string; line: number } | null;

/** Self time per function (name, file, line), largest first. Pure. */
export function topSelfTime(
  profile: CpuProfile,
  n: number,
  locate: Locate = () => null,
): { top: ProfileEntry[]; totalMs: number } {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUs = new Map<string, { frame: CpuProfile["nodes"][number]["callFrame"]; us: number }>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    // A sample's duration is the gap to the next sample (as DevTools counts it).
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = frameOf.get(id)!;
    if (frame.functionName === "(idle)" || frame.functionName === "(root)") return;
    totalUs += us;
    const key = `${frame.functionName}\0${frame.url}\0${frame.lineNumber}`;
    const entry = selfUs.get(key) ?? { frame, us: 0 };
    entry.us += us;
    selfUs.set(key, entry);
  });
  // Paths relative to the repo (tsx) or to the compiled build (its .js lines, not the .ts ones).
  const prefixes = [`file://${repoRoot}/`, `file://${join(benchCacheRoot(), "build")}/`];
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map(({ frame, us }) => ({
      functionName: frame.functionName,
      ...(locate(frame.url, frame.lineNumber, frame.columnNumber ?? 0) ?? {
        url: prefixes.reduce((u, p) => (u.startsWith(p) ? u.slice(p.length) : u), frame.url),
        line: frame.lineNumber + 1,
      }),
      selfMs: us / 1000,
      selfPercent: totalUs > 0 ? (100 * us) / totalUs : 0,
    }));
  return { top, totalMs: totalUs / 1000 };
}

export function benchProfile(
  ctx: PartContext,
  project: BenchProject,
  resultsDir: string,
): Results["profile"] {
  const gen = generationCommand(ctx.cli);
  const dir = join(resultsDir, "cpuprofile.tmp");
  rmSync(dir, { recursive: true, force: true });
  ctx.log(`profile: ${gen.what} on ${project.label}`);
  try {
    initProject(ctx.cli, project, ctx.env);
    const base = cliArgs(ctx.cli, ...gen.args);
    runOnce({
      cmd: base.cmd,
      args: ["--cpu-prof", "--cpu-prof-dir", dir, ...base.args],
      cwd: project.root,
      env: ctx.env,
    });
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    ctx.log(failedRow("profile", project.label, gen.what, e).note!);
    return null;
  }
  const [name] = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const file = join(resultsDir, `generate-${project.crates}.cpuprofile`);
  renameSync(join(dir, name), file);
  rmSync(dir, { recursive: true, force: true });
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const { top, totalMs } = topSelfTime(profile, 10, bundleSources(ctx.cli.prefix[0] ?? ""));
  return { what: `${gen.what} on ${project.label}`, totalMs, top, file: file.slice(repoRoot.length + 1) };
}

/** Positions in the bundle `bundle` mapped to the sources through its source map (bench/cli.ts writes
 * one), relative to `root`; other files, or no map, are left as they are. */
export function bundleSources(bundle: string, root = repoRoot): Locate {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
  } catch {
    return () => null;
  }
  const bundleUrl = pathToFileURL(bundle).href;
  return (url, line, column) => {
    if (url !== bundleUrl) return null;
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (!entry.originalSource || entry.originalLine === undefined) return null;
    const source = resolve(dirname(bundle), entry.originalSource.replace(/^file:\/\//, ""));
    return { url: relative(root, source), line: entry.originalLine + 1 };
  };
}
