/**
 * The seed's cats sample through the generated flake: `app` (native, 71 crates, openssl-sys through the
 * default override) and `wasm` (wasm32-unknown-unknown with Debian's rustc behind the rust-overlay
 * stand-in), both from Cargo's own unit graphs of one workspace. The app must fetch from a local server,
 * the `.wasm` must compile in Node and export `cat_url`.
 */
import assert from "node:assert/strict";
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { CAT_LINE, runWithCatServer, wasmExports } from "../support/cats.ts";
import { cargoUnitGraph, catsSampleDir, needCargo, needNix, needRegistry, tempDir } from "../support/env.ts";
import { copyDir, nixBuild, run, writeFlake } from "./support.ts";

const skip = needNix || needCargo || needRegistry;

test("cats: app and wasm built per crate by the generated flake", {
  skip,
  timeout: 30 * 60_000,
}, async (t) => {
  const root = join(tempDir("nix-cats"), "cats-ws");
  copyDir(join(catsSampleDir(), "cats-ws"), root);
  const manifest = join(root, "Cargo.toml");
  const app = cargoUnitGraph(manifest, ["-p", "app"]) as UnitGraph;
  const wasm = cargoUnitGraph(manifest, ["-p", "wasm", "--target", "wasm32-unknown-unknown"]) as UnitGraph;
  const project = await loadProject(manifest);
  const text = writeFlake(
    root,
    [
      { name: "app", toolchain: "default", graph: app, project },
      { name: "wasm", toolchain: "wasm32-unknown-unknown", graph: wasm, project },
    ],
    ["Cargo.toml", "Cargo.lock", "cats/Cargo.toml", "app/Cargo.toml", "wasm/Cargo.toml"].map((f) =>
      join(root, f),
    ),
  );
  const data = JSON.parse(text);
  // One derivation per unit of each graph (none are shared: the outputs use different compilers).
  assert.equal(Object.keys(data.units).length, app.units.length + wasm.units.length);

  await t.test("app prints the cat served on 127.0.0.1", async () => {
    const out = nixBuild(root, "app");
    const r = await runWithCatServer(join(out, "bin/app"));
    assert.equal(r.stdout, CAT_LINE, r.stderr);
    // The binary needs nothing from the store but itself (system libraries come from the host here).
    assert.equal(
      run("nix-store", ["-qR", realpathSync(join(out, "bin/app"))])
        .trim()
        .split("\n").length,
      1,
    );
  });

  await t.test("wasm compiles in Node and exports cat_url", () => {
    const out = nixBuild(root, "wasm");
    const exports = wasmExports(readFileSync(join(out, "lib/wasm.wasm")));
    assert.ok(exports.includes("cat_url"), exports.join(" "));
  });

  await t.test("all joins both outputs", () => {
    const out = nixBuild(root, "all");
    assert.ok(realpathSync(join(out, "bin/app")).endsWith("/bin/app"));
    assert.ok(realpathSync(join(out, "lib/wasm.wasm")).endsWith("/lib/wasm.wasm"));
  });
});
