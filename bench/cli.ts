/**
 * The crateflake CLI as the benchmarks run it: compiled to JavaScript by tsc (as the npm package ships it,
 * so TypeScript transpilation is not timed), into /var/tmp/crateflake-bench/build/ (outside the repo, so
 * neither Biome nor git sees it) next to links to the repo's package.json, nix/ and node_modules/, the
 * layout of an installed package; `--tsx` runs the sources through tsx
 * instead. The commands it offers are read from its `--help`, so a part can fall back (and say so) while a
 * command does not exist yet.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { benchCacheRoot, repoRoot } from "./env.ts";

export interface Cli {
  /** `node` and the arguments before the CLI's own. */
  cmd: string;
  prefix: string[];
  commands: Set<string>;
  label: string;
}

/** The CLI of the source tree `root` (default this checkout), compiled into `out` unless `tsx`. */
export function prepareCli(
  mode: "compiled" | "tsx",
  root = repoRoot,
  out = join(benchCacheRoot(), "build"),
): Cli {
  let prefix: string[];
  if (mode === "tsx") {
    prefix = ["--import", import.meta.resolve("tsx"), join(root, "src/cli/main.ts")];
  } else {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const name of ["package.json", "nix", "node_modules"])
      symlinkSync(join(root, name), join(out, name));
    // tsc emits even when some file has type errors (another helper's work in progress); main.js is what counts.
    spawnSync("npx", ["tsc", "-p", ".", "--outDir", out, "--noEmit", "false"], {
      cwd: root,
      stdio: "ignore",
    });
    const main = join(out, "src/cli/main.js");
    if (!existsSync(main)) throw new Error(`tsc did not emit ${main}`);
    prefix = [main];
  }
  const help = execFileSync(process.execPath, [...prefix, "--help"], { encoding: "utf8" });
  const section = help.split(/^Commands:$/m)[1] ?? "";
  const commands = new Set([...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]));
  return { cmd: process.execPath, prefix, commands, label: mode };
}

export function cliArgs(cli: Cli, ...args: string[]): { cmd: string; args: string[] } {
  return { cmd: cli.cmd, args: [...cli.prefix, ...args] };
}
