/**
 * The in-process fuzzer, run as one child process by fuzz.test.ts (which watches it for hangs): for each
 * seed project, fast-check mutates its manifests, lockfile and config, then loads, plans and emits it in
 * this process. Each case must succeed or throw a UserError that renders as one line naming a file;
 * anything else is a failure, shrunk by fast-check to a small counterexample.
 *
 * Before each case it writes the case to `progress` (synchronously, so a hang still leaves it there).
 * At the end it prints one JSON line per seed: { seed, runs, failure? }.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { loadConfig } from "../../src/cargo/config.ts";
import { loadProject } from "../../src/cargo/load.ts";
import type { LockedPackage } from "../../src/cargo/model.ts";
import { UserError } from "../../src/errors.ts";
import { emitNixData } from "../../src/nix/emit.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { platformMatcher } from "../../src/resolve/platforms.ts";
import { openSources } from "../../src/sources/index.ts";
import type { FetchedPackage } from "../../src/sources/source.ts";
import { applyMutations, type Mutation, mutationsArb } from "./mutate.ts";

export interface FuzzSeed {
  name: string;
  /** The project's directory (a private copy: the runner rewrites its files). */
  dir: string;
  /** Root manifest, relative to `dir`. */
  manifest: string;
  /** The files to mutate, relative to `dir`. */
  files: string[];
  runs: number;
  /** `--target` triples to plan for, besides the host. */
  targets?: string[];
}

export interface FuzzSpec {
  seeds: FuzzSeed[];
  fcSeed: number;
  progress: string;
  cacheDir: string;
}

export interface FuzzResult {
  seed: string;
  runs: number;
  ms: number;
  failure?: string;
}

const HOST = "x86_64-unknown-linux-gnu";

/** Fetching the same locked package again gives the same answer: cache it (errors too). */
function memoFetch(seed: FuzzSeed, cacheDir: string) {
  const config = loadConfig(seed.dir);
  const sources = openSources({ config, lockfileDir: seed.dir, cacheDir, quiet: true, attempts: 1 });
  const cache = new Map<string, Promise<FetchedPackage>>();
  return (pkg: LockedPackage): Promise<FetchedPackage> => {
    const key = JSON.stringify([pkg.name, pkg.version, pkg.source, pkg.checksum]);
    let p = cache.get(key);
    if (!p) {
      p = sources.fetch(pkg);
      p.catch(() => {});
      cache.set(key, p);
    }
    return p;
  };
}

/** Why an error is not acceptable, or null: a UserError rendering as one line that names a file. */
export function badError(err: unknown): string | null {
  if (!(err instanceof UserError)) {
    return `not a UserError: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
  const line = err.render();
  if (line.includes("\n")) return `the message has several lines: ${JSON.stringify(line)}`;
  const namesFile = (err.file !== undefined && err.file !== "") || /(^|\s|`|\()\/[^\s]+/.test(err.message);
  if (!namesFile) return `the message names no file: ${JSON.stringify(line)}`;
  return null;
}

async function runCase(seed: FuzzSeed, fetch: ReturnType<typeof memoFetch>): Promise<void> {
  const manifestPath = join(seed.dir, seed.manifest);
  const project = await loadProject(manifestPath, { fetch, quiet: true });
  for (const targets of [[], ...(seed.targets ?? []).map((t) => [t])]) {
    const graph = planUnitGraph(project, {
      hostTriple: HOST,
      matches: platformMatcher(),
      profile: "release",
      manifestPath,
      targets,
    });
    emitNixData([{ name: "out", toolchain: "default", graph, project }], { flakeRoot: seed.dir, inputs: {} });
  }
}

async function fuzzSeed(seed: FuzzSeed, spec: FuzzSpec, counter: { n: number }): Promise<FuzzResult> {
  const originals = new Map(seed.files.map((f) => [f, readFileSync(join(seed.dir, f), "utf8")]));
  const fetch = memoFetch(seed, spec.cacheDir);
  const property = fc.asyncProperty(mutationsArb(seed.files.length), async (muts: Mutation[]) => {
    counter.n++;
    writeFileSync(spec.progress, JSON.stringify({ n: counter.n, seed: seed.name, muts }));
    const mutated = applyMutations(seed.files, originals, muts);
    const changed = [...mutated].filter(([f, text]) => originals.get(f) !== text);
    for (const [f, text] of changed) writeFileSync(join(seed.dir, f), text);
    try {
      await runCase(seed, fetch);
    } catch (err) {
      const why = badError(err);
      if (why) {
        const files = changed.map(
          ([f, text]) => `--- ${f}\n${text.length > 4000 ? `${text.slice(0, 4000)}...` : text}`,
        );
        throw new Error(`${why}\n${files.join("\n")}`);
      }
    } finally {
      for (const [f] of changed) writeFileSync(join(seed.dir, f), originals.get(f)!);
    }
  });
  const start = Date.now();
  const out = await fc.check(property, { numRuns: seed.runs, seed: spec.fcSeed, endOnFailure: true });
  const ms = Date.now() - start;
  if (!out.failed) return { seed: seed.name, runs: out.numRuns, ms };
  return {
    seed: seed.name,
    runs: out.numRuns,
    ms,
    failure:
      `seed ${out.seed} path ${out.counterexamplePath}\nmutations ${JSON.stringify(out.counterexample)}\n${
        out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)
      }`.slice(0, 8000),
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2], "utf8")) as FuzzSpec;
  const counter = { n: 0 };
  for (const seed of spec.seeds) {
    const result = await fuzzSeed(seed, spec, counter);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`fuzz runner crashed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 3;
});
