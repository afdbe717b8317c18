/**
 * `[replace]` (test/fixtures/plan/replace): `"itoa:1.0.1" = { path = "itoa-local" }` puts a local copy,
 * with a dependency of its own, in the place of crates.io's itoa for every package. The Nix-built program
 * prints what `cargo run --release` prints, `crateflake metadata` lists what `cargo metadata` lists, and a
 * `[replace]` that Cargo.lock does not record, or one without a version, is one clear error line.
 * (plan-vs-cargo.test.ts compares the unit graphs.)
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostPlanOptions } from "../../src/resolve/platforms.ts";
import { cargo, cargoEnv, normalForm, writeConfig } from "../cargo/support.ts";
import { nixBuild } from "../e2e/flake.ts";
import { run } from "../nix/support.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { cargoUnitGraphAsync, fixtureCopy } from "../resolve/oracle.ts";
import { git } from "../sources/git-fixtures.ts";
import { runCli } from "../support/cli.ts";
import {
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  registryDir,
  rustupEnv,
  tempDir,
} from "../support/env.ts";

const fixture = join(fixturesDir, "plan/replace");

describe("[replace] of a registry crate by a local path", {
  skip: needNix || needCargo || needRegistry,
}, () => {
  let dir: string;
  before(() => {
    dir = fixtureCopy(fixture);
  });

  test("the Nix-built program prints what cargo run --release prints", () => {
    const expected = cargo(["run", "-q", "--release"], dir, {
      ...rustupEnv,
      CARGO_TARGET_DIR: tempDir("replace-target"),
    });
    assert.equal(expected, "app: 42 (replaced itoa)\nshout: 7 (replaced itoa)!\n");
    const init = runCli(["init", "--quiet", dir]);
    assert.equal(init.code, 0, init.stderr);
    assert.equal(run(join(nixBuild(dir, "app"), "bin/app"), []), expected);
  });

  test("crateflake metadata: the packages and resolve of cargo metadata", () => {
    const theirs = JSON.parse(cargo(["metadata", "--format-version", "1", "--offline"], dir, rustupEnv));
    const r = runCli(["metadata", "--manifest-path", join(dir, "Cargo.toml")]);
    assert.equal(r.code, 0, r.stderr);
    const ours = normalForm(JSON.parse(r.stdout));
    assert.deepEqual(ours.resolve, normalForm(theirs).resolve);
    assert.deepEqual(
      ours.packages.map((p: { id: string }) => p.id),
      normalForm(theirs).packages.map((p: { id: string }) => p.id),
    );
  });

  test("a git [replace]: the plan is Cargo's unit graph, the Nix-built program prints what Cargo's prints", async () => {
    // The same local copy, from a repository; Cargo fetches the file:// URL into a private CARGO_HOME.
    const env = { ...cargoEnv(tempDir("cargo-home")), CARGO_NET_GIT_FETCH_WITH_CLI: "true" };
    const repo = join(tempDir("replace-git"), "itoa");
    cpSync(join(fixture, "itoa-local"), repo, { recursive: true });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "itoa copy");
    const gitDir = fixtureCopy(fixture);
    rmSync(join(gitDir, "itoa-local"), { recursive: true });
    rmSync(join(gitDir, "Cargo.lock"));
    const manifest = join(gitDir, "Cargo.toml");
    const text = readFileSync(manifest, "utf8").replace(
      '{ path = "itoa-local" }',
      `{ git = "file://${repo}" }`,
    );
    writeFileSync(manifest, text);
    // Not offline: the repository is fetched (by Cargo and by crateflake) once.
    writeConfig(gitDir, registryDir);
    cargo(["generate-lockfile", "-q"], gitDir, env);
    assert.match(readFileSync(join(gitDir, "Cargo.lock"), "utf8"), /^replace = "itoa 1\.0\.1 \(git\+file:/m);
    const project = await loadProject(manifest, { quiet: true, env });
    const ours = planUnitGraph(project, { manifestPath: manifest, ...hostPlanOptions() });
    assert.deepEqual(diffUnitGraphs(ours, await cargoUnitGraphAsync(manifest, [], false, env)), []);
    const expected = cargo(["run", "-q", "--release"], gitDir, { ...env, CARGO_TARGET_DIR: tempDir("t") });
    assert.match(expected, /replaced itoa/);
    const init = runCli(["init", "--quiet", gitDir], { env });
    assert.equal(init.code, 0, init.stderr);
    assert.equal(run(join(nixBuild(gitDir, "app"), "bin/app"), []), expected);
  });

  test("a [replace] Cargo.lock does not record, or without a version, is one error line", () => {
    const stale = fixtureCopy(fixture);
    const lock = join(stale, "Cargo.lock");
    writeFileSync(lock, readFileSync(lock, "utf8").replace(/^replace = .*\n/m, ""));
    const r = runCli(["plan", "--manifest-path", join(stale, "Cargo.toml")]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: ${join(stale, "Cargo.toml")}:13: \`[replace]\` of \`itoa:1.0.1\` is not recorded in Cargo.lock (\`itoa 1.0.1\` has no \`replace\`): run \`cargo update -p itoa\`\n`,
    );
    const noVersion = fixtureCopy(fixture);
    const manifest = join(noVersion, "Cargo.toml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace('"itoa:1.0.1"', '"itoa"'));
    const v = runCli(["plan", "--manifest-path", manifest]);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /^error: .*Cargo\.toml:13: `\[replace\]`: replacements must specify a version/);
    assert.equal(v.stderr.split("\n").length, 2);
  });
});
