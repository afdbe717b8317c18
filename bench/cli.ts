/**
 * The crateflake CLI as the benchmarks run it: bundled by esbuild as the npm package ships it
 * (scripts/bundle.ts, so TypeScript transpilation is not timed), into /var/tmp/crateflake-bench/build/
 * (outside the repo, so neither Biome nor git sees it) next to links to the repo's package.json, nix/ and
 * node_modules/, the layout of an installed package; `--tsx` runs the sources through tsx
 * instead. The commands it offers are read from its `--help`, so a part can fall back (and say so) while a
 * command does not exist yet.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { bundleCli } from "../scripts/bundle.ts";
import { benchCacheRoot, repoRoot } from "./env.ts";

export interface Cli {
  /** `node` and the arguments before the CLI's own. */
  cmd: string;
  prefix: string[];
  commands: Set<string>;
  /** Whether `generate` and `check` keep the input cache (src/generate/input-cache.ts): `--no-cache`. */
  inputCache: boolean;
  label: string;
}

/** The CLI of the source tree `root` (default this checkout), compiled into `out` unless `tsx`. */
export async function prepareCli(
  mode: "compiled" | "tsx",
  root = repoRoot,
  out = join(benchCacheRoot(), "build"),
): Promise<Cli> {
  let prefix: string[];
  if (mode === "tsx") {
    prefix = ["--import", import.meta.resolve("tsx"), join(root, "src/cli/main.ts")];
  } else {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const name of ["package.json", "nix", "node_modules"])
      symlinkSync(join(root, name), join(out, name));
    // esbuild does not type-check: a tree with type errors (another helper's work in progress) still runs.
    const main = join(out, "dist/crateflake.mjs");
    await bundleCli(root, main, true);
    if (!existsSync(main)) throw new Error(`esbuild did not write ${main}`);
    prefix = [main];
  }
  const help = execFileSync(process.execPath, [...prefix, "--help"], { encoding: "utf8" });
  const section = help.split(/^Commands:$/m)[1] ?? "";
  const commands = new Set([...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]));
  const inputCache =
    commands.has("generate") &&
    execFileSync(process.execPath, [...prefix, "generate", "--help"], { encoding: "utf8" }).includes(
      "--no-cache",
    );
  return { cmd: process.execPath, prefix, commands, inputCache, label: mode };
}

export function cliArgs(cli: Cli, ...args: string[]): { cmd: string; args: string[] } {
  return { cmd: cli.cmd, args: [...cli.prefix, ...args] };
}
