/**
 * The sweep (issue 17), outside CI: every crate of the local registry scripts/sweep.sh made from Debian's
 * librust-*-dev packages, newest version, as the one dependency (default features) of a probe package
 * `probe`, locked offline; then `cargo build --release` and `crateflake init` + `nix build .#all` (the
 * stand-ins of test/stand-in). Both sides keep what they built from one crate to the next: Cargo one
 * target directory and CARGO_HOME (its fingerprints rebuild a unit whose version, features or flags
 * differ), Nix its store (a derivation is its inputs), which changes how much is built, not what. The
 * probe's release profile has `opt-level = 0`, for both sides alike: the sweep asks whether a crate
 * builds, and unoptimised code builds several times faster on this 2-core machine.
 * Each crate's result is cached in $CRATEFLAKE_SWEEP/results/<crate>.json (written atomically: a killed
 * run resumes at the next crate); bench/results/sweep.{json,md} summarise every result, and a crate
 * already in bench/results/sweep.json (committed) is not run again, so a fresh machine goes on where the
 * last session stopped.
 *
 * usage: node --import tsx bench/sweep.ts [--until HH:MM] [--limit N] [--timeout SECONDS] [--jobs N]
 *                                        [--summary] [CRATE...]
 * --jobs: probes at once (default 2): Cargo's target directory lock lets one cargo build at a time, so
 * the second probe's lock, init and evaluation overlap the first one's compiling.
 * Order: by the sha256 of the crate's name, a fixed pseudo-random sample of the whole list, so that a run
 * cut short is still representative.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../src/atomic.ts";
import { compareVersions } from "../src/cargo/semver.ts";
import { nixEnv, repoRoot, rustupEnv } from "./env.ts";
import { standInOverrides } from "./evaluation.ts";
import { classify, classifyLock, failedCrates, type Outcome, outcomeOf } from "./sweep/classify.ts";

const SYSTEM = "x86_64-linux";
const sweepDir = process.env.CRATEFLAKE_SWEEP ?? "/var/tmp/crateflake-sweep";
const registry = join(sweepDir, "registry");
const resultsDir = join(sweepDir, "results");

export interface CrateResult {
  crate: string;
  version: string;
  outcome: Outcome;
  /** The class of each side's failure (classify.ts). */
  cargoCause?: string;
  nixCause?: string;
  /** The crates each failed side's log names as failing (classify.ts). */
  cargoFailed?: string[];
  nixFailed?: string[];
  /** Packages in the probe's Cargo.lock (the probe included). */
  crates?: number;
  cargoMs?: number;
  nixMs?: number;
  /** The tail of each failed side's log. */
  cargoLog?: string;
  nixLog?: string;
  at: string;
}

/** Every crate of the registry with its newest version (from the local registry's index). */
export function registryCrates(): { name: string; version: string }[] {
  const out: { name: string; version: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const entries = readFileSync(p, "utf8")
          .split("\n")
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as { name: string; vers: string });
        const newest = entries.sort((a, b) => compareVersions(b.vers, a.vers))[0];
        if (newest) out.push({ name: newest.name, version: newest.vers });
      }
    }
  };
  walk(join(registry, "index"));
  return out;
}

const hashOrder = (name: string) => createHash("sha256").update(name).digest("hex");

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutS: number,
): Promise<{ ok: boolean; log: string; ms: number }> {
  const start = Date.now();
  // coreutils' timeout kills the command's whole process group (nix and its builders, cargo and rustc).
  const child = spawn("timeout", ["-k", "20", String(timeoutS), cmd, ...args], { cwd, env });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (b: Buffer) => chunks.push(b));
  child.stderr.on("data", (b: Buffer) => chunks.push(b));
  return new Promise((done) =>
    child.on("close", (status) => {
      const log = `${Buffer.concat(chunks).toString("utf8")}${status === 124 ? `\n${cmd}: timed out after ${timeoutS} s` : ""}`;
      done({ ok: status === 0, log, ms: Date.now() - start });
    }),
  );
}

const tail = (s: string) => s.slice(-4000);

