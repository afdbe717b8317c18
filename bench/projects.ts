/**
 * The projects the benchmarks run on: the seed's cats sample (made fresh for each benchmark run, since
 * `init`/`generate` write into it) and the cached synthetic ones; and `crateflake init` on each.
 */
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Cli, cliArgs } from "./cli.ts";
import { benchCacheRoot, registryDir, sharedDir } from "./env.ts";
import { runOnce } from "./measure.ts";
import { syntheticProject } from "./synthetic.ts";

export interface BenchProject {
  /** "cats sample", "synthetic 1,000" */
  label: string;
  /** The directory cargo and crateflake run in. */
  root: string;
  /** Registry packages in Cargo.lock (or null if not counted). */
  crates: number | null;
}

export function catsSample(): BenchProject {
  const dest = join(benchCacheRoot(), "cats");
  rmSync(dest, { recursive: true, force: true });
  execFileSync("bash", [join(sharedDir, "rust/make-cats-sample.sh"), dest, registryDir], { stdio: "ignore" });
  return { label: "cats sample", root: join(dest, "cats-ws"), crates: 71 };
}

export function synthetic(crates: number, seed: number): BenchProject {
  const p = syntheticProject({ crates, seed });
  return { label: `synthetic ${crates.toLocaleString("en-US")}`, root: p.root, crates: p.packages };
}

/**
 * `crateflake init` once, if the CLI has it and the project has no flake yet (init refuses or asks to
 * overwrite otherwise).
 */
export function initProject(cli: Cli, project: BenchProject, env: NodeJS.ProcessEnv): void {
  if (!cli.commands.has("init") || existsSync(join(project.root, "crateflake.toml"))) return;
  runOnce({ ...cliArgs(cli, "init", "--quiet"), cwd: project.root, env });
}
