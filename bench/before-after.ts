/**
 * Before/after: the same project generated and evaluated by crateflake at an older commit (`--before REV`,
 * default the last commit before the issue-7 speed work) and by the working tree, interleaved in one run,
 * so the README's before/after table compares like with like on this noisy machine. The old commit is
 * extracted with `git archive` and compiled like the current one (bench/cli.ts); each side works in its
 * own copy of the project (generate writes into it, and the old side copies its own Nix library).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { type Cli, cliArgs, prepareCli } from "./cli.ts";
import { benchCacheRoot, nixEnv, repoRoot } from "./env.ts";
import { evalCommand, generateFlake } from "./evaluation.ts";
import { failedRow, generationCommand, type PartContext } from "./generation.ts";
import { CommandFailed, compareAdaptive, type Stat } from "./measure.ts";
import type { BenchProject } from "./projects.ts";
import type { Row } from "./report.ts";

/** The last commit before generation and evaluation were profiled and sped up (issue 7). */
export const BASELINE_REV = "d684d87";

/** The CLI of commit `rev`, bundled into the bench cache. */
async function cliAt(rev: string): Promise<Cli> {
  const commit = execFileSync("git", ["rev-parse", "--short", `${rev}^{commit}`], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  const tree = join(benchCacheRoot(), `rev-${commit}`);
  if (!existsSync(join(tree, "package.json"))) {
    rmSync(tree, { recursive: true, force: true });
    mkdirSync(tree, { recursive: true });
    execFileSync("bash", ["-c", `git archive ${commit} | tar -x -C "${tree}"`], { cwd: repoRoot });
  }
  // The old commit's dependencies are today's (package-lock.json did not change since).
  rmSync(join(tree, "node_modules"), { recursive: true, force: true });
  symlinkSync(join(repoRoot, "node_modules"), join(tree, "node_modules"));
  return {
    ...(await prepareCli("compiled", tree, join(benchCacheRoot(), `build-${commit}`))),
    label: commit,
  };
}

/** A copy of `project` for one side. */
function copyOf(project: BenchProject, side: string): BenchProject {
  const dest = join(benchCacheRoot(), "before-after", side, project.label.replace(/[^a-z0-9]+/gi, "-"));
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, ".."), { recursive: true });
  cpSync(project.root, dest, { recursive: true, verbatimSymlinks: true });
  for (const generated of ["flake.nix", "flake.lock", "default.nix", ".crateflake"])
    rmSync(join(dest, generated), { recursive: true, force: true });
  return { ...project, root: dest };
}

export async function benchBeforeAfter(
  ctx: PartContext,
  projects: BenchProject[],
  rev: string,
): Promise<Row[]> {
  const rows: Row[] = [];
  ctx.log(`before-after: compiling crateflake at ${rev}`);
  const before = await cliAt(rev);
  const env = nixEnv({ ...ctx.env, XDG_CACHE_HOME: join(benchCacheRoot(), "xdg-cache") });
  for (const project of projects) {
    ctx.log(`before-after: ${project.label} (${before.label} vs working tree)`);
    try {
      const old = copyOf(project, "before");
      const now = copyOf(project, "after");
      generateFlake({ ...ctx, cli: before }, old, env);
      generateFlake(ctx, now, env);
      const gen = (cli: Cli, p: BenchProject) => ({
        // Planning everything on both sides (the working tree's input cache would answer otherwise).
        ...cliArgs(cli, ...generationCommand(cli).args),
        cwd: p.root,
        env,
      });
      const [g1, g0] = compareAdaptive(
        [{ command: gen(ctx.cli, now) }, { command: gen(before, old) }],
        ctx.runs,
      );
      rows.push(row(project, "generate", g1, g0, before.label));
      // One untimed evaluation each writes the .drv files; the timed ones find them present.
      compareAdaptive([{ command: evalCommand(now, env) }, { command: evalCommand(old, env) }], 1);
      const [e1, e0] = compareAdaptive(
        [{ command: evalCommand(now, env) }, { command: evalCommand(old, env) }],
        ctx.runs,
      );
      rows.push(row(project, "nix eval, .drv files present", e1, e0, before.label));
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      rows.push(failedRow("before-after", project.label, "generate + nix eval", e));
    }
  }
  return rows;
}

function row(project: BenchProject, what: string, after: Stat, before: Stat, rev: string): Row {
  return {
    part: "before-after",
    case: project.label,
    what,
    ours: after,
    baseline: { label: `same at ${rev}`, stat: before },
    ratio: after.medianMs / before.medianMs,
    goal: null,
  };
}
