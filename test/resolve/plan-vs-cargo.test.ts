/**
 * The proof of `crateflake plan`: for the cats sample (both layouts) and every fixture under
 * test/fixtures/plan/, Cargo's own unit graph and ours must be the same unit set, with the same
 * features, dependency edges and extern crate names. A failure prints the difference.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { lockSynthetic, writeSynthetic } from "../../bench/synthetic.ts";
import { loadProject } from "../../src/cargo/load.ts";
import type { Project } from "../../src/cargo/model.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import {
  catsSampleDir,
  fixturesDir,
  hasCargo,
  hasRegistry,
  needCargo,
  needRegistry,
  tempDir,
} from "../support/env.ts";
import { diffUnitGraphs } from "./compare.ts";
import { cargoUnitGraphAsync, fixtureCopy } from "./oracle.ts";

const skip = needRegistry || needCargo;
const host = hostTripleOf(process.platform, process.arch);
const matches = platformMatcher();

interface Run {
  args: string[];
  tests?: boolean;
  manifest?: string;
  resolver?: string;
}

const projects = new Map<string, Promise<Project>>();

/** Our graph for the same command line as Cargo's (only the flags `plan` shares with `cargo build`). */
async function ourGraph(manifestPath: string, args: string[], tests: boolean): Promise<UnitGraph> {
  const o = {
    packages: [] as string[],
    targets: [] as string[],
    features: [] as string[],
    workspace: false,
    all: false,
    noDefault: false,
    profile: undefined as string | undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const v = () => args[++i] as string;
    if (a === "-p") o.packages.push(v());
    else if (a === "--target") o.targets.push(v());
    else if (a === "--features") o.features.push(v());
    else if (a === "--workspace") o.workspace = true;
    else if (a === "--all-features") o.all = true;
    else if (a === "--no-default-features") o.noDefault = true;
    else if (a === "--release") o.profile = "release";
    else throw new Error(`flag not handled by the harness: ${a}`);
  }
  let project = projects.get(manifestPath);
  if (!project) {
    project = loadProject(manifestPath, { quiet: true });
    projects.set(manifestPath, project);
  }
  return planUnitGraph(await project, {
    packages: o.packages,
    targets: o.targets,
    features: o.features,
    workspace: o.workspace,
    allFeatures: o.all,
    noDefaultFeatures: o.noDefault,
    profile: o.profile,
    tests,
    manifestPath,
    hostTriple: host,
    matches,
  });
}

function label(run: Run): string {
  return [
    run.manifest ?? "",
    run.resolver ? `resolver=${run.resolver}` : "",
    run.tests ? "--tests" : "",
    ...run.args,
  ]
    .filter((s) => s !== "")
    .join(" ");
}

interface Case {
  name: string;
  manifestPath: string;
  run: Run;
  /** Cargo's answer, started on first call. */
  cargo: () => Promise<UnitGraph>;
}

function lazy<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    if (!p) {
      p = f();
      p.catch(() => {}); // reported by the test that awaits it
    }
    return p;
  };
}

/** Every case; each test starts Cargo for itself and the next two, so two cargo processes overlap. */
function cases(): Case[] {
  if (skip || !hasRegistry || !hasCargo) return [];
  const out: Case[] = [];
  const cats = catsSampleDir();
  const targets = [[], ["--target", "x86_64-unknown-linux-gnu"], ["--target", "wasm32-unknown-unknown"]];
  for (const m of ["cats-ws/Cargo.toml", "cats-sep/app/Cargo.toml", "cats-sep/wasm/Cargo.toml"]) {
    for (const args of targets) {
      for (const tests of [false, true]) {
        const manifestPath = join(cats, m);
        const run = { args, tests };
        out.push({
          name: `cats ${m}`,
          manifestPath,
          run,
          cargo: lazy(() => cargoUnitGraphAsync(manifestPath, args, tests)),
        });
      }
    }
  }
  const root = join(fixturesDir, "plan");
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith("_")) continue;
    const spec = JSON.parse(readFileSync(join(root, name, "plan.json"), "utf8")) as { runs: Run[] };
    const copies = new Map<string, string>();
    for (const run of spec.runs) {
      const key = run.resolver ?? "";
      let dir = copies.get(key);
      if (!dir) {
        dir = fixtureCopy(join(root, name), run.resolver);
        copies.set(key, dir);
      }
      const manifestPath = join(dir, run.manifest ?? "Cargo.toml");
      const cargo = lazy(() => cargoUnitGraphAsync(manifestPath, run.args, run.tests ?? false));
      out.push({ name, manifestPath, run, cargo });
    }
  }
  // The benchmark's synthetic project (bench/synthetic.ts): build scripts, proc-macros, optional and
  // platform-specific dependencies at random. With seed 5, a host unit and a target-side one differ only
  // by their dependencies, so Cargo keeps both where nothing else tells them apart.
  const made = writeSynthetic({ crates: 40, seed: 5 }, tempDir("plan-synthetic"));
  lockSynthetic(made.root, join(made.root, "../cargo-home"));
  const manifestPath = join(made.root, "Cargo.toml");
  for (const run of [{ args: [] }, { args: [], tests: true }, { args: ["-p", "app"], tests: true }]) {
    const cargo = lazy(() => cargoUnitGraphAsync(manifestPath, run.args, run.tests ?? false));
    out.push({ name: "synthetic 40 crates", manifestPath, run, cargo });
  }
  return out;
}

const all = cases();

test("the corpus has the cats sample and at least 15 fixtures", { skip }, () => {
  assert.ok(new Set(all.map((c) => c.name)).size >= 18);
});

all.forEach((c, i) => {
  test(`plan equals cargo's unit graph: ${c.name} ${label(c.run)}`, { skip }, async () => {
    for (const next of all.slice(i + 1, i + 3)) next.cargo();
    const cargo = await c.cargo();
    const ours = await ourGraph(c.manifestPath, c.run.args, c.run.tests ?? false);
    const diff = diffUnitGraphs(ours, cargo);
    assert.ok(cargo.units.length > 0);
    assert.equal(ours.units.length, cargo.units.length, diff.join("\n"));
    assert.deepEqual(diff, [], `\n${diff.join("\n")}`);
  });
});
