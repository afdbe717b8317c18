/**
 * Bad input on a project that was set up before (test/fixtures/init-errors): `init` and `generate` say
 * what is wrong in one line naming the file and the crate (never an internal error) and leave every file
 * they wrote as it was. Cargo is asked too: it rejects the same inputs, and an optional dependency that
 * Cargo.lock lacks is planned as Cargo plans it when no feature turns it on.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { cli, oneErrorLine } from "../hardening/support.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { fixtureCopy } from "../resolve/oracle.ts";
import { cargoUnitGraph, fixturesDir, needCargo, needRegistry, rustupEnv } from "../support/env.ts";

const fixture = join(fixturesDir, "init-errors");

/** Every file crateflake writes, by path relative to the project. */
function outputs(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  for (const f of ["flake.nix", "default.nix", "crateflake.toml"])
    out.set(f, readFileSync(join(dir, f), "utf8"));
  walk(join(dir, ".crateflake"));
  return out;
}

function edit(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(path, "utf8");
  const changed = text.replace(from, to);
  assert.notEqual(changed, text, `${path}: ${from} not found`);
  writeFileSync(path, changed);
}

interface BadInput {
  what: string;
  /** Breaks the project in `dir`. */
  apply: (dir: string) => void;
  /** The one line (after `error: `), with `DIR` for the project directory. */
  error: RegExp;
  /** What stable Cargo (`cargo metadata --locked`) says about the same input. */
  cargo: RegExp;
}

const cases: BadInput[] = [
  {
    what: "a locked version the registry does not have",
    apply: (dir) => edit(join(dir, "Cargo.lock"), 'version = "1.0.1"', 'version = "1.0.99"'),
    error:
      /^DIR\/Cargo\.lock: itoa 1\.0\.99: .*not in the local registry .*; add it to the registry or update Cargo\.lock$/,
    cargo: /itoa.*1\.0\.99|failed to select a version/,
  },
  {
    what: "a dependency that Cargo.lock does not list",
    apply: (dir) =>
      writeFileSync(join(dir, "Cargo.toml"), `${readFileSync(join(dir, "Cargo.toml"))}memchr = "2"\n`),
    error:
      /^DIR\/Cargo\.toml:8: dependency `memchr` of `app` is not in Cargo\.lock .*: run `cargo update` or `cargo generate-lockfile`$/,
    cargo: /cannot update the lock file .* because --locked was passed/,
  },
  {
    what: "an unstable Cargo feature (cargo-features)",
    apply: (dir) =>
      edit(join(dir, "Cargo.toml"), "[package]", 'cargo-features = ["codegen-backend"]\n\n[package]'),
    error:
      /^DIR\/Cargo\.toml:1: `app` uses the unstable Cargo feature `codegen-backend` \(cargo-features, nightly Cargo only\), which crateflake does not support: remove it/,
    cargo: /the cargo feature `codegen-backend` requires a nightly version of Cargo/,
  },
  {
    what: "an artifact dependency (-Z bindeps)",
    apply: (dir) => edit(join(dir, "Cargo.toml"), 'itoa = "1"', 'itoa = { version = "1", artifact = "bin" }'),
    error:
      /^DIR\/Cargo\.toml:7: dependency `itoa`: `artifact = …` needs Cargo's unstable `-Z bindeps`, which crateflake does not support: remove `artifact`/,
    cargo: /`artifact = …` requires `-Z bindeps`/,
  },
  {
    what: "an optional dependency that Cargo.lock lacks, turned on by default",
    apply: (dir) =>
      writeFileSync(
        join(dir, "Cargo.toml"),
        `${readFileSync(join(dir, "Cargo.toml"))}memchr = { version = "2", optional = true }\n\n[features]\ndefault = ["memchr"]\n`,
      ),
    error:
      /^DIR\/Cargo\.lock: `app v0\.1\.0` needs its dependency `memchr` \(memchr 2\), which Cargo\.lock does not list; run `cargo generate-lockfile` and try again$/,
    cargo: /cannot update the lock file .* because --locked was passed/,
  },
];

describe("bad input after init: one line, the old output kept", { skip: needRegistry || needCargo }, () => {
  for (const c of cases) {
    test(c.what, async () => {
      const dir = fixtureCopy(fixture);
      assert.equal(cli(["init", "--quiet", dir]).code, 0);
      const before = outputs(dir);
      c.apply(dir);
      for (const command of ["generate", "init"]) {
        const r = cli([command, "--quiet", dir]);
        assert.equal(oneErrorLine(r), null, `${command}: ${r.stderr}`);
        assert.match(r.stderr.trim().replace("error: ", "").replaceAll(dir, "DIR"), c.error, command);
        assert.deepEqual(outputs(dir), before, `${command} changed its output`);
      }
      // Stable Cargo (the nightly oracle would accept cargo-features).
      const cargo = spawnSync("cargo", ["metadata", "--locked", "--offline", "--format-version", "1"], {
        cwd: dir,
        env: rustupEnv,
        encoding: "utf8",
      });
      assert.notEqual(cargo.status, 0, "cargo accepted it");
      assert.match(cargo.stderr, c.cargo);
    });
  }

  test("a first init on bad input writes nothing", () => {
    const dir = fixtureCopy(fixture);
    cases[1].apply(dir);
    assert.equal(oneErrorLine(cli(["init", "--quiet", dir])), null);
    for (const f of ["flake.nix", "default.nix", "crateflake.toml", ".crateflake"])
      assert.ok(!existsSync(join(dir, f)), f);
  });
});

test("an optional dependency that Cargo.lock lacks and no feature turns on: planned as Cargo plans it", {
  skip: needRegistry || needCargo,
}, async () => {
  const dir = fixtureCopy(fixture);
  const manifest = join(dir, "Cargo.toml");
  writeFileSync(manifest, `${readFileSync(manifest)}memchr = { version = "2", optional = true }\n`);
  const project = await loadProject(manifest, { quiet: true });
  const ours = planUnitGraph(project, {
    manifestPath: manifest,
    hostTriple: hostTripleOf(process.platform, process.arch),
    matches: platformMatcher(),
  });
  assert.equal(cli(["init", "--quiet", dir]).code, 0);
  // Cargo lists every optional dependency in Cargo.lock: without --locked it adds memchr, and builds
  // without it.
  const cargo = cargoUnitGraph(manifest) as UnitGraph;
  assert.match(readFileSync(join(dir, "Cargo.lock"), "utf8"), /name = "memchr"/);
  assert.deepEqual(diffUnitGraphs(ours, cargo), []);
  assert.deepEqual(ours.units.map((u) => u.target.name).sort(), ["app", "itoa"]);
});
