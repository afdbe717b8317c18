/**
 * The sweep (issue 17), outside CI: every crate of the local registry scripts/sweep.sh made from Debian's
 * librust-*-dev packages, newest version, as the one dependency (default features) of a probe package
 * `probe`, locked offline; then `cargo build --release` (a fresh target directory and CARGO_HOME per
 * crate, so no result depends on the crates before it) and `crateflake init` + `nix build .#all` (the
 * stand-ins of test/stand-in; the Nix store is shared, which changes only how much is built, not what).
 * Each crate's result is cached in $CRATEFLAKE_SWEEP/results/<crate>.json (written atomically: a killed
 * run resumes at the next crate); bench/results/sweep.{json,md} summarise every cached result.
 *
 * usage: node --import tsx bench/sweep.ts [--until HH:MM] [--limit N] [--timeout SECONDS] [--summary] [CRATE...]
 * Order: by the sha256 of the crate's name, a fixed pseudo-random sample of the whole list, so that a run
 * cut short is still representative.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../src/atomic.ts";
import { compareVersions } from "../src/cargo/semver.ts";
import { nixEnv, repoRoot, rustupEnv } from "./env.ts";
import { standInOverrides } from "./evaluation.ts";
import { classify, classifyLock, type Outcome, outcomeOf } from "./sweep/classify.ts";

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

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutS: number) {
  const start = Date.now();
  // coreutils' timeout kills the command's whole process group (nix and its builders, cargo and rustc).
  const r = spawnSync("timeout", ["-k", "20", String(timeoutS), cmd, ...args], {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 512 << 20,
  });
  const log = `${r.stdout ?? ""}${r.stderr ?? ""}${r.status === 124 ? `\n${cmd}: timed out after ${timeoutS} s` : ""}`;
  return { ok: r.status === 0, log, ms: Date.now() - start };
}

const tail = (s: string) => s.slice(-4000);

export function probeCrate(name: string, version: string, timeoutS: number): CrateResult {
  const dir = join(sweepDir, "probe");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, ".cargo"));
  writeFileSync(
    join(dir, "Cargo.toml"),
    `[package]\nname = "probe"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ndep = { package = "${name}", version = "=${version}" }\n`,
  );
  writeFileSync(join(dir, "src/main.rs"), "fn main() {}\n");
  writeFileSync(
    join(dir, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "sweep"\n\n[source.sweep]\nlocal-registry = "${registry}"\n\n[net]\noffline = true\n`,
  );
  const cargoEnv = {
    ...rustupEnv(),
    CARGO_HOME: join(dir, ".cargo-home"),
    CARGO_TARGET_DIR: join(dir, "target"),
  };
  const at = new Date().toISOString();
  const lock = run("cargo", ["generate-lockfile", "--offline"], dir, cargoEnv, timeoutS);
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

  const cargo = run("cargo", ["build", "--release"], dir, cargoEnv, timeoutS);
  rmSync(join(dir, "target"), { recursive: true, force: true });

  const env = nixEnv({ XDG_CACHE_HOME: join(sweepDir, "xdg-cache") });
  const init = run(join(repoRoot, "scripts/crateflake"), ["init", "."], dir, env, timeoutS);
  const nix = init.ok
    ? run(
        "nix",
        ["build", "--no-link", "-L", `path:${dir}#packages.${SYSTEM}.all`, ...standInOverrides()],
        dir,
        env,
        timeoutS,
      )
    : { ok: false, log: `crateflake init failed:\n${init.log}`, ms: init.ms };
  const cargoCause = cargo.ok ? undefined : classify(cargo.log);
  const nixCause = nix.ok
    ? undefined
    : init.ok
      ? classify(nix.log)
      : `crateflake init: ${classify(init.log)}`;
  return {
    crate: name,
    version,
    outcome: outcomeOf(cargo.ok, nix.ok, cargoCause ?? "", nixCause ?? ""),
    ...(cargoCause ? { cargoCause, cargoLog: tail(cargo.log) } : {}),
    ...(nixCause ? { nixCause, nixLog: tail(nix.log) } : {}),
    crates,
    cargoMs: cargo.ms,
    nixMs: init.ms + nix.ms,
    at,
  };
}

function cached(): CrateResult[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as CrateResult);
}

/** bench/results/sweep.json (every result, logs left out) and sweep.md (the table by outcome and cause). */
export function writeSummary(total: number): string {
  const results = cached().sort((a, b) => a.crate.localeCompare(b.crate));
  const compact = results.map(({ cargoLog, nixLog, ...r }) => r);
  writeFileSync(
    join(repoRoot, "bench/results/sweep.json"),
    `${JSON.stringify({ total, run: results.length, results: compact }, null, 1)}\n`,
  );
  const rows = new Map<string, CrateResult[]>();
  for (const r of results) {
    const cause =
      r.outcome === "both build"
        ? ""
        : r.outcome === "both fail" || r.outcome === "lock failed" || r.outcome === "cargo-only failure"
          ? (r.cargoCause ?? "")
          : r.outcome === "crateflake-only failure"
            ? (r.nixCause ?? "")
            : `cargo: ${r.cargoCause}; crateflake: ${r.nixCause}`;
    const key = `${r.outcome}\t${cause}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const order: Outcome[] = [
    "both build",
    "both fail",
    "lock failed",
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

function main(): void {
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
  const summaryOnly = args.includes("--summary");
  const names = args.filter((a) => !a.startsWith("--"));
  const all = registryCrates();
  if (summaryOnly) {
    process.stdout.write(writeSummary(all.length));
    return;
  }
  const todo = (names.length ? all.filter((c) => names.includes(c.name)) : all)
    .sort((a, b) => hashOrder(a.name).localeCompare(hashOrder(b.name)))
    .filter((c) => names.length || !existsSync(join(resultsDir, `${c.name}.json`)));
  let done = 0;
  for (const c of todo) {
    if (done >= limit) break;
    if (until) {
      const [h, m] = until.split(":").map(Number);
      const now = new Date();
      if (now.getUTCHours() * 60 + now.getUTCMinutes() >= h * 60 + m) break;
    }
    const r = probeCrate(c.name, c.version, timeoutS);
    writeFileAtomic(join(resultsDir, `${c.name}.json`), `${JSON.stringify(r, null, 1)}\n`);
    done++;
    console.error(
      `${new Date().toISOString().slice(11, 19)} ${c.name} ${c.version}: ${r.outcome}${r.cargoCause ? ` [cargo: ${r.cargoCause}]` : ""}${r.nixCause ? ` [crateflake: ${r.nixCause}]` : ""}`,
    );
    writeSummary(all.length);
  }
  process.stdout.write(writeSummary(all.length));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
