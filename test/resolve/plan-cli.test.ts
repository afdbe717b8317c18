/** `crateflake plan` as a user runs it: flags reach the planner, output is Cargo's schema, errors are one line. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { fixturesDir, needCargo, needRegistry } from "../support/env.ts";
import { diffUnitGraphs } from "./compare.ts";
import { cargoUnitGraphAsync, fixtureCopy } from "./oracle.ts";

const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const skip = needRegistry || needCargo;

function plan(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, "plan", ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("plan's flags mean what they mean to cargo", { skip }, async () => {
  const dir = fixtureCopy(join(fixturesDir, "plan", "feature-flags"));
  const manifest = join(dir, "Cargo.toml");
  const runs: { args: string[]; tests: boolean }[] = [
    { args: ["-p", "one", "--no-default-features", "--target", "wasm32-unknown-unknown"], tests: false },
    { args: ["-p", "two", "--features", "one/x y", "--all-features"], tests: true },
    { args: ["--workspace"], tests: false },
  ];
  const cargo = runs.map((r) => cargoUnitGraphAsync(manifest, r.args, r.tests));
  for (const [i, r] of runs.entries()) {
    const out = plan(["--manifest-path", manifest, ...r.args, ...(r.tests ? ["--tests"] : [])]);
    assert.equal(out.code, 0, out.stderr);
    const ours = JSON.parse(out.stdout) as UnitGraph;
    assert.equal(ours.version, 1);
    const diff = diffUnitGraphs(ours, await (cargo[i] as Promise<UnitGraph>));
    assert.deepEqual(diff, [], `${r.args.join(" ")}\n${diff.join("\n")}`);
  }
});

test("resolver 1: plan's feature flags go to the current package, as cargo's do", { skip }, async () => {
  // test/fixtures/plan/output-features-v1: edition 2018 root `printer`, member `defaulted` (default = ["f"]).
  const dir = fixtureCopy(join(fixturesDir, "plan", "output-features-v1"));
  const root = join(dir, "Cargo.toml");
  const member = join(dir, "defaulted/Cargo.toml");
  const runs: { manifest: string; args: string[] }[] = [
    { manifest: root, args: ["-F", "f"] },
    { manifest: root, args: ["--no-default-features"] },
    { manifest: root, args: ["-p", "defaulted", "--no-default-features"] },
    { manifest: root, args: ["-p", "defaulted", "--features", "defaulted/f", "--no-default-features"] },
    { manifest: member, args: ["--no-default-features"] },
    { manifest: member, args: ["-p", "defaulted", "--no-default-features"] },
  ];
  const cargo = runs.map((r) => cargoUnitGraphAsync(r.manifest, r.args, false));
  for (const [i, r] of runs.entries()) {
    const out = plan(["--manifest-path", r.manifest, ...r.args]);
    assert.equal(out.code, 0, out.stderr);
    const diff = diffUnitGraphs(JSON.parse(out.stdout) as UnitGraph, await (cargo[i] as Promise<UnitGraph>));
    assert.deepEqual(diff, [], `${r.manifest} ${r.args.join(" ")}\n${diff.join("\n")}`);
  }
});

test("plan's errors are one line and exit 1; bad usage exits 2", { skip }, () => {
  const dir = fixtureCopy(join(fixturesDir, "plan", "feature-flags"));
  const manifest = join(dir, "Cargo.toml");
  const bad = plan(["--manifest-path", manifest, "-p", "nosuch"]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, "error: package ID specification `nosuch` did not match any packages\n");
  assert.equal(bad.stdout, "");
  const feature = plan(["--manifest-path", manifest, "-p", "one", "--features", "nope"]);
  assert.equal(feature.code, 1);
  assert.equal(feature.stderr, "error: the package 'one' does not contain this feature: nope\n");
  assert.equal(plan(["--manifest-path", manifest, "--no-such-flag"]).code, 2);
});

test("without --target, plan builds for `[build] target` of .cargo/config.toml, as cargo does", {
  skip,
}, async () => {
  const dir = fixtureCopy(join(fixturesDir, "plan", "platform-deps"));
  appendFileSync(join(dir, ".cargo/config.toml"), '\n[build]\ntarget = "wasm32-unknown-unknown"\n');
  const manifest = join(dir, "Cargo.toml");
  const cargo = cargoUnitGraphAsync(manifest, [], false);
  const out = plan(["--manifest-path", manifest]);
  assert.equal(out.code, 0, out.stderr);
  const ours = JSON.parse(out.stdout) as UnitGraph;
  assert.ok(ours.units.some((u) => u.platform === "wasm32-unknown-unknown"));
  assert.deepEqual(diffUnitGraphs(ours, await cargo), []);
});