export async function probeCrate(
  name: string,
  version: string,
  timeoutS: number,
  slot = 0,
): Promise<CrateResult> {
  const dir = join(sweepDir, `probe-${slot}`);
  const cargoDir = join(sweepDir, "cargo");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, ".cargo"));
  writeFileSync(
    join(dir, "Cargo.toml"),
    `[package]\nname = "probe"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ndep = { package = "${name}", version = "=${version}" }\n\n[profile.release]\nopt-level = 0\n`,
  );
  writeFileSync(join(dir, "src/main.rs"), "fn main() {}\n");
  writeFileSync(
    join(dir, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "sweep"\n\n[source.sweep]\nlocal-registry = "${registry}"\n\n[net]\noffline = true\n`,
  );
  const cargoEnv = {
    ...rustupEnv(),
    // Outside the probe, whose directory is the flake Nix copies while cargo writes these.
    CARGO_HOME: join(cargoDir, "home"),
    CARGO_TARGET_DIR: join(cargoDir, "target"),
  };
  const at = new Date().toISOString();
  const lock = await run("cargo", ["generate-lockfile", "--offline"], dir, cargoEnv, timeoutS);
  if (!lock.ok) {
    return {
      crate: name,
      version,
      outcome: "lock failed",
      cargoCause: classifyLock(lock.log),
      cargoLog: tail(lock.log),
      at,
    };
  }
  const crates = readFileSync(join(dir, "Cargo.lock"), "utf8").match(/^\[\[package\]\]$/gm)?.length ?? 0;

  // Both sides at once (the machine is shared: each gets its share of it).
  const env = nixEnv({ XDG_CACHE_HOME: join(sweepDir, "xdg-cache") });
  const nixSide = async () => {
    const init = await run(join(repoRoot, "scripts/crateflake"), ["init", "."], dir, env, timeoutS);
    if (!init.ok) return { init, nix: { ok: false, log: `crateflake init failed:\n${init.log}`, ms: 0 } };
    const installable = `path:${dir}#packages.${SYSTEM}.all`;
    const nix = await run(
      "nix",
      ["build", "--no-link", "-L", installable, ...standInOverrides()],
      dir,
      env,
      timeoutS,
    );
    return { init, nix };
  };
  const [cargo, { init, nix }] = await Promise.all([
    run("cargo", ["build", "--release"], dir, cargoEnv, timeoutS),
    nixSide(),
  ]);
  const cargoCause = cargo.ok ? undefined : classify(cargo.log);
  const nixCause = nix.ok
    ? undefined
    : init.ok
      ? classify(nix.log)
      : `crateflake init: ${classify(init.log)}`;
  const cargoFailed = cargo.ok ? [] : failedCrates(cargo.log);
  const nixFailed = nix.ok ? [] : failedCrates(init.ok ? nix.log : "");
  return {
    crate: name,
    version,
    outcome: outcomeOf(cargo.ok, nix.ok, cargoCause ?? "", nixCause ?? "", cargoFailed, nixFailed),
    ...(cargoCause ? { cargoCause, cargoFailed, cargoLog: tail(cargo.log) } : {}),
    ...(nixCause ? { nixCause, nixFailed, nixLog: tail(nix.log) } : {}),
    crates,
    cargoMs: cargo.ms,
    nixMs: init.ms + nix.ms,
    at,
  };
}

const summaryFile = join(repoRoot, "bench/results/sweep.json");

/** Every result: the committed summary's (logs left out), replaced by this machine's of the same crate. */
function cached(): CrateResult[] {
  const byCrate = new Map<string, CrateResult>();
  if (existsSync(summaryFile))
    for (const r of (JSON.parse(readFileSync(summaryFile, "utf8")) as { results: CrateResult[] }).results)
      byCrate.set(r.crate, r);
  if (existsSync(resultsDir))
    for (const f of readdirSync(resultsDir).filter((f) => f.endsWith(".json"))) {
      const r = JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as CrateResult;
      byCrate.set(r.crate, r);
    }
  return [...byCrate.values()];
}

/** The cause a result is counted under in the table. */
function causeOf(r: CrateResult): string {
  switch (r.outcome) {
    case "both build":
      return "";
    case "both fail":
    case "lock failed":
    case "cargo-only failure":
      return r.cargoCause ?? "";
    case "crateflake-only failure":
      return r.nixCause ?? "";
    case "timed out":
      return [r.cargoCause === "timeout" && "cargo", r.nixCause === "timeout" && "crateflake"]
        .filter(Boolean)
        .join(" and ");
    default:
      return `cargo: ${r.cargoCause}; crateflake: ${r.nixCause}`;
  }
}

