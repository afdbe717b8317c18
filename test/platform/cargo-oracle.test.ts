/**
 * Cargo as the oracle for target-dependency matching: one package with a path dependency under each of
 * many generated `[target.'cfg(...)'.dependencies]` sections; `cargo metadata --filter-platform T` says
 * which of them Cargo activates for each built-in triple, and matchesPlatform must agree on every one.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { type CfgExpr, formatCfgExpr } from "../../src/platform/cfg.ts";
import { knownTriples, matchesPlatform, platformFor } from "../../src/platform/platform.ts";
import { needCargo, rustupEnv, tempDir } from "../support/env.ts";

/** Every cfg value some built-in target has, plus some none has, plus the ones Cargo never sets. */
function atoms(): CfgExpr[] {
  const seen = new Map<string, CfgExpr>();
  for (const t of knownTriples()) {
    for (const c of platformFor(t).cfg) seen.set(JSON.stringify(c), { kind: "cfg", cfg: c });
  }
  for (const c of [
    { name: "test" },
    { name: "proc_macro" },
    { name: "feature", value: "std" },
    { name: "target_os", value: "none" },
    { name: "target_feature", value: "crt-static" },
    { name: "miri" },
    { name: "true" },
  ]) {
    seen.set(JSON.stringify(c), { kind: "cfg", cfg: c });
  }
  return [...seen.values(), { kind: "bool", value: false }];
}

const exprArb = (leaves: CfgExpr[]) =>
  fc.letrec<{ e: CfgExpr }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...leaves),
      fc.array(tie("e"), { maxLength: 3 }).map((of): CfgExpr => ({ kind: "all", of })),
      fc.array(tie("e"), { maxLength: 3 }).map((of): CfgExpr => ({ kind: "any", of })),
      tie("e").map((of): CfgExpr => ({ kind: "not", of })),
    ),
  })).e;

test("matchesPlatform agrees with cargo metadata --filter-platform", { skip: needCargo }, () => {
  const leaves = atoms();
  const generated = fc.sample(exprArb(leaves), { seed: 20261125, numRuns: 150 }).map(formatCfgExpr);
  // Plus each leaf alone, so every single cfg value of every target is checked directly.
  const specs = [...new Set([...leaves.map(formatCfgExpr), ...generated])].map((e) => `cfg(${e})`);
  specs.push(...knownTriples().slice(0, 3));
  const dir = tempDir("cargo-cfg");
  let manifest = '[package]\nname = "root"\nversion = "0.1.0"\nedition = "2021"\n';
  specs.forEach((spec, i) => {
    const dep = join(dir, `d${i}`);
    mkdirSync(join(dep, "src"), { recursive: true });
    writeFileSync(join(dep, "Cargo.toml"), `[package]\nname = "d${i}"\nversion = "0.1.0"\n`);
    writeFileSync(join(dep, "src/lib.rs"), "");
    manifest += `\n[target.'${spec}'.dependencies]\nd${i} = { path = "d${i}" }\n`;
  });
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/lib.rs"), "");
  writeFileSync(join(dir, "Cargo.toml"), manifest);
  let checked = 0;
  for (const triple of knownTriples()) {
    const out = execFileSync(
      "cargo",
      ["+stable", "metadata", "--format-version", "1", "--offline", "--filter-platform", triple],
      {
        cwd: dir,
        env: { ...rustupEnv, RUSTFLAGS: "" },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 << 20,
      },
    );
    const meta = JSON.parse(out) as {
      resolve: { root: string; nodes: { id: string; deps: { name: string }[] }[] };
    };
    const root = meta.resolve.nodes.find((n) => n.id === meta.resolve.root);
    assert.ok(root);
    const cargoActive = new Set(root.deps.map((d) => d.name));
    const p = platformFor(triple);
    specs.forEach((spec, i) => {
      assert.equal(matchesPlatform(spec, p), cargoActive.has(`d${i}`), `${triple}: ${spec}`);
      checked++;
    });
  }
  assert.ok(checked > 1000, `only ${checked} checks`);
});
