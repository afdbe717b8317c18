/**
 * The benchmark's synthetic project generator makes a registry and workspace that Cargo itself accepts:
 * `cargo metadata --offline` resolves every generated package from the local registry (checksums
 * included), with the dependency kinds the benchmark claims to exercise.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { lockSynthetic, writeSynthetic } from "../../bench/synthetic.ts";
import { planSynthetic } from "../../bench/synthetic-plan.ts";
import { needCargo, rustupEnv, tempDir } from "../support/env.ts";

interface MetaDep {
  name: string;
  kind: string | null;
  optional: boolean;
  target: string | null;
  rename: string | null;
}
interface MetaPackage {
  name: string;
  version: string;
  source: string | null;
  dependencies: MetaDep[];
  targets: { kind: string[] }[];
}

test("the plan is deterministic for a seed and differs between seeds", () => {
  const a = planSynthetic({ crates: 200, seed: 7 });
  assert.deepEqual(planSynthetic({ crates: 200, seed: 7 }), a);
  assert.notDeepEqual(planSynthetic({ crates: 200, seed: 8 }), a);
  assert.equal(a.crates.length, 200);
  // Acyclic by construction: every registry edge goes to a lower layer.
  const layer = new Map(a.crates.map((c) => [`${c.name}@${c.version}`, c.layer]));
  for (const c of a.crates)
    for (const d of c.deps) assert.ok(layer.get(`${d.package}@${d.version}`)! < c.layer);
});

test("a 30-crate synthetic project is accepted by cargo metadata --offline", { skip: needCargo }, () => {
  const dir = tempDir("synthetic");
  const made = writeSynthetic({ crates: 30, seed: 3 }, dir);
  const locked = lockSynthetic(made.root, join(dir, "cargo-home"));
  assert.equal(locked, made.packages + 2, "every registry package and both members are in Cargo.lock");

  const lock = readFileSync(join(made.root, "Cargo.lock"), "utf8");
  for (const m of lock.matchAll(/name = "(.*)"\nversion = "(.*)"\nsource = ".*"\nchecksum = "(.*)"/g)) {
    const bytes = readFileSync(join(made.registry, `${m[1]}-${m[2]}.crate`));
    assert.equal(createHash("sha256").update(bytes).digest("hex"), m[3], `checksum of ${m[1]} ${m[2]}`);
  }

  const out = execFileSync("cargo", ["metadata", "--offline", "--format-version", "1"], {
    cwd: made.root,
    env: { ...rustupEnv, CARGO_HOME: join(dir, "cargo-home") },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const packages = (JSON.parse(out) as { packages: MetaPackage[] }).packages;
  assert.equal(packages.length, made.packages + 2);
  const registry = packages.filter((p) => p.source !== null);
  assert.equal(registry.length, made.packages);
  const deps = registry.flatMap((p) => p.dependencies);
  assert.ok(
    deps.some((d) => d.kind === "build"),
    "some build-dependencies",
  );
  assert.ok(
    deps.some((d) => d.optional),
    "some optional dependencies",
  );
  assert.ok(
    deps.some((d) => d.target === "cfg(windows)"),
    "some cfg(windows) dependencies",
  );
  assert.ok(
    registry.some((p) => p.targets.some((t) => t.kind.includes("custom-build"))),
    "some build scripts",
  );
  const names = registry.map((p) => p.name);
  assert.ok(new Set(names).size < names.length, "some crate in two versions");
});
