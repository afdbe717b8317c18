/**
 * `hydraJobs` of a generated flake (the cats sample, workspace layout, stand-in inputs), as Hydra reads
 * it: `hydraJobs.<job>.<system>` for the Linux systems only, each job a derivation with the drvPath of
 * the package or check it is (so Hydra builds exactly what `nix build` and `nix flake check` build), and
 * every package (less `default`, which is `all`) and every check is a job; `nix flake check` accepts it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { HYDRA_SYSTEMS } from "../../src/nix/flake.ts";
import { runCli } from "../support/cli.ts";
import { catsSampleDir, needNix, needRegistry, tempDir } from "../support/env.ts";
import { copyTree, nix } from "./flake.ts";

const skip = needRegistry || needNix;

type DrvPaths = Record<string, Record<string, string>>;

/** `{ <name> = { <system> = { type; drvPath; }; }; }` of a flake attribute, as JSON. */
function evalJson<T>(dir: string, attr: string, apply: string): T {
  const r = nix(dir, ["eval", "--json", `path:${dir}#${attr}`, "--apply", apply]);
  assert.equal(r.code, 0, r.stderr.slice(-4000));
  return JSON.parse(r.stdout);
}

test("hydraJobs: every package and check of the Linux systems, job first, the same derivations", {
  skip,
  timeout: 20 * 60_000,
}, () => {
  const dir = join(tempDir("hydra"), "cats-ws");
  copyTree(join(catsSampleDir(), "cats-ws"), dir);
  assert.equal(runCli(["init", "--quiet", dir]).code, 0);

  const jobs = evalJson<Record<string, Record<string, { type: string; drvPath: string }>>>(
    dir,
    "hydraJobs",
    "builtins.mapAttrs (_: builtins.mapAttrs (_: d: { inherit (d) type drvPath; }))",
  );
  // packages.<system>.<name> and checks.<system>.<name> as drvPaths, for the same systems.
  const byName = "builtins.mapAttrs (_: builtins.mapAttrs (_: d: d.drvPath))";
  const packages = evalJson<DrvPaths>(dir, "packages", byName);
  const checks = evalJson<DrvPaths>(dir, "checks", byName);

  assert.deepEqual(HYDRA_SYSTEMS, ["aarch64-linux", "x86_64-linux"]);
  const expected: DrvPaths = {};
  for (const system of HYDRA_SYSTEMS) {
    for (const [name, drv] of [...Object.entries(checks[system]), ...Object.entries(packages[system])]) {
      if (name === "default") continue;
      expected[name] ??= {};
      expected[name][system] = drv;
    }
  }
  // The sample has outputs, its members' test and clippy checks and doc.
  for (const name of ["app", "wasm", "all", "doc", "test-app", "test-cats", "clippy-app", "clippy-cats"])
    assert.ok(expected[name], `no ${name} among packages and checks`);
  assert.equal(packages["x86_64-linux"].default, packages["x86_64-linux"].all);

  const actual: DrvPaths = {};
  for (const [name, systems] of Object.entries(jobs)) {
    actual[name] = {};
    for (const [system, job] of Object.entries(systems)) {
      assert.equal(job.type, "derivation", `hydraJobs.${name}.${system}`);
      actual[name][system] = job.drvPath;
    }
  }
  assert.deepEqual(actual, expected);

  // Nix's own check of the flake's outputs, hydraJobs' shape included (nothing built).
  const check = nix(dir, ["flake", "check", "--no-build", `path:${dir}`]);
  assert.equal(check.code, 0, check.stderr.slice(-4000));
});
