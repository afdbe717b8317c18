/**
 * One corpus application end to end, against Cargo: scripts/corpus.sh locks it offline, then in a fresh
 * copy `crateflake init`, `nix build` of every output (the stand-ins of test/stand-in), `cargo build
 * --release` (rustup's stable cargo, a fresh target directory and CARGO_HOME), every program run the same
 * way on both (stdout and exit status compared), the test checks against `cargo test`, and the
 * derivations an edit of the package's source rebuilds.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type Pipelining, parseConfig } from "../../src/generate/config.ts";
import { benchCacheRoot, nixEnv, repoRoot, rustupEnv } from "../env.ts";
import { standInOverrides } from "../evaluation.ts";
import type { CorpusApp } from "./apps.ts";

const SYSTEM = "x86_64-linux";

export interface RunResult {
  binary: string;
  args: string[];
  equal: boolean;
  /** Set when they differ: both sides' exit status and the first differing stdout line. */
  diff?: string;
}

export interface TestResult {
  check: string;
  /** Both passed or both failed, with the same `test NAME ... RESULT` lines. */
  equal: boolean;
  nixPassed: boolean;
  cargoPassed: boolean;
  tests: number;
  diff?: string;
}

export interface AppResult {
  app: string;
  shape: string;
  version: string;
  /** Packages in Cargo.lock. */
  crates: number;
  outputs: string[];
  /** crateflake's derivations (units and sources) in the closure of every output. */
  derivations: number;
  /** How many of them this run built (the rest were in the store already): a cold build when equal. */
  built: number;
  nixBuildMs: number;
  cargoBuildMs: number;
  runs: RunResult[];
  tests: TestResult[];
  /** An edit of the package's source: the derivations `nix build` then builds, and whether they are all
   * the workspace's own packages or output joins. */
  rebuild: { edited: string; derivations: string[]; onlyMembers: boolean };
  outputsEqual: boolean;
  testsEqual: boolean | null;
}

export function corpusDir(): string {
  return process.env.CRATEFLAKE_CORPUS ?? "/var/tmp/crateflake-corpus";
}

