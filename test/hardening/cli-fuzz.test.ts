/**
 * The fuzzer's cases through the real CLI: mutated projects (mutate.ts) run with `crateflake plan` in child
 * processes. What the same case does in process decides what the CLI must do: exit 0, or exit 1 with
 * exactly one stderr line, `error: ` and the UserError's rendering. CRATEFLAKE_CLI_FUZZ_CASES sets the
 * count (default 60: each case starts a Node process; fuzz.test.ts runs 10,000 cases in process).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { loadProject } from "../../src/cargo/load.ts";
import { UserError } from "../../src/errors.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import { fixturesDir, needRegistry, registryDir, tempDir } from "../support/env.ts";
import { applyMutations, mutationsArb } from "./mutate.ts";
import { hardeningFixtures } from "./support.ts";

const cliPath = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const cases = Number(process.env.CRATEFLAKE_CLI_FUZZ_CASES ?? "60");
const CONCURRENCY = 3;
const offlineConfig = `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`;

const seeds: { from: string; files: string[] }[] = [
  { from: join(hardeningFixtures, "hostile"), files: ["Cargo.toml", "Cargo.lock"] },
  { from: join(fixturesDir, "plan/renames"), files: ["Cargo.toml", "Cargo.lock", "real-lib/Cargo.toml"] },
  { from: join(fixturesDir, "plan/optional-chain"), files: ["Cargo.toml", "Cargo.lock"] },
  {
    from: join(fixturesDir, "plan/feature-flags"),
    files: ["Cargo.toml", "Cargo.lock", "one/Cargo.toml", "two/Cargo.toml"],
  },
];

/** What `crateflake plan` does in process: null when it succeeds, else the one line it must print. */
async function expected(manifestPath: string, cacheDir: string): Promise<string | null> {
  try {
    const project = await loadProject(manifestPath, { quiet: true, cacheDir });
    planUnitGraph(project, {
      packages: [],
      targets: [],
      features: [],
      manifestPath,
      hostTriple: hostTripleOf(process.platform, process.arch),
      matches: platformMatcher(),
    });
    return null;
  } catch (err) {
    if (err instanceof UserError) return `error: ${err.render()}\n`;
    throw err;
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", cliPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (b) => {
      stderr += b;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test(`${cases} mutated projects through the CLI: exit 0, or exit 1 with the one error line`, {
  skip: needRegistry,
  timeout: 1_800_000,
}, async () => {
  const root = tempDir("cli-fuzz");
  const cacheDir = join(root, "cache");
  const perSeed = Math.ceil(cases / seeds.length);
  const jobs: { dir: string; muts: unknown }[] = [];
  seeds.forEach((seed, s) => {
    const originals = new Map(seed.files.map((f) => [f, readFileSync(join(seed.from, f), "utf8")]));
    const samples = fc.sample(mutationsArb(seed.files.length), { numRuns: perSeed, seed: 4242 + s });
    samples.forEach((muts, i) => {
      const dir = join(root, `${s}-${i}`);
      cpSync(seed.from, dir, { recursive: true });
      if (!existsSync(join(dir, ".cargo/config.toml"))) {
        mkdirSync(join(dir, ".cargo"), { recursive: true });
        writeFileSync(join(dir, ".cargo/config.toml"), offlineConfig);
      }
      for (const [f, text] of applyMutations(seed.files, originals, muts)) writeFileSync(join(dir, f), text);
      jobs.push({ dir, muts });
    });
  });

  const problems: string[] = [];
  let failing = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const manifest = join(job.dir, "Cargo.toml");
      const want = await expected(manifest, cacheDir);
      const got = await run(["plan", "-q", "--manifest-path", manifest], { XDG_CACHE_HOME: cacheDir });
      if (want !== null) failing++;
      const ok = want === null ? got.code === 0 : got.code === 1 && got.stderr === want;
      if (!ok)
        problems.push(
          `${job.dir} ${JSON.stringify(job.muts)}\n  expected ${want === null ? "exit 0" : `exit 1 and ${JSON.stringify(want)}`}\n  got exit ${got.code} and ${JSON.stringify(got.stderr.slice(0, 2000))}`,
        );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(problems, []);
  assert.equal(jobs.length, perSeed * seeds.length);
  // The mutations must make the CLI fail often enough for the check to mean something.
  assert.ok(failing >= jobs.length / 4, `only ${failing} of ${jobs.length} cases failed`);
});
