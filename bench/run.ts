/**
 * crateflake's benchmarks: `npm run bench [-- FLAGS]` (= `node --import tsx bench/run.ts FLAGS`).
 * Prints a table and writes bench/results/latest.json and bench/results/latest.md.
 *
 * Parts (each compares crateflake with a baseline run on the same machine in the same run, interleaved;
 * medians of several runs, since the machine is shared and noisy):
 *   generation   `crateflake generate` vs `cargo metadata --offline` on the cats sample and on synthetic
 *                projects of 1,000 and 5,000 crates (bench/synthetic.ts); with peak RSS of both sides
 *   evaluation   `nix eval` of every output's drvPath, first run (throw-away store, no .drv files) and with
 *                the .drv files present; with peak RSS
 *   profile      `node --cpu-prof` of generation on the largest synthetic project: top 10 self-time functions
 *   cold-build   (only with --cold, slow) the sample's app and wasm from empty caches: `nix build` of the
 *                generated flake into a throw-away store vs `cargo build --release` in a fresh target dir;
 *                plus cargo's critical path from its --timings data
 *   pipelining   (only with --cold or --only pipelining, slow) the sample's app built cold with
 *                `pipelining = "all"` and without (bench/pipelining.ts)
 *   rebuild      (only with --rebuild, slow) after editing cats/src/lib.rs, and after bumping one locked
 *                dependency: derivations rebuilt and wall time, vs cargo's incremental rebuild
 *   ci-cache     (only with --ci-cache, slow) CI with a warm signed binary cache: after a one-line edit of
 *                cats/src/lib.rs, `nix build .#app` into a fresh store substituting from a `file://` cache vs
 *                `cargo build --release` in a fresh target dir; with the bytes fetched (bench/ci-cache.ts)
 *   before-after generate and nix eval (.drv present) by crateflake at an older commit (--before) vs the
 *                working tree, on the cats sample and the smallest synthetic project
 *
 * Flags:
 *   --quick          fewer runs (3) and sizes (cats sample and 1,000 crates only)
 *   --only NAME      run only these parts (comma-separated, repeatable): generation, evaluation, profile,
 *                    cold-build, rebuild (naming cold-build or rebuild here turns it on)
 *   --cold           add the cold-build part
 *   --rebuild        add the rebuild part
 *   --ci-cache       add the ci-cache part
 *   --runs N         timed runs per measurement (default 7, --quick 3; cold-build 1 unless given)
 *   --sizes A,B      synthetic project sizes (default 1000,5000; --quick 1000)
 *   --seed N         seed of the synthetic projects (default 1)
 *   --before REV     the older commit of before-after (default ${BASELINE_REV}, before the issue-7 work)
 *   --tsx            run the CLI through tsx instead of bundling it (scripts/bundle.ts)
 *   --no-write       print only; leave bench/results alone
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`); without it (apt-get install -y time) the RSS
 * column is empty and the run says so. Cached synthetic projects live in /var/tmp/crateflake-bench
 * ($CRATEFLAKE_BENCH_DIR); the benchmark's cargo uses its own CARGO_HOME there.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BASELINE_REV, benchBeforeAfter } from "./before-after.ts";
import { benchCiCache } from "./ci-cache.ts";
import { prepareCli } from "./cli.ts";
import { benchColdBuild } from "./cold-build.ts";
import { benchCacheRoot, hasGnuTime, hasNix, repoRoot, rustupEnv } from "./env.ts";
import { benchEvaluation } from "./evaluation.ts";
import { benchGeneration, type PartContext } from "./generation.ts";
import { benchPipelining } from "./pipelining.ts";
import { benchProfile } from "./profile.ts";
import { catsSample, synthetic } from "./projects.ts";
import { benchRebuild } from "./rebuild.ts";
import { markdown, type Results, type Row, textTable } from "./report.ts";

const PARTS = [
  "generation",
  "evaluation",
  "profile",
  "before-after",
  "cold-build",
  "rebuild",
  "ci-cache",
  "pipelining",
] as const;
type Part = (typeof PARTS)[number];

function version(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", env }).trim().split("\n")[0];
  } catch {
    return `${cmd}: not found`;
  }
}

/**
 * Rows this run did not measure are kept from the previous results (each row carries its own date), so
 * `--only cold-build` or `--sizes 5000` adds to the table instead of replacing it.
 */
function mergeWithPrevious(results: Results, file: string, ran: readonly string[]): Results {
  if (!existsSync(file)) return results;
  let previous: Results;
  try {
    previous = JSON.parse(readFileSync(file, "utf8")) as Results;
  } catch {
    return results;
  }
  // A row is replaced only by a new row of the same part and case (`--sizes 5000` keeps the 1,000 rows).
  const measured = new Set(results.rows.map((r) => `${r.part}\0${r.case}`));
  const kept = previous.rows.filter((r) => !measured.has(`${r.part}\0${r.case}`));
  return {
    ...results,
    rows: [...kept, ...results.rows].sort(byPartAndSize),
    profile: ran.includes("profile") ? results.profile : previous.profile,
    notes: [...new Set([...results.notes, ...previous.notes.filter(() => kept.length > 0)])],
  };
}

