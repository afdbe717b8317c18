/**
 * Moving a local registry or a vendored directory (another checkout, another machine) keeps every unit's
 * derivation: a registry crate is known by its checksum, a copied tree by its NAR hash, and where they are
 * read from only reaches the fixed-output fetches. The same project generated against the sources at two
 * paths gives the same `.drv` for every unit, data files that differ only in the archives' URLs (and the
 * recorded hash of the `.cargo/config.toml` naming the place), and a build after the move builds nothing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { NixData } from "../../src/nix/data.ts";
import { dataFile } from "../../src/nix/flake.ts";
import {
  cli,
  nixBuildOut,
  nixOn,
  nonce,
  type TinyCrate,
  writeLocalRegistry,
  writeRegistryProject,
  writeVendorDir,
} from "../hardening/support.ts";
import { needNix, nixEnv, tempDir } from "../support/env.ts";
import { standIn, wouldBuild } from "./support.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;

function tiny(tag: string): TinyCrate {
  return { name: `moved${tag}`, version: "0.1.0", lib: `pub fn nonce() -> &'static str { "${nonce()}" }\n` };
}

/** Every unit's derivation path, through default.nix (the flake exposes only the outputs). */
function unitDrvPaths(app: string): Record<string, string> {
  const expr = `builtins.mapAttrs (_: u: u.drvPath)
    (import ${app}/default.nix { pkgs = import ${standIn}/nixpkgs { }; system = "${system}"; }).units`;
  const r = spawnSync("nix", ["eval", "--impure", "--json", "--expr", expr], {
    env: nixEnv(),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function readData(app: string): NixData {
  return JSON.parse(readFileSync(join(app, dataFile(system)), "utf8"));
}

/** The data without where archives are fetched from, nor the hash of the config naming the place. */
function placeless(data: NixData): NixData {
  const packages = Object.fromEntries(
    Object.entries(data.packages).map(([k, p]) => [
      k,
      p.source.kind === "crate"
        ? { ...p, source: { ...p.source, url: "", file: "" } }
        : p.source.kind === "path" && p.source.narHash
          ? { ...p, source: { ...p.source, path: "" } }
          : p,
    ]),
  );
  const { ".cargo/config.toml": _, ...inputs } = data.inputs;
  return { ...data, inputs, packages };
}

/** Generate `app` with its sources at `a`, build, move them to `b` (`replacement` names the place), generate again. */
function moveAndCompare(
  root: string,
  crates: TinyCrate[],
  sums: Map<string, string>,
  source: (dir: string) => string,
) {
  const app = join(root, "app");
  const main = `fn main() { ${crates.map((c) => `println!("{}", ${c.name}::nonce());`).join(" ")} }\n`;
  writeRegistryProject(app, crates, sums, source(join(root, "a")), main);
  const init = cli(["init", "--quiet", app]);
  assert.equal(init.code, 0, init.stderr);
  const before = unitDrvPaths(app);
  const dataBefore = readData(app);
  nixBuildOut(app, `packages.${system}.app`);

  renameSync(join(root, "a"), join(root, "b"));
  writeRegistryProject(app, crates, sums, source(join(root, "b")), main);
  const gen = cli(["generate", "--quiet", app]);
  assert.equal(gen.code, 0, gen.stderr);
  const after = unitDrvPaths(app);
  const dataAfter = readData(app);

  assert.ok(Object.keys(before).length >= 1 + crates.length, Object.keys(before).join(" "));
  assert.deepEqual(after, before);
  assert.notDeepEqual(dataAfter, dataBefore);
  assert.deepEqual(placeless(dataAfter), placeless(dataBefore));
  assert.deepEqual(wouldBuild(app, `packages.${system}.app`), []);
  const run = nixOn(app, ["run"], `apps.${system}.app`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, crates.map((c) => `${/"(.*)"/.exec(c.lib)![1]}\n`).join(""));
}

describe("sources moved to another path", { skip: needNix }, () => {
  test("a local registry: the same derivation for every unit, nothing to build", () => {
    const root = tempDir("moved-registry");
    mkdirSync(join(root, "a"));
    const crates = [tiny("one"), tiny("two")];
    const sums = writeLocalRegistry(join(root, "a"), crates);
    moveAndCompare(root, crates, sums, (dir) => `local-registry = "${dir}"`);
  });

  test("a vendored directory: the same derivation for every unit, nothing to build", () => {
    const root = tempDir("moved-vendor");
    mkdirSync(join(root, "a"));
    const crates = [tiny("three")];
    const sums = writeVendorDir(join(root, "a"), crates);
    moveAndCompare(root, crates, sums, (dir) => `directory = "${dir}"`);
  });
});