/** bench/results/sweep.json (every result, logs left out) and sweep.md (the table by outcome and cause). */
export function writeSummary(total: number): string {
  const results = cached().sort((a, b) => a.crate.localeCompare(b.crate));
  // Logs are kept only where crateflake and Cargo disagree: what the next session reduces to a fixture.
  const compact = results.map(({ cargoLog, nixLog, ...r }) =>
    r.outcome === "crateflake-only failure" || r.outcome === "both fail, causes differ"
      ? { ...r, cargoLog: cargoLog?.slice(-1500), nixLog: nixLog?.slice(-1500) }
      : r,
  );
  writeFileAtomic(
    summaryFile,
    `${JSON.stringify({ total, run: results.length, results: compact }, null, 1)}\n`,
  );
  const rows = new Map<string, CrateResult[]>();
  for (const r of results) {
    const cause = causeOf(r);
    const key = `${r.outcome}\t${cause}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const order: Outcome[] = [
    "both build",
    "both fail",
    "lock failed",
    "timed out",
    "both fail, causes differ",
    "crateflake-only failure",
    "cargo-only failure",
  ];
  const keys = [...rows.keys()].sort((a, b) => {
    const [oa] = a.split("\t");
    const [ob] = b.split("\t");
    return (
      order.indexOf(oa as Outcome) - order.indexOf(ob as Outcome) ||
      (rows.get(b)?.length ?? 0) - (rows.get(a)?.length ?? 0) ||
      a.localeCompare(b)
    );
  });
  const lines = [
    `${results.length} of ${total} crates run (newest version of each; order: sha256 of the name).`,
    "",
    "| outcome | cause | crates | e.g. |",
    "| --- | --- | --- | --- |",
  ];
  for (const k of keys) {
    const [outcome, cause] = k.split("\t");
    const list = rows.get(k) ?? [];
    const eg = list
      .slice(0, outcome === "crateflake-only failure" ? 20 : 4)
      .map((r) => r.crate)
      .join(", ");
    lines.push(`| ${outcome} | ${cause.replace(/\|/g, "\\|")} | ${list.length} | ${eg} |`);
  }
  const md = `${lines.join("\n")}\n`;
  writeFileSync(join(repoRoot, "bench/results/sweep.md"), md);
  return md;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const until = flag("--until");
  const limit = Number(flag("--limit") ?? Number.POSITIVE_INFINITY);
  const timeoutS = Number(flag("--timeout") ?? 600);
  const jobs = Number(flag("--jobs") ?? 2);
  const summaryOnly = args.includes("--summary");
  const names = args.filter((a) => !a.startsWith("--"));
  const all = registryCrates();
  if (summaryOnly) {
    process.stdout.write(writeSummary(all.length));
    return;
  }
  const done = new Set(cached().map((r) => r.crate));
  const todo = (names.length ? all.filter((c) => names.includes(c.name)) : all)
    .sort((a, b) => hashOrder(a.name).localeCompare(hashOrder(b.name)))
    .filter((c) => names.length || !done.has(c.name))
    .slice(0, limit);
  const stop = () => {
    if (!until) return false;
    const [h, m] = until.split(":").map(Number);
    const now = new Date();
    return now.getUTCHours() * 60 + now.getUTCMinutes() >= h * 60 + m;
  };
  const worker = async (slot: number) => {
    for (let c = todo.shift(); c && !stop(); c = todo.shift()) {
      const r = await probeCrate(c.name, c.version, timeoutS, slot);
      writeFileAtomic(join(resultsDir, `${c.name}.json`), `${JSON.stringify(r, null, 1)}\n`);
      console.error(
        `${new Date().toISOString().slice(11, 19)} ${c.name} ${c.version}: ${r.outcome}${r.cargoCause ? ` [cargo: ${r.cargoCause}]` : ""}${r.nixCause ? ` [crateflake: ${r.nixCause}]` : ""}`,
      );
      writeSummary(all.length);
    }
  };
  await Promise.all(Array.from({ length: jobs }, (_, slot) => worker(slot)));
  process.stdout.write(writeSummary(all.length));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
