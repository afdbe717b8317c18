/**
 * Cold builds of corpus applications (issue 17), outside CI:
 *   `node --import tsx bench/corpus/cold.ts [APP...]`   (default: hexyl)
 * For each application, in the same run, one after the other:
 *   nix    `nix build` of every output (`all`) into a throw-away store (`--store DIR`, sandboxed so the
 *          store can live elsewhere), holding beforehand only the stand-in toolchain and tools (a nixpkgs
 *          user substitutes those) and the crate archives, which evaluation copies (`builtins.path`);
 *          every unit and unpacked source is built in the timed run, whatever the shared store holds;
 *   cargo  `cargo build --release` of the same packages and features (rustup's stable cargo, the
 *          toolchain the stand-in links) with a fresh target directory and CARGO_HOME.
 * Wall time and CPU time (user + system of the whole process tree, from GNU time). The result goes into
 * the application's entry of bench/results/corpus.json as `cold` (other entries and fields are kept) and
 * the table in bench/results/corpus.md is rewritten.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../src/generate/config.ts";
import { sandboxPaths } from "../cold-build.ts";
import { corpusTable, type Entry } from "../corpus.ts";
import { benchCacheRoot, nixEnv, repoRoot, rustupEnv } from "../env.ts";
import { standInOverrides } from "../evaluation.ts";
import { corpusApps } from "./apps.ts";
import { cargoPackageArgs, corpusDir, setUpApp } from "./run-app.ts";

const SYSTEM = "x86_64-linux";
const resultsFile = join(repoRoot, "bench/results/corpus.json");

export interface Timing {
  wallMs: number;
  /** user + system CPU time of the command and every descendant it waited for. */
  cpuMs: number;
}

export interface ColdResult {
  /** When it was measured (UTC) and the machine's 1-minute load average just before. */
  date: string;
  load: number;
  /** Derivations the Nix build built (units and unpacked sources; all of the closure but the tools). */
  built: number;
  nix: Timing;
  cargo: Timing;
}

/** Run a command under GNU time; its wall and CPU time. Throws with stderr's tail when it fails. */
function timedCommand(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Timing {
  const timeFile = join(cwd, ".cold-time");
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, cmd, ...args], {
    cwd,
    env,
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.slice(0, 3).join(" ")} failed:\n${r.stderr.slice(-4000)}`);
  const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  rmSync(timeFile);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000 };
}

function sandbox(): string[] {
  return ["--option", "sandbox", "true", "--option", "sandbox-paths", `${sandboxPaths()} ${corpusDir()}`];
}

export function coldBuild(appName: string, log = (_: string) => {}): ColdResult {
  const dir = join(benchCacheRoot(), "corpus-cold", appName);
  const project = join(dir, "project");
  const store = join(dir, "store");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(setUpApp(appName), project, { recursive: true });
  const env = nixEnv({ XDG_CACHE_HOME: join(dir, "xdg-cache") });
  execFileSync(join(repoRoot, "scripts/crateflake"), ["init", "--quiet", "."], { cwd: project, env });
  const config = parseConfig(readFileSync(join(project, "crateflake.toml"), "utf8"), "crateflake.toml");

  // The throw-away store, with the tools only (cold-build.ts's freshStore, for a path: flake).
  const all = `path:${project}#packages.${SYSTEM}.all`;
  const opts = { cwd: project, env, encoding: "utf8" as const, maxBuffer: 256 << 20 };
  const drv = execFileSync(
    "nix",
    ["eval", "--raw", `${all}.drvPath`, "--store", store, ...standInOverrides()],
    opts,
  );
  const closure = execFileSync("nix-store", ["--store", store, "-qR", drv], opts).split("\n");
  const tools = closure.filter((p) => /-standin[^/]*\.drv$/.test(p));
  if (tools.length === 0) throw new Error(`no stand-in tools in the closure of ${drv}`);
  execFileSync("nix-store", ["--store", store, ...sandbox(), "-r", ...tools], { ...opts, stdio: "ignore" });
  const built = closure.filter((p) => /^\/nix\/store\/[a-z0-9]{32}-(rust|crate)-.*\.drv$/.test(p)).length;

  const load = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  log(`${appName}: cold nix build (${built} derivations, load ${load})`);
  const nix = timedCommand(
    "nix",
    ["build", "--no-link", all, "--store", store, ...sandbox(), ...standInOverrides()],
    project,
    env,
  );
  log(`${appName}: nix ${(nix.wallMs / 1000).toFixed(1)} s; cold cargo build --release`);
  const cargo = timedCommand("cargo", ["build", "--release", ...cargoPackageArgs(config)], project, {
    ...rustupEnv(),
    CARGO_HOME: join(dir, "cargo-home"),
    CARGO_TARGET_DIR: join(dir, "target"),
  });
  log(`${appName}: cargo ${(cargo.wallMs / 1000).toFixed(1)} s`);
  rmSync(dir, { recursive: true, force: true });
  return { date, load, built, nix, cargo };
}

function main(): void {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ["hexyl"];
  const unknown = names.filter((n) => !corpusApps.some((a) => a.name === n));
  if (unknown.length) {
    console.error(
      `error: unknown application ${unknown.join(", ")}; known: ${corpusApps.map((a) => a.name).join(", ")}`,
    );
    process.exit(2);
  }
  for (const name of names) {
    const cold = coldBuild(name, (m) => console.error(m));
    // Read again just before writing: bench/corpus.ts may have written another application meanwhile.
    const entries: Entry[] = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : [];
    const entry = entries.find((e) => e.app === name);
    if (entry) entry.cold = cold;
    else entries.push({ app: name, error: "not run by bench/corpus.ts yet", cold });
    writeFileSync(resultsFile, `${JSON.stringify(entries, null, 2)}\n`);
    writeFileSync(join(repoRoot, "bench/results/corpus.md"), corpusTable(entries));
    console.error(JSON.stringify(cold));
  }
  process.stdout.write(readFileSync(join(repoRoot, "bench/results/corpus.md"), "utf8"));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
