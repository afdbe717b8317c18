/**
 * `crateflake metadata` against `cargo metadata` (rustup's cargo) field by field where the meaning is
 * shared: package set and order, targets (kinds, crate types, names, src paths, flags), dependencies,
 * features, workspace members, resolve edges. On the cats sample (both layouts) and the fixtures.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import {
  catsSampleDir,
  fixturesDir,
  needCargo,
  needRegistry,
  registryDir,
  rustupEnv,
  tempDir,
} from "../support/env.ts";
import {
  cargo,
  cargoEnv,
  cargoMetadata,
  fixtureCopy,
  gitRepo,
  miniRegistry,
  normalForm,
  ourMetadata,
  writeConfig,
} from "./support.ts";

const skip = needRegistry || needCargo;

for (const rel of ["cats-ws/Cargo.toml", "cats-sep/app/Cargo.toml", "cats-sep/wasm/Cargo.toml"]) {
  test(`cats sample ${rel}: same as cargo metadata`, { skip }, async () => {
    const manifest = join(catsSampleDir(), rel);
    const theirs = normalForm(cargoMetadata(manifest, rustupEnv));
    const ours = normalForm(await ourMetadata(manifest, rustupEnv));
    assert.ok(theirs.packages.length > 30);
    assert.deepEqual(ours, theirs);
  });
}

test("cats-ws through the CLI: same packages and edges as cargo metadata", { skip }, () => {
  const manifest = join(catsSampleDir(), "cats-ws/Cargo.toml");
  const r = runCli(
    ["metadata", "--manifest-path", manifest, "--format-version", "1", "--all-features", "-q"],
    {
      env: { ...rustupEnv, XDG_CACHE_HOME: tempDir("xdg") },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  const ours = normalForm(JSON.parse(r.stdout));
  assert.deepEqual(ours, normalForm(cargoMetadata(manifest, rustupEnv)));
});

test("fixture inherit: workspace inheritance, globs, exclude, renames, cfg and triple deps, targets", {
  skip,
}, async () => {
  const dir = fixtureCopy();
  const manifest = join(dir, "inherit/Cargo.toml");
  cargo(["generate-lockfile", "--offline", "-q"], join(dir, "inherit"), rustupEnv);
  const theirs = normalForm(cargoMetadata(manifest, rustupEnv));
  const ours = normalForm(await ourMetadata(manifest, rustupEnv));
  assert.deepEqual(ours, theirs);
  // The fixture exercises what it claims to (a guard against a fixture that quietly stops covering it).
  const app = ours.packages.find((p: { name: string }) => p.name === "fx-app");
  assert.ok(app.dependencies.some((d: { rename: string | null }) => d.rename === "serde1"));
  assert.ok(app.dependencies.some((d: { target: string | null }) => d.target === "x86_64-unknown-linux-gnu"));
  assert.equal(ours.workspace_members.length, 4);
});

test("fixture inherit: the same from a member's manifest (root found by walking up)", { skip }, async () => {
  const dir = fixtureCopy();
  cargo(["generate-lockfile", "--offline", "-q"], join(dir, "inherit"), rustupEnv);
  const manifest = join(dir, "inherit/crates/app/Cargo.toml");
  assert.deepEqual(
    normalForm(await ourMetadata(manifest, rustupEnv)),
    normalForm(cargoMetadata(manifest, rustupEnv)),
  );
});

test("fixture twover: two versions of one crate, a renamed one, git with a path dep inside", {
  skip,
}, async () => {
  const dir = fixtureCopy();
  const registry = miniRegistry(dir);
  writeConfig(dir, registry);
  const url = gitRepo(dir, "release/v1");
  const manifestPath = join(dir, "twover/Cargo.toml");
  writeFileSync(manifestPath, readFileSync(manifestPath, "utf8").replaceAll("@GIT_URL@", url));
  // Git needs a fetch (of a file:// URL); keep Cargo's git database out of the real CARGO_HOME.
  const env = cargoEnv(tempDir("cargo-home"));
  cargo(["generate-lockfile", "-q"], join(dir, "twover"), env);
  assert.match(readFileSync(join(dir, "twover/Cargo.lock"), "utf8"), /\?branch=release%2Fv1#/);
  const theirs = normalForm(cargoMetadata(manifestPath, env, false));
  const ours = normalForm(await ourMetadata(manifestPath, env));
  assert.deepEqual(ours, theirs);
  const node = ours.resolve.nodes.find((n: { id: string }) => n.id.includes("twover"));
  assert.deepEqual(
    node.deps.map((d: { name: string }) => d.name),
    ["dup1", "dup", "gitlib", "user"],
  );
});

test("fixture patched: [patch.crates-io] with a path replaces a registry crate everywhere", {
  skip,
}, async () => {
  const dir = fixtureCopy();
  writeConfig(dir, miniRegistry(dir));
  const manifest = join(dir, "patched/Cargo.toml");
  cargo(["generate-lockfile", "--offline", "-q"], join(dir, "patched"), rustupEnv);
  const theirs = normalForm(cargoMetadata(manifest, rustupEnv));
  const ours = normalForm(await ourMetadata(manifest, rustupEnv));
  assert.deepEqual(ours, theirs);
  const user = ours.resolve.nodes.find((n: { id: string }) => n.id.includes("#user@"));
  assert.match(user.dependencies[0], /^path\+file:.*dup-local#dup@1\.0\.1$/);
});

test("default features (no --all-features): optional edges and packages Cargo leaves out, node features", {
  skip,
}, async () => {
  const dir = fixtureCopy();
  cargo(["generate-lockfile", "--offline", "-q"], join(dir, "inherit"), rustupEnv);
  const manifest = join(dir, "inherit/Cargo.toml");
  const theirs = normalForm(cargoMetadata(manifest, rustupEnv, true, false));
  const ours = normalForm(await ourMetadata(manifest, rustupEnv, {}));
  assert.deepEqual(ours, theirs);
  // fx-core's optional `log` is off by default, on with all features.
  const core = (m: typeof ours) => m.resolve.nodes.find((n: { id: string }) => n.id.includes("#fx-core@"));
  assert.ok(!core(ours).deps.some((d: { name: string }) => d.name === "log"));
  const all = normalForm(await ourMetadata(manifest, rustupEnv));
  assert.ok(core(all).deps.some((d: { name: string }) => d.name === "log"));
  assert.deepEqual(core(all).features, ["default", "derive", "log", "logging", "std"]);
});

test("weak features: resolve lists what `dep?/feat` pulls in, as cargo metadata does", { skip }, () => {
  // test/fixtures/plan/weak-features: `std = ["serde?/std", "log?/std"]` on by default. Cargo's dependency
  // resolver ignores the `?`: serde and log are nodes with `std`, but `weak` gets no feature `serde`.
  const dir = tempDir("weak-meta");
  cpSync(join(fixturesDir, "plan/weak-features"), dir, { recursive: true });
  writeConfig(dir, registryDir);
  const manifest = join(dir, "Cargo.toml");
  for (const flags of [[], ["--no-default-features"], ["--all-features"]]) {
    const theirs = JSON.parse(
      cargo(["metadata", "--format-version", "1", "--offline", ...flags], dir, rustupEnv),
    );
    const r = runCli(["metadata", "--manifest-path", manifest, ...flags]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(normalForm(JSON.parse(r.stdout)).resolve, normalForm(theirs).resolve, flags.join(" "));
    if (flags.length === 0) {
      const weak = theirs.resolve.nodes.find((n: { id: string }) => n.id.includes("#weak@"));
      assert.deepEqual(weak.features, ["default", "std"]);
      assert.deepEqual(
        weak.deps.map((d: { name: string }) => d.name),
        ["log", "serde"],
      );
    }
  }
});