/** The application's locked project (scripts/corpus.sh; fast when it is there already). */
export function setUpApp(name: string): string {
  execFileSync("bash", [join(repoRoot, "scripts/corpus.sh"), name], { stdio: ["ignore", "ignore", "pipe"] });
  return join(corpusDir(), "apps", name);
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 256 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function timed<T>(f: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const v = f();
  return [v, Number(process.hrtime.bigint() - start) / 1e6];
}

/** The names of the derivations `nix build` would build for an installable (from `--dry-run`). */
function toBuild(dir: string, installable: string, env: NodeJS.ProcessEnv): string[] {
  const r = spawnSync("nix", ["build", "--dry-run", "--no-link", installable, ...standInOverrides()], {
    cwd: dir,
    env,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`nix build --dry-run ${installable}:\n${r.stderr.slice(-3000)}`);
  const at = r.stderr.search(/derivations? will be built:/);
  if (at < 0) return [];
  const list = r.stderr.slice(at).split("\n").slice(1);
  const names: string[] = [];
  for (const line of list) {
    const m = /^\s+\/nix\/store\/[a-z0-9]{32}-(.*)\.drv$/.exec(line);
    if (!m) break;
    names.push(m[1].replace(/^rust-\d{4}-/, "rust-"));
  }
  return names.sort();
}

/** `nix build` an installable; its output path, or the error's tail. */
function nixBuild(
  dir: string,
  installable: string,
  env: NodeJS.ProcessEnv,
): { out?: string; error?: string } {
  const r = spawnSync(
    "nix",
    ["build", "--json", "--no-link", "--keep-going", installable, ...standInOverrides()],
    { cwd: dir, env, encoding: "utf8", maxBuffer: 256 << 20 },
  );
  if (r.status !== 0) return { error: r.stderr.slice(-6000) };
  return { out: JSON.parse(r.stdout)[0].outputs.out };
}

/** crateflake's own derivations (units `rust-…`, sources `crate-…`) in the closure of a derivation. */
function unitDerivations(drvPath: string, env: NodeJS.ProcessEnv): string[] {
  return sh("nix-store", ["-qR", drvPath], "/", env)
    .split("\n")
    .filter((l) => /^\/nix\/store\/[a-z0-9]{32}-(rust|crate)-.*\.drv$/.test(l));
}

/** A program's stdout and exit status for one argument list, in `cwd` with a fixed environment, called by
 * its name as from PATH (argv[0] is the name, not the store or target path: pulldown-cmark prints it), with
 * the app's stdin file. */
function runProgram(exe: string, args: string[], cwd: string, app: CorpusApp) {
  const env = {
    PATH: "/usr/bin:/bin",
    HOME: join(cwd, "home"),
    XDG_CONFIG_HOME: join(cwd, "home/.config"),
    XDG_CACHE_HOME: join(cwd, "home/.cache"),
    LANG: "C.UTF-8",
    TERM: "dumb",
    COLUMNS: "100",
  };
  const input = app.stdin === undefined ? "" : readFileSync(join(cwd, app.stdin));
  const r = spawnSync(exe, args, {
    cwd,
    env,
    input,
    argv0: basename(exe),
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout?.toString("latin1") ?? "" };
}

function firstDiff(a: string, b: string): string {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if (x[i] !== y[i]) return `line ${i + 1}: ${JSON.stringify(x[i])} vs cargo's ${JSON.stringify(y[i])}`;
  return "";
}

/** `test NAME ... RESULT` lines of a libtest log, sorted (harnesses run in any order). */
export function testLines(log: string): string[] {
  return log
    .split("\n")
    .filter((l) => /^test .* \.\.\. \S+/.test(l))
    .map((l) => l.replace(/\s+$/, ""))
    .sort();
}

function compareTests(
  dir: string,
  pkg: string,
  check: string,
  env: NodeJS.ProcessEnv,
  cargoEnv: NodeJS.ProcessEnv,
): TestResult {
  const nix = nixBuild(dir, `path:${dir}#checks.${SYSTEM}.${check}`, env);
  const nixLog = nix.out ? readFileSync(join(nix.out, "test.log"), "utf8") : (nix.error ?? "");
  const cargo = spawnSync("cargo", ["test", "-p", pkg], {
    cwd: dir,
    env: cargoEnv,
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  const cargoLines = testLines(cargo.stdout);
  const nixLines = testLines(nixLog);
  const nixPassed = nix.out !== undefined;
  const cargoPassed = cargo.status === 0;
  const sameLines = !nixPassed || !cargoPassed || nixLines.join("\n") === cargoLines.join("\n");
  const equal = nixPassed === cargoPassed && sameLines;
  return {
    check,
    equal,
    nixPassed,
    cargoPassed,
    tests: cargoLines.length,
    ...(equal ? {} : { diff: firstDiff(nixLines.join("\n"), cargoLines.join("\n")) || nixLog.slice(-2000) }),
  };
}

/** The members of the project (cargo metadata --no-deps): name and the source file of their first target. */
function members(dir: string, env: NodeJS.ProcessEnv): { name: string; src: string }[] {
  const meta = JSON.parse(
    sh("cargo", ["metadata", "--no-deps", "--offline", "--format-version", "1"], dir, env),
  );
  return meta.packages.map((p: { name: string; targets: { kind: string[]; src_path: string }[] }) => {
    const t = p.targets.find((t) => t.kind.includes("lib")) ?? p.targets.find((t) => t.kind.includes("bin"));
    return { name: p.name, src: t?.src_path ?? "" };
  });
}

/** `cargo build --release` arguments for the packages and features of every output. */
export function cargoPackageArgs(config: ReturnType<typeof parseConfig>): string[] {
  return config.outputs.flatMap((o) => [
    "-p",
    o.package,
    ...(o.features.length ? ["--features", o.features.map((f) => `${o.package}/${f}`).join(",")] : []),
    ...(o.defaultFeatures ? [] : ["--no-default-features"]),
  ]);
}

/** `dir`: where the copy is made (default /var/tmp/crateflake-bench/corpus/<app>, replaced). */
export function runApp(
  app: CorpusApp,
  {
    pipelining = undefined as Pipelining | undefined,
    dir = join(benchCacheRoot(), pipelining ? `corpus-pipelining-${pipelining}` : "corpus", app.name),
    log = (_: string) => {},
  } = {},
): AppResult {
  const locked = setUpApp(app.name);
  // Cargo's home and target directory, Nix's cache and the runs' files live beside the copy, not in it:
  // the root package's source is its directory (less target/ and .cargo), so a file written there would
  // change that package's derivations between one `nix build` and the next.
  const work = `${dir}.work`;
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(locked, dir, { recursive: true });
  const env = nixEnv({ XDG_CACHE_HOME: join(work, "xdg-cache") });
  const cargoEnv = {
    ...rustupEnv(),
    CARGO_HOME: join(work, "cargo-home"),
    CARGO_TARGET_DIR: join(work, "target"),
  };

  log(`${app.name}: crateflake init`);
  sh(join(repoRoot, "scripts/crateflake"), ["init", "."], dir, env);
  if (pipelining) {
    // `pipelining = MODE` above the outputs, then the data again.
    const file = join(dir, "crateflake.toml");
    writeFileSync(file, `pipelining = ${JSON.stringify(pipelining)}\n${readFileSync(file, "utf8")}`);
    sh(join(repoRoot, "scripts/crateflake"), ["generate", "."], dir, env);
  }
  const config = parseConfig(readFileSync(join(dir, "crateflake.toml"), "utf8"), "crateflake.toml");
  const outputs = config.outputs.map((o) => o.name);
  const lock = readFileSync(join(dir, "Cargo.lock"), "utf8");
  const crates = lock.match(/^\[\[package\]\]$/gm)?.length ?? 0;
  const version = /^version = "(.*)"$/m.exec(readFileSync(join(dir, "Cargo.toml"), "utf8"))?.[1] ?? "";

  // Nix: every output (what was not in the store yet is what this run builds).
  const all = `path:${dir}#packages.${SYSTEM}.all`;
  const built = toBuild(dir, all, env).filter((n) => /^(rust|crate)-/.test(n)).length;
  log(`${app.name}: nix build (${built} derivations to build)`);
  const [nixOut, nixBuildMs] = timed(() => nixBuild(dir, all, env));
  if (!nixOut.out) throw new Error(`${app.name}: nix build failed:\n${nixOut.error}`);
  const drvPath = sh("nix", ["eval", "--raw", `${all}.drvPath`, ...standInOverrides()], dir, env);
  const derivations = unitDerivations(drvPath, env).length;

  log(`${app.name}: cargo build --release`);
  const [, cargoBuildMs] = timed(() =>
    sh("cargo", ["build", "--release", ...cargoPackageArgs(config)], dir, cargoEnv),
  );

  // The programs, run the same way.
  const scratch = join(work, "runs");
  for (const [name, body] of Object.entries(app.files)) {
    mkdirSync(dirname(join(scratch, name)), { recursive: true });
    writeFileSync(join(scratch, name), body);
  }
  mkdirSync(join(scratch, "home/.config"), { recursive: true });
  const runs: RunResult[] = [];
  for (const [binary, argLists] of Object.entries(app.runs)) {
    const ours = outputs.map((o) => findBin(dir, o, binary, env)).find((p) => p);
    const theirs = join(work, "target/release", binary);
    for (const args of argLists) {
      if (!ours || !existsSync(theirs)) {
        runs.push({
          binary,
          args,
          equal: false,
          diff: `missing: ${ours ? "" : "crateflake's "}${existsSync(theirs) ? "" : "cargo's"}`,
        });
        continue;
      }
      const a = runProgram(ours, args, scratch, app);
      const b = runProgram(theirs, args, scratch, app);
      const equal = a.status === b.status && a.stdout === b.stdout;
      runs.push({
        binary,
        args,
        equal,
        ...(equal ? {} : { diff: `status ${a.status} vs ${b.status}; ${firstDiff(a.stdout, b.stdout)}` }),
      });
    }
  }

  // The test checks against `cargo test`, per member.
  const memberList = members(dir, cargoEnv);
  const checks: string[] = JSON.parse(
    sh(
      "nix",
      [
        "eval",
        "--json",
        `path:${dir}#checks.${SYSTEM}`,
        "--apply",
        "builtins.attrNames",
        ...standInOverrides(),
      ],
      dir,
      env,
    ),
  );
  const tests: TestResult[] = [];
  for (const m of memberList) {
    if (!checks.includes(`test-${m.name}`)) continue;
    log(`${app.name}: test-${m.name} against cargo test`);
    tests.push(compareTests(dir, m.name, `test-${m.name}`, env, cargoEnv));
  }

  // An edit of the first member's source rebuilds only the workspace's own packages.
  const edited = memberList[0];
  appendFileSync(edited.src, "\n// crateflake corpus: an edit\n");
  const rebuilt = toBuild(dir, all, env);
  const memberNames = new Set(memberList.map((m) => m.name));
  const onlyMembers = rebuilt.every(
    (n) => outputs.includes(n) || n === "all" || [...memberNames].some((m) => n.startsWith(`rust-${m}-`)),
  );

  return {
    app: app.name,
    shape: app.shape,
    version,
    crates,
    outputs,
    derivations,
    built,
    nixBuildMs,
    cargoBuildMs,
    runs,
    tests,
    rebuild: { edited: edited.src.slice(dir.length + 1), derivations: rebuilt, onlyMembers },
    outputsEqual: runs.length > 0 && runs.every((r) => r.equal),
    testsEqual: tests.length ? tests.every((t) => t.equal) : null,
  };
}

/** The program `binary` in an output's `bin/`. */
function findBin(dir: string, output: string, binary: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = nixBuild(dir, `path:${dir}#packages.${SYSTEM}.${output}`, env);
  const p = r.out && join(r.out, "bin", binary);
  return p && existsSync(p) ? p : undefined;
}
