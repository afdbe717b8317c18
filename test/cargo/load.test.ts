import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject, loadProjects } from "../../src/cargo/load.ts";
import { catsSampleDir, needCargo, needRegistry, rustupEnv, tempDir } from "../support/env.ts";
import { cargo, fixtureCopy } from "./support.ts";

const opts = () => ({ env: rustupEnv, cacheDir: tempDir("cache"), quiet: true });

test("separate roots are separate projects sharing the path package's id", {
  skip: needRegistry,
}, async () => {
  const sep = join(catsSampleDir(), "cats-sep");
  const [app, wasm] = await loadProjects([join(sep, "app/Cargo.toml"), join(sep, "wasm")], opts());
  assert.equal(app.root, join(sep, "app"));
  assert.equal(wasm.root, join(sep, "wasm"));
  assert.notEqual(app.lockfile.path, wasm.lockfile.path);
  const catsId = `path+file://${join(sep, "cats")}#0.1.0`;
  assert.ok(app.packages.has(catsId) && wasm.packages.has(catsId));
  assert.deepEqual(app.members, [`path+file://${join(sep, "app")}#0.1.0`]);
  assert.ok(!app.members.includes(catsId), "a path dependency outside the root is not a member");
  assert.ok([...app.packages.keys()].some((id) => id.includes("#tokio@")));
  const wasmId = `path+file://${join(sep, "wasm")}#0.1.0`;
  assert.deepEqual(wasm.members, [wasmId]);
  assert.ok(!app.packages.has(wasmId), "app's project does not contain the other root");
});

test("project model: sources, resolved (registry dev-deps unresolved), profiles, config targets, metadata", {
  skip: needRegistry || needCargo,
}, async () => {
  const dir = fixtureCopy();
  appendFileSync(join(dir, ".cargo/config.toml"), '\n[build]\ntarget = "wasm32-unknown-unknown"\n');
  cargo(["generate-lockfile", "--offline", "-q"], join(dir, "inherit"), rustupEnv);
  const p = await loadProject(join(dir, "inherit/Cargo.toml"), opts());
  assert.equal(p.resolver, "2");
  assert.deepEqual(p.configTargets, ["wasm32-unknown-unknown"]);
  assert.deepEqual({ ...p.crateflake }, { outputs: ["app"] });
  assert.equal(p.profiles.release.lto, "fat");
  assert.equal(p.profiles.release.codegenUnits, 1);
  assert.equal(p.profiles.ci.optLevel, "3");
  assert.equal(p.profiles.ci.debug, "2");
  assert.equal(p.profiles.test.debugAssertions, true);
  const ids = [...p.packages.keys()];
  assert.deepEqual(ids, [...ids].sort(), "packages sorted by id");
  const coreId = ids.find((id) => id.includes("#fx-core@"))!;
  assert.deepEqual(p.sources.get(coreId), { kind: "path", path: join(dir, "inherit/crates/core") });
  const serdeId = ids.find((id) => id.includes("#serde@"))!;
  const serdeSrc = p.sources.get(serdeId)!;
  assert.equal(serdeSrc.kind, "crate");
  // serde's dev-dependency on serde_derive is not resolved (Cargo resolves dev-deps of members only),
  // although serde_derive is in the lock for another reason.
  const serde = p.packages.get(serdeId)!;
  const devIdx = serde.dependencies.findIndex((d) => d.kind === "dev" && d.name === "serde_derive");
  assert.ok(devIdx >= 0);
  assert.equal(p.resolved.get(serdeId)![devIdx], null);
  // Every dependency of a member resolves (Cargo.lock covers all features and platforms of members).
  for (const m of p.members)
    assert.ok(
      p.resolved.get(m)!.every((r) => r !== null),
      m,
    );
});
