/**
 * An output's `features` and `default-features` under resolver 1 (edition 2018, no `resolver` key), where
 * Cargo gives the command line's features to the package of the current manifest only. Fixture
 * test/fixtures/plan/output-features-v1: `printer` (root, `f` turns on `defaulted/f`) and `defaulted`
 * (`default = ["f"]`), each a binary printing its `cfg!(feature = "f")`. Each output is built with Nix
 * and must print what `cargo run --release` prints from the package's own directory with those flags,
 * and its generated plan must be Cargo's unit graph for that command.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import { parseConfig } from "../../src/generate/config.ts";
import { memoPlanner } from "../../src/generate/planner.ts";
import { planOutput } from "../../src/generate/system-data.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import { nixBuild } from "../e2e/flake.ts";
import { run } from "../nix/support.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { cargoUnitGraphAsync, fixtureCopy } from "../resolve/oracle.ts";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, needRegistry, rustupEnv, tempDir } from "../support/env.ts";

const fixture = join(fixturesDir, "plan/output-features-v1");

/** Each output with the directory and flags of the Cargo command it stands for. */
const outputs = [
  { name: "printer", dir: ".", flags: [], toml: 'package = "printer"' },
  { name: "printer-f", dir: ".", flags: ["--features", "f"], toml: 'package = "printer"\nfeatures = ["f"]' },
  {
    name: "defaulted-nodef",
    dir: "defaulted",
    flags: ["--no-default-features"],
    toml: 'package = "defaulted"\ndefault-features = false',
  },
];

const config = outputs
  .map((o) => `[[output]]\nname = "${o.name}"\nmanifest = "Cargo.toml"\n${o.toml}\n`)
  .join("\n");

describe("resolver 1: an output's features and default-features", {
  skip: needNix || needCargo || needRegistry,
}, () => {
  let dir: string;
  before(() => {
    dir = fixtureCopy(fixture);
    const init = runCli(["init", "--quiet", dir]);
    assert.equal(init.code, 0, init.stderr);
    writeFileSync(
      join(dir, "crateflake.toml"),
      `${config}\n[checks]\ntests = false\nclippy = false\ndoc = false\n`,
    );
    const gen = runCli(["generate", "--quiet", dir]);
    assert.equal(gen.code, 0, gen.stderr);
  });

  test("each output's plan is Cargo's unit graph for its command", async () => {
    const project = await loadProject(join(dir, "Cargo.toml"), { quiet: true });
    const host = hostTripleOf(process.platform, process.arch);
    const specs = parseConfig(readFileSync(join(dir, "crateflake.toml"), "utf8"), "crateflake.toml").outputs;
    for (const o of outputs) {
      const spec = specs.find((s) => s.name === o.name)!;
      const ours = planOutput(project, spec, host, platformMatcher(), memoPlanner());
      const manifest = join(dir, o.dir, "Cargo.toml");
      const cargo = await cargoUnitGraphAsync(manifest, [...o.flags, "--release", "--target", host], false);
      assert.deepEqual(diffUnitGraphs(ours, cargo), [], o.name);
    }
  });

  test("each Nix-built binary prints what cargo run --release prints", () => {
    const target = tempDir("output-features-target");
    for (const o of outputs) {
      const expected = run(
        "cargo",
        ["run", "-q", "--release", ...o.flags],
        { ...rustupEnv, CARGO_TARGET_DIR: target },
        join(dir, o.dir),
      );
      const bin = o.name.startsWith("printer") ? "printer" : "defaulted";
      assert.equal(run(join(nixBuild(dir, o.name), "bin", bin), []), expected, o.name);
    }
    // The flags matter: Cargo's answers differ from the defaults'.
    assert.match(run(join(nixBuild(dir, "printer-f"), "bin/printer"), []), /printer f=true defaulted=true/);
    assert.match(run(join(nixBuild(dir, "defaulted-nodef"), "bin/defaulted"), []), /defaulted f=false/);
  });
});
