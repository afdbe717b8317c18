/**
 * Every crate of the offline registry (~220 real crates: normalised manifests, declared and inferred
 * targets, cfg tables, renames, optional deps) in one package, compared with `cargo metadata`, with all
 * features and with default features. Crates the registry cannot resolve (a dependency missing from it)
 * are left out, as Cargo names them.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { needCargo, needRegistry, registryDir, rustupEnv, tempDir } from "../support/env.ts";
import { cargoMetadata, normalForm, ourMetadata, writeConfig } from "./support.ts";

test("all registry crates: same as cargo metadata", { skip: needRegistry || needCargo }, async () => {
  const dir = tempDir("all");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/lib.rs"), "");
  writeConfig(dir, registryDir);
  const crates = new Map<string, string>();
  for (const f of readdirSync(registryDir)
    .filter((f) => f.endsWith(".crate"))
    .sort()) {
    const m = /^(.+?)-(\d+\.\d+\.\d+.*)\.crate$/.exec(f);
    if (m) crates.set(m[1], m[2]);
  }
  const write = () =>
    writeFileSync(
      join(dir, "Cargo.toml"),
      `[package]\nname = "all"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${[...crates]
        .map(([n, v]) => `${n} = "=${v}"`)
        .join("\n")}\n`,
    );
  for (let attempt = 0; ; attempt++) {
    write();
    try {
      execFileSync("cargo", ["generate-lockfile", "--offline", "-q"], {
        cwd: dir,
        env: rustupEnv,
        stdio: "pipe",
      });
      break;
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? "");
      const bad = /required by package `([^ `]+) v/.exec(stderr)?.[1];
      assert.ok(bad && crates.has(bad) && attempt < 20, `cannot resolve the registry: ${stderr}`);
      crates.delete(bad);
    }
  }
  assert.ok(crates.size > 150, `only ${crates.size} crates resolve`);
  const manifest = join(dir, "Cargo.toml");
  const all = normalForm(cargoMetadata(manifest, rustupEnv));
  assert.deepEqual(normalForm(await ourMetadata(manifest, rustupEnv)), all);
  const defaults = normalForm(cargoMetadata(manifest, rustupEnv, true, false));
  assert.deepEqual(normalForm(await ourMetadata(manifest, rustupEnv, {})), defaults);
});
