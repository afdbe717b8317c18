/**
 * Fuzzing the loader, planner and emitter with mutated manifests, lockfiles and configs (mutate.ts), in
 * one child process (fuzz-runner.ts) watched for hangs: a case that runs longer than CASE_LIMIT_MS fails
 * the test with the case. At least 10,000 cases over the plan fixtures, the hostile fixture and the cats
 * sample; CRATEFLAKE_FUZZ_SCALE multiplies the counts (e.g. 0.1 for a quick run, 10 for a long one).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { catsSampleDir, fixturesDir, needRegistry, registryDir, tempDir } from "../support/env.ts";
import type { FuzzResult, FuzzSeed, FuzzSpec } from "./fuzz-runner.ts";
import { hardeningFixtures } from "./support.ts";

const runner = fileURLToPath(new URL("./fuzz-runner.ts", import.meta.url));
const scale = Number(process.env.CRATEFLAKE_FUZZ_SCALE ?? "1");
const CASE_LIMIT_MS = 30_000;
const offlineConfig = `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`;

/** The cases rewrite files thousands of times: on tmpfs when there is one (a disk made writes dominate). */
let work = "";

/** Manifests, the lockfile and the config of a project directory, relative to it. */
function inputFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (e === "target" || e === ".git") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (e === "Cargo.toml" || e === "Cargo.lock" || (e === "config.toml" && d.endsWith(".cargo")))
        out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

function seedFrom(name: string, from: string, runs: number, targets?: string[]): FuzzSeed {
  const dir = join(work, name);
  cpSync(from, dir, { recursive: true });
  if (!existsSync(join(dir, ".cargo/config.toml"))) {
    mkdirSync(join(dir, ".cargo"), { recursive: true });
    writeFileSync(join(dir, ".cargo/config.toml"), offlineConfig);
  }
  return {
    name,
    dir,
    manifest: "Cargo.toml",
    files: inputFiles(dir),
    runs: Math.max(1, Math.round(runs * scale)),
    targets,
  };
}

function seeds(): FuzzSeed[] {
  work = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/crateflake-fuzz-") : tempDir("fuzz");
  const planDir = join(fixturesDir, "plan");
  const plans = readdirSync(planDir)
    .filter((f) => !f.startsWith("_") && existsSync(join(planDir, f, "Cargo.lock")))
    .sort();
  // Fixtures with many registry crates cost ~10x more per case: fewer cases there; the hostile fixture
  // (the cheapest) makes up the 10,000.
  const heavy = new Set(["kitchen-sink"]);
  const planSeeds = plans.map((p) => seedFrom(p, join(planDir, p), heavy.has(p) ? 150 : 400));
  const cats = seedFrom("cats-ws", join(catsSampleDir(), "cats-ws"), 300, ["wasm32-unknown-unknown"]);
  const others = [...planSeeds, cats].reduce((n, s) => n + s.runs, 0);
  const hostile = seedFrom(
    "hostile",
    join(hardeningFixtures, "hostile"),
    Math.max(1000, 10_000 - others / scale),
  );
  return [hostile, ...planSeeds, cats];
}

test("fuzzing load + plan + emit: every case succeeds or fails with one UserError line naming a file", {
  skip: needRegistry,
  timeout: 900_000,
}, async () => {
  const spec: FuzzSpec = {
    seeds: seeds(),
    fcSeed: Number(process.env.CRATEFLAKE_FUZZ_SEED ?? "20261125"),
    progress: join(work, "progress.json"),
    cacheDir: join(work, "cache"),
  };
  writeFileSync(join(work, "spec.json"), JSON.stringify(spec));
  const child = spawn(process.execPath, ["--import", "tsx", runner, join(work, "spec.json")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b) => {
    stdout += b;
  });
  child.stderr.on("data", (b) => {
    stderr += b;
  });
  // The watchdog: the runner writes each case before running it; a case that does not end in time is a hang.
  let last = "";
  let since = Date.now();
  let hung: string | null = null;
  const watch = setInterval(() => {
    const now = existsSync(spec.progress) ? readFileSync(spec.progress, "utf8") : "";
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since > CASE_LIMIT_MS && last !== "") {
      hung = last;
      child.kill("SIGKILL");
    }
  }, 500);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  clearInterval(watch);
  rmSync(work, { recursive: true, force: true });
  assert.equal(hung, null, `a case ran longer than ${CASE_LIMIT_MS} ms: ${hung}`);
  assert.equal(code, 0, stderr);
  const results = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as FuzzResult);
  assert.equal(results.length, spec.seeds.length, stderr);
  if (process.env.CRATEFLAKE_FUZZ_VERBOSE)
    for (const r of results) process.stderr.write(`fuzz ${r.seed}: ${r.runs} cases in ${r.ms} ms\n`);
  const failures = results.filter((r) => r.failure).map((r) => `${r.seed}: ${r.failure}`);
  assert.deepEqual(failures, []);
  const total = results.reduce((n, r) => n + r.runs, 0);
  const expected = spec.seeds.reduce((n, s) => n + s.runs, 0);
  assert.equal(total, expected);
  if (scale >= 1) assert.ok(total >= 10_000, `${total} cases`);
});
