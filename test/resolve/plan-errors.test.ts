/**
 * Inputs Cargo rejects are rejected by `plan` too, with one-line UserErrors worded like Cargo's: each
 * case runs Cargo (which must fail) and our planner (which must throw a UserError matching `ours`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { UserError } from "../../src/errors.ts";
import { type PlanOptions, planUnitGraph } from "../../src/resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import { fixturesDir, needCargo, needRegistry } from "../support/env.ts";
import { cargoErrorAsync, fixtureCopy } from "./oracle.ts";

const skip = needRegistry || needCargo;
const host = hostTripleOf(process.platform, process.arch);

interface ErrorCase {
  name: string;
  fixture: string;
  cargoArgs: string[];
  opts: Partial<PlanOptions>;
  ours: RegExp;
  cargo: RegExp;
}

const cases: ErrorCase[] = [
  {
    name: "--features pkg/feat where pkg is neither a selected member nor its direct dependency",
    fixture: "feature-flags",
    cargoArgs: ["-p", "two", "--features", "log/std"],
    opts: { packages: ["two"], features: ["log/std"] },
    ours: /^the package 'two' does not contain this feature: log\/std$/,
    cargo: /does not contain this feature: log\/std/,
  },
  {
    name: "a feature that does not exist",
    fixture: "feature-flags",
    cargoArgs: ["-p", "one", "--features", "nope"],
    opts: { packages: ["one"], features: ["nope"] },
    ours: /^the package 'one' does not contain this feature: nope$/,
    cargo: /does not contain this feature: nope/,
  },
  {
    name: "`dep:` hides the implicit feature of an optional dependency",
    fixture: "dep-syntax",
    cargoArgs: ["--features", "serde_json"],
    opts: { features: ["serde_json"] },
    ours: /^package `depsyntax v0\.1\.0` does not have feature `serde_json` \(an optional dependency with that name exists, but the `features` table includes it with the "dep:" syntax/,
    cargo: /does not have feature `serde_json`[\s\S]*"dep:" syntax/,
  },
  {
    name: "`dep:` is not allowed on the command line",
    fixture: "dep-syntax",
    cargoArgs: ["--features", "dep:log"],
    opts: { features: ["dep:log"] },
    ours: /^feature `dep:log` is not allowed to use explicit `dep:` syntax$/,
    cargo: /not allowed to use explicit `dep:` syntax/,
  },
  {
    name: "-p that names no package",
    fixture: "feature-flags",
    cargoArgs: ["-p", "nosuch"],
    opts: { packages: ["nosuch"] },
    ours: /^package ID specification `nosuch` did not match any packages$/,
    cargo: /package ID specification `nosuch` did not match any packages/,
  },
  {
    name: "features for a package outside the workspace",
    fixture: "feature-flags",
    cargoArgs: ["-p", "log", "--features", "std"],
    opts: { packages: ["log"], features: ["std"] },
    ours: /^cannot specify features for packages outside of workspace$/,
    cargo: /cannot specify features for packages outside of workspace/,
  },
  {
    name: "resolver 1: --features applies to the current package, which lacks it",
    fixture: "feature-flags-v1",
    cargoArgs: ["--workspace", "--features", "log"],
    opts: { workspace: true, features: ["log"] },
    ours: /^package `root v0\.1\.0` does not have the feature `log`$/,
    cargo: /package `root v0\.1\.0 \([^)]*\)` does not have the feature `log`/,
  },
  {
    name: "a cyclic dependency",
    fixture: "_errors/cycle",
    cargoArgs: [],
    opts: {},
    ours: /^cyclic package dependency: package `a v0\.1\.0` depends on itself\. Cycle: a v0\.1\.0 -> b v0\.1\.0 -> a v0\.1\.0$/,
    cargo: /cyclic package dependency: package `a v0\.1\.0/,
  },
  {
    name: "one package depending on a crate under two names",
    fixture: "_errors/two-names",
    cargoArgs: [],
    opts: {},
    ours: /^the crate `twonames v0\.1\.0` depends on crate `x v0\.1\.0` multiple times with different names$/,
    cargo: /depends on crate `x v0\.1\.0.*multiple times with different names/,
  },
];

for (const c of cases) {
  test(`plan rejects what cargo rejects: ${c.name}`, { skip }, async () => {
    const dir = fixtureCopy(join(fixturesDir, "plan", c.fixture));
    const manifestPath = join(dir, "Cargo.toml");
    const cargo = cargoErrorAsync(manifestPath, c.cargoArgs);
    let error: unknown;
    try {
      const project = await loadProject(manifestPath, { quiet: true });
      planUnitGraph(project, { manifestPath, hostTriple: host, matches: platformMatcher(), ...c.opts });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, c.ours);
    assert.doesNotMatch(error.message, /\n/);
    const cargoError = await cargo;
    assert.ok(cargoError !== null, "cargo accepted it");
    assert.match(cargoError, c.cargo);
  });
}

test("a feature that needs a package Cargo.lock does not list is refused, not guessed", {
  skip,
}, async () => {
  // Cargo would pick serde_derive's newest version from the registry here (the lock, made with all of
  // the members' features, does not need it); crateflake takes versions from Cargo.lock only.
  const dir = fixtureCopy(join(fixturesDir, "plan", "feature-flags"));
  const manifestPath = join(dir, "Cargo.toml");
  const project = await loadProject(manifestPath, { quiet: true });
  assert.throws(
    () =>
      planUnitGraph(project, {
        manifestPath,
        hostTriple: host,
        matches: platformMatcher(),
        packages: ["one"],
        features: ["serde/derive"],
      }),
    (e: unknown) =>
      e instanceof UserError &&
      /^`serde v1\.0\.152` needs its dependency `serde_derive` \(serde_derive .*\), which Cargo\.lock does not list; run `cargo generate-lockfile`/.test(
        e.message,
      ) &&
      e.file === join(dir, "Cargo.lock"),
  );
});
