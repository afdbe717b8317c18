/**
 * One git repository used through several references: `x1 = { package = "x", git, tag = "v1" }`,
 * `x2 = { ..., tag = "v2" }` and `x3 = { ..., branch = "dev" }` are three sources to Cargo (its source id
 * holds the reference), each with its own code. Cargo builds it; the plan must be Cargo's unit graph and
 * the Nix-built program must print what `cargo run --release` prints.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostPlanOptions } from "../../src/resolve/platforms.ts";
import { cargo, cargoEnv, normalForm, writeConfig } from "../cargo/support.ts";
import { nixBuild } from "../e2e/flake.ts";
import { run } from "../nix/support.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { cargoUnitGraphAsync } from "../resolve/oracle.ts";
import { git, write } from "../sources/git-fixtures.ts";
import { runCli } from "../support/cli.ts";
import { needCargo, needNix, needRegistry, registryDir, tempDir } from "../support/env.ts";

/** A repository of package `x` whose `which()` names the reference: tags v1 and v2, branch dev. */
function xRepo(): string {
  const repo = join(tempDir("git-refs"), "x");
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  const version = (v: string) => {
    write(repo, {
      "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n',
      "src/lib.rs": `pub fn which() -> &'static str {\n    "${v}"\n}\n`,
    });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", v);
  };
  version("v1");
  git(repo, "tag", "v1");
  version("v2");
  git(repo, "tag", "v2");
  git(repo, "checkout", "-q", "-b", "dev");
  version("dev");
  git(repo, "checkout", "-q", "main");
  version("main");
  return `file://${repo}`;
}

describe("two tags and a branch of one git repository", {
  skip: needNix || needCargo || needRegistry,
}, () => {
  let dir: string;
  let manifest: string;
  // Cargo fetches the file:// repository: its git database stays out of the real CARGO_HOME.
  const env = { ...cargoEnv(tempDir("cargo-home")), CARGO_NET_GIT_FETCH_WITH_CLI: "true" };
  before(() => {
    const url = xRepo();
    dir = join(tempDir("git-refs-app"), "app");
    write(dir, {
      "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]
x1 = { package = "x", git = "${url}", tag = "v1" }
x2 = { package = "x", git = "${url}", tag = "v2" }
x3 = { package = "x", git = "${url}/", branch = "dev" }
`,
      "src/main.rs": 'fn main() {\n    println!("{} {} {}", x1::which(), x2::which(), x3::which());\n}\n',
    });
    writeConfig(dir, registryDir);
    cargo(["generate-lockfile", "-q"], dir, env);
    manifest = join(dir, "Cargo.toml");
  });

  test("the plan is Cargo's unit graph", async () => {
    const project = await loadProject(manifest, { quiet: true, env });
    const ours = planUnitGraph(project, { manifestPath: manifest, ...hostPlanOptions() });
    const theirs = await cargoUnitGraphAsync(manifest, [], false, env);
    assert.deepEqual(diffUnitGraphs(ours, theirs), []);
    assert.equal(ours.units.filter((u) => u.target.name === "x").length, 3);
  });

  test("crateflake metadata: the packages and resolve of cargo metadata", () => {
    const theirs = normalForm(
      JSON.parse(cargo(["metadata", "--format-version", "1", "--offline"], dir, env)),
    );
    const r = runCli(["metadata", "--manifest-path", manifest], { env });
    assert.equal(r.code, 0, r.stderr);
    const ours = normalForm(JSON.parse(r.stdout));
    assert.deepEqual(ours.resolve, theirs.resolve);
    assert.deepEqual(
      ours.packages.map((p: { id: string; source: string }) => [p.id, p.source]),
      theirs.packages.map((p: { id: string; source: string }) => [p.id, p.source]),
    );
  });

  test("the Nix-built program prints what cargo run --release prints", () => {
    const expected = cargo(["run", "-q", "--release"], dir, { ...env, CARGO_TARGET_DIR: tempDir("target") });
    assert.equal(expected, "v1 v2 dev\n");
    const init = runCli(["init", "--quiet", dir], { env });
    assert.equal(init.code, 0, init.stderr);
    assert.equal(run(join(nixBuild(dir, "app"), "bin/app"), []), expected);
  });
});
