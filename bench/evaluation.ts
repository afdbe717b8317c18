/**
 * Evaluation: `nix eval --raw .#packages.x86_64-linux.all.drvPath` of the generated flake (every output),
 * with the stand-in nixpkgs and rust-overlay of test/stand-in as inputs, offline. Two cases:
 *   first run     into a throw-away store (`--store DIR`, fresh each run): every .drv file is written
 *   .drv present  the same evaluation again in the machine's store, where the .drv files already exist
 * Nix's flake evaluation cache is off, so each run really evaluates. Goal: ≤ 1 s for 1,000 crates with
 * the .drv files present. There is no Cargo counterpart; the row reports the derivation count instead.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { cliArgs } from "./cli.ts";
import { benchCacheRoot, nixEnv, repoRoot } from "./env.ts";
import { failedRow, type PartContext } from "./generation.ts";
import { type Command, CommandFailed, compareAdaptive, runOnce } from "./measure.ts";
import { type BenchProject, initProject } from "./projects.ts";
import type { Row } from "./report.ts";

/** The Nix system the benchmarks evaluate and build for. */
export const SYSTEM = "x86_64-linux";

export function standInOverrides(): string[] {
  const dir = join(repoRoot, "test/stand-in");
  return ["nixpkgs", "rust-overlay"].flatMap((name) => ["--override-input", name, `path:${join(dir, name)}`]);
}

/** Generate the flake of `project` (init first) and lock it against the stand-in inputs. */
export function generateFlake(ctx: PartContext, project: BenchProject, env: NodeJS.ProcessEnv): void {
  initProject(ctx.cli, project, ctx.env);
  runOnce({ ...cliArgs(ctx.cli, "generate"), cwd: project.root, env: ctx.env });
  runOnce({ cmd: "nix", args: ["flake", "lock", ...standInOverrides()], cwd: project.root, env });
}

export function evalCommand(project: BenchProject, env: NodeJS.ProcessEnv, store?: string): Command {
  const args = ["eval", "--raw", `.#packages.${SYSTEM}.all.drvPath`, "--option", "eval-cache", "false"];
  if (store) args.push("--store", store);
  return { cmd: "nix", args, cwd: project.root, env };
}

/** The number of .drv files in the closure of `drvPath` (units, sources and the stand-in toolchain). */
function derivationCount(drvPath: string, env: NodeJS.ProcessEnv): number {
  const out = execFileSync("nix-store", ["-qR", drvPath], { encoding: "utf8", env, maxBuffer: 256 << 20 });
  return out.split("\n").filter((l) => l.endsWith(".drv")).length;
}

export function benchEvaluation(ctx: PartContext, projects: BenchProject[]): Row[] {
  const rows: Row[] = [];
  if (!ctx.cli.commands.has("generate")) {
    return projects.map((p) =>
      failedRow("evaluation", p.label, "nix eval", new Error("crateflake has no `generate` yet")),
    );
  }
  for (const project of projects) {
    const env = nixEnv({ ...ctx.env, XDG_CACHE_HOME: join(benchCacheRoot(), "xdg-cache") });
    try {
      ctx.log(`evaluation: ${project.label}`);
      generateFlake(ctx, project, env);
      const store = join(benchCacheRoot(), "eval-store");
      const fresh = () => rmSync(store, { recursive: true, force: true });
      const cold = evalCommand(project, env, store);
      const warm = evalCommand(project, env);
      // The first-run case writes thousands of files: at most 3 runs, fewer when slow.
      const [first] = compareAdaptive([{ command: cold, before: fresh }], Math.min(3, ctx.runs));
      fresh();
      const drvPath = execFileSync(warm.cmd, warm.args, {
        cwd: project.root,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
      const [present] = compareAdaptive([{ command: warm }], ctx.runs);
      const drvs = derivationCount(drvPath, env);
      const note = `${drvs} derivations`;
      rows.push({
        part: "evaluation",
        case: project.label,
        what: "nix eval, first run (fresh store)",
        ours: first,
        baseline: null,
        ratio: null,
        goal: null,
        note,
      });
      rows.push({
        part: "evaluation",
        case: project.label,
        what: "nix eval, .drv files present",
        ours: present,
        baseline: null,
        ratio: null,
        goal: project.crates === 1000 ? { text: "≤ 1 s", met: present.medianMs <= 1000 } : null,
      });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      rows.push(failedRow("evaluation", project.label, "nix eval", e));
    }
  }
  return rows;
}
