/**
 * Pipelined builds through Nix (`pipelining = "all"`, src/nix/pipelining.ts) on the fixture
 * test/fixtures/nix/pipelining, whose library `base` is used both through its metadata (the libraries
 * helper and shapes compile against the `.rmeta` of its metadata derivation) and at link time (the
 * binary, shapes' build script, the proc-macro mac through helper, shapes' unit test and doctest): rustc
 * must accept every rmeta/rlib pair (one SVH). Cargo is the oracle for the program's output; the binary
 * built without pipelining must be the same file.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, nixEnv, repoRoot, rustupEnv, tempDir } from "../support/env.ts";
import { copyDir, nixBuild, run } from "./support.ts";

type Drvs = Record<"units" | "metas" | "outputs" | "checks", Record<string, { drv: string; out: string }>>;

/** Every derivation of the flake at `dir` (test/nix/unit-drvs.nix). */
function derivations(dir: string): Drvs {
  const expr = `import ${join(repoRoot, "test/nix/unit-drvs.nix")} { lib = ${dir}/.crateflake/lib; dir = ${dir}; }`;
  return JSON.parse(run("nix", ["eval", "--impure", "--json", "--expr", expr], nixEnv()));
}

function generate(dir: string, pipelining: string | null): void {
  const file = join(dir, "crateflake.toml");
  const rest = readFileSync(file, "utf8").replace(/^pipelining = .*\n/m, "");
  writeFileSync(file, pipelining ? `pipelining = "${pipelining}"\n${rest}` : rest);
  const r = runCli(["generate", dir]);
  assert.equal(r.code, 0, r.stderr);
}

test("pipelining: libraries compile against metadata, everything that links gets full rlibs", {
  skip: needNix || needCargo,
  timeout: 20 * 60_000,
}, () => {
  const dir = join(tempDir("pipelining"), "pipelining");
  copyDir(join(fixturesDir, "nix/pipelining"), dir);
  const target = tempDir("pipelining-target");
  const cargo = spawnSync(
    "cargo",
    ["run", "-q", "--release", "--offline", "-p", "app", "--target-dir", target],
    {
      cwd: dir,
      env: rustupEnv,
      encoding: "utf8",
    },
  );
  assert.equal(cargo.status, 0, cargo.stderr);
  assert.match(cargo.stdout, /macro answer 42\n/);

  writeFileSync(join(dir, "crateflake.toml"), 'pipelining = "all"\n');
  const init = runCli(["init", "--quiet", dir]);
  assert.equal(init.code, 0, init.stderr);
  const data = JSON.parse(readFileSync(join(dir, ".crateflake/data/x86_64-linux.json"), "utf8"));
  assert.equal(data.version, 5);
  const drvs = derivations(dir);
  const pipelined = Object.keys(drvs.metas).map((k) => data.packages[data.units[k].package].name);
  // base for the target and for the host (under helper, under the proc-macro), helper likewise.
  assert.deepEqual([...new Set(pipelined)].sort(), ["base", "helper"]);

  const app = nixBuild(dir, "app");
  assert.equal(run(join(app, "bin/app"), []), cargo.stdout);
  const check = nixBuild(dir, "checks.x86_64-linux.test-shapes");
  const log = readFileSync(join(check, "test.log"), "utf8");
  assert.match(log, /test tests::reports_the_answer \.\.\. ok/);
  assert.match(log, /shapes\/src\/lib\.rs - report \(line \d+\) \.\.\. ok/);
  // clippy and rustdoc read the checks' view of shapes, whose externs are full libraries.
  nixBuild(dir, "checks.x86_64-linux.clippy-shapes");
  nixBuild(dir, "checks.x86_64-linux.doc");

  // A metadata derivation holds the .rmeta only; shapes compiled against base's, the binary linked the
  // rlib: rustc's recorded arguments (store hashes cut) say which.
  // (those the builds above needed: the other checks' test-profile units were not built)
  const builtMetas = Object.entries(drvs.metas).filter(([, { out }]) => existsSync(out));
  assert.ok(builtMetas.length >= 4, `${builtMetas.length} metadata derivations built`);
  for (const [key, { out }] of builtMetas) {
    const files = readdirSync(join(out, "lib"));
    assert.deepEqual(files, [`lib${data.units[key].crateName}-${data.units[key].metadata}.rmeta`]);
  }
  // The recorded arguments of a built unit of the package for the target (the app's build).
  const argsOf = (pkg: string, kind: string) => {
    const file = Object.keys(data.units)
      .filter((k) => {
        const u = data.units[k];
        return data.packages[u.package].name === pkg && u.kind.includes(kind) && u.target !== null;
      })
      .map((k) => join(drvs.units[k].out, "nix-support/rustc-args"))
      .find((f) => existsSync(f));
    assert.ok(file, `no built ${pkg} ${kind}`);
    return readFileSync(file, "utf8").split("\n");
  };
  const externOf = (args: string[], name: string) =>
    args.find((a, i) => args[i - 1] === "--extern" && a.startsWith(`${name}=`)) ?? "";
  assert.match(
    externOf(argsOf("shapes", "lib"), "base"),
    /^base=<store>\/rust-\d{4}-base-0\.1\.0-metadata\/lib\/libbase-\w+\.rmeta$/,
  );
  assert.match(
    externOf(argsOf("app", "bin"), "base"),
    /^base=<store>\/rust-\d{4}-base-0\.1\.0\/lib\/libbase-\w+\.rlib$/,
  );
  assert.ok(argsOf("base", "lib").includes("--emit=metadata,link"));

  // Without pipelining: the very same binary.
  generate(dir, null);
  const plain = derivations(dir);
  assert.deepEqual(plain.metas, {});
  const plainApp = nixBuild(dir, "app");
  assert.ok(readFileSync(join(plainApp, "bin/app")).equals(readFileSync(join(app, "bin/app"))));
});