/** Table order: by part, then the sample before the synthetic projects, smallest first. */
function byPartAndSize(a: Row, b: Row): number {
  const size = (r: Row) => (r.case.startsWith("synthetic") ? Number(r.case.replace(/\D/g, "")) : 0);
  return PARTS.indexOf(a.part as Part) - PARTS.indexOf(b.part as Part) || size(a) - size(b);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      cold: { type: "boolean", default: false },
      rebuild: { type: "boolean", default: false },
      "ci-cache": { type: "boolean", default: false },
      runs: { type: "string" },
      sizes: { type: "string" },
      seed: { type: "string", default: "1" },
      before: { type: "string", default: BASELINE_REV },
      tsx: { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
    },
  });
  const only = (values.only ?? []).flatMap((s) => s.split(",")).filter((s) => s !== "");
  for (const p of only) {
    if (!PARTS.includes(p as Part)) throw new Error(`--only ${p}: not one of ${PARTS.join(", ")}`);
  }
  const enabled = (p: Part): boolean =>
    only.length > 0
      ? only.includes(p)
      : p === "cold-build" || p === "pipelining"
        ? values.cold
        : p === "rebuild"
          ? values.rebuild
          : p === "ci-cache"
            ? values["ci-cache"]
            : true;
  const runs = Number(values.runs ?? (values.quick ? 3 : 7));
  const sizes = (values.sizes ?? (values.quick ? "1000" : "1000,5000")).split(",").map(Number);
  const seed = Number(values.seed);

  const log = (line: string) =>
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const notes: string[] = [];
  if (!hasGnuTime) {
    notes.push("GNU time (/usr/bin/time) is missing, so no peak RSS: apt-get install -y time");
    log(notes.at(-1)!);
  }
  log(`preparing the CLI (${values.tsx ? "tsx" : "esbuild → /var/tmp/crateflake-bench/build"})`);
  const cli = await prepareCli(values.tsx ? "tsx" : "compiled");
  const cargoHome = join(benchCacheRoot(), "cargo-home");
  const env = { ...rustupEnv(), CARGO_HOME: cargoHome };
  const ctx: PartContext = { cli, runs, env, log };

  const needsProjects =
    enabled("generation") || enabled("evaluation") || enabled("profile") || enabled("before-after");
  if (needsProjects) log(`synthetic projects: ${sizes.join(", ")} crates (seed ${seed}; cached)`);
  const projects = needsProjects ? [catsSample(), ...sizes.map((n) => synthetic(n, seed))] : [];

  const resultsOf = (all: Row[], prof: Results["profile"], runNotes: string[], cliLabel: string): Results => {
    const date = `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
    for (const r of all) r.date ??= date;
    return {
      date,
      machine: {
        cpus: cpus()[0]?.model ?? "unknown CPU",
        cores: String(cpus().length),
        node: `Node ${process.version}`,
        nix: version("nix", ["--version"]),
        cargo: version("cargo", ["--version"], rustupEnv()),
      },
      options: { quick: values.quick, runs, sizes, seed, parts: PARTS.filter(enabled), cli: cliLabel },
      rows: all,
      profile: prof,
      notes: runNotes,
    };
  };
  const rows: Row[] = [];
  let profile: Results["profile"] = null;
  const save = (partRows: Row[] = []): void => {
    if (values["no-write"]) return;
    const dir = join(repoRoot, "bench/results");
    mkdirSync(dir, { recursive: true });
    const results = resultsOf([...rows, ...partRows], profile, notes, cli.label);
    const merged = mergeWithPrevious(results, join(dir, "latest.json"), PARTS.filter(enabled));
    writeFileSync(join(dir, "latest.json"), `${JSON.stringify(merged, null, 2)}\n`);
    writeFileSync(join(dir, "latest.md"), markdown(merged));
  };
  ctx.checkpoint = save;
  if (enabled("generation")) rows.push(...benchGeneration(ctx, projects));
  if (enabled("evaluation")) {
    if (hasNix) rows.push(...benchEvaluation(ctx, projects));
    else notes.push("evaluation skipped: nix is not installed");
  }
  if (enabled("profile")) {
    const largest = projects.filter((p) => p.crates !== null).sort((a, b) => b.crates! - a.crates!)[0];
    profile = benchProfile(ctx, largest, join(repoRoot, "bench/results"));
  }
  if (enabled("before-after")) {
    const smallest = projects.filter((p) => p.crates !== null && p.label !== "cats sample").slice(0, 1);
    if (hasNix) rows.push(...(await benchBeforeAfter(ctx, [projects[0], ...smallest], values.before)));
    else notes.push("before-after skipped: nix is not installed");
  }
  // A cold build takes minutes: one run each unless --runs asks for more.
  if (enabled("cold-build")) rows.push(...benchColdBuild(ctx, values.runs ? runs : 1));
  if (enabled("rebuild")) rows.push(...benchRebuild(ctx));
  if (enabled("ci-cache")) rows.push(...benchCiCache(ctx, values.runs ? runs : 1));
  if (enabled("pipelining")) rows.push(...benchPipelining(ctx, values.runs ? runs : 1));

  console.log(textTable(rows));
  if (profile) {
    console.log(`\nprofile of ${profile.what}: top self time`);
    for (const p of profile.top)
      console.log(
        `  ${p.selfMs.toFixed(0).padStart(6)} ms  ${p.functionName || "(anonymous)"}  ${p.url}:${p.line}`,
      );
  }
  for (const n of [...notes, ...rows.filter((r) => r.note).map((r) => `${r.part}, ${r.case}: ${r.note}`)]) {
    console.log(`note: ${n}`);
  }
  save();
  if (!values["no-write"]) log("wrote bench/results/latest.json and latest.md");
}

await main();
