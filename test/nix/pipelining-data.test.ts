/**
 * `pipelining` in crateflake.toml, without Nix: which libraries each mode marks, on the cats sample
 * (both outputs and the checks), and that it changes nothing else: with pipelining off the data is the
 * bytes it was, and with it on only `pipelined` marks and the version differ.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { type Config, parseConfig, renderConfig } from "../../src/generate/config.ts";
import { generateFiles } from "../../src/generate/generate.ts";
import type { NixData } from "../../src/nix/data.ts";
import { dataFile } from "../../src/nix/flake.ts";
import { requiresUpstreamObjects } from "../../src/nix/pipelining.ts";
import { UserError } from "../../src/errors.ts";
import { catsSampleDir, needCargo, needRegistry, tempDir } from "../support/env.ts";
import { copyDir } from "./support.ts";

const CONFIG = `
[[output]]
name = "app"
manifest = "Cargo.toml"
package = "app"
target = "native"

[[output]]
name = "wasm"
manifest = "Cargo.toml"
package = "wasm"
target = "wasm32-unknown-unknown"
`;

describe("pipelining's data on the cats sample", { skip: needCargo || needRegistry }, () => {
  const data: Record<string, string> = {};
  before(async () => {
    const root = join(tempDir("pipelining-data"), "cats-ws");
    copyDir(join(catsSampleDir(), "cats-ws"), root);
    for (const [mode, line] of [
      ["none", ""],
      ["off", 'pipelining = "off"'],
      ["heavy", 'pipelining = "heavy"'],
      ["all", 'pipelining = "all"'],
    ]) {
      const config = parseConfig(`${line}\n${CONFIG}`, "crateflake.toml");
      const { files } = await generateFiles(root, config, { quiet: true, systems: ["x86_64-linux"] });
      data[mode] = files.get(dataFile("x86_64-linux"))!;
    }
  });
  const parsed = (mode: string) => JSON.parse(data[mode]) as NixData;
  const marked = (mode: string) =>
    Object.keys(parsed(mode).units)
      .filter((k) => parsed(mode).units[k].pipelined)
      .sort();
  const names = (d: NixData, keys: string[]) =>
    [...new Set(keys.map((k) => d.packages[d.units[k].package].name))].sort();

  test("off: the same bytes as without the key, version 4, nothing marked", () => {
    assert.equal(data.off, data.none);
    assert.equal(parsed("off").version, 4);
    assert.ok(!data.off.includes("pipelined"));
  });

  test("on: only the marks and the version differ from off", () => {
    for (const mode of ["heavy", "all"]) {
      const d = parsed(mode);
      assert.equal(d.version, 5, mode);
      for (const unit of Object.values(d.units)) delete unit.pipelined;
      assert.deepEqual({ ...d, version: 4 }, parsed("off"), mode);
    }
  });

  test("all: exactly the rlib-only libraries that another rlib-only unit compiles against", () => {
    const d = parsed("all");
    const expected = new Set<string>();
    for (const unit of Object.values(d.units)) {
      if (requiresUpstreamObjects(unit)) continue;
      for (const dep of unit.deps) if (!requiresUpstreamObjects(d.units[dep.unit])) expected.add(dep.unit);
    }
    assert.deepEqual(marked("all"), [...expected].sort());
    const kinds = new Set(marked("all").flatMap((k) => d.units[k].crateTypes));
    assert.deepEqual([...kinds].sort(), ["lib"]);
    const pipelinedNames = names(d, marked("all"));
    // tokio: under h2, hyper, reqwest; cats: only the app binary and the wasm cdylib link it;
    // serde_derive is a proc-macro (loaded, so built in full).
    assert.ok(pipelinedNames.includes("tokio") && pipelinedNames.includes("syn"));
    assert.ok(!pipelinedNames.includes("cats") && !pipelinedNames.includes("serde_derive"));
  });

  test("heavy: the big libraries on the long chains, a subset of all", () => {
    const heavy = marked("heavy");
    const all = new Set(marked("all"));
    assert.ok(heavy.length > 0 && heavy.every((k) => all.has(k)));
    assert.ok(heavy.length < all.size / 3, `${heavy.length} of ${all.size}`);
    const heavyNames = names(parsed("heavy"), heavy);
    for (const name of ["tokio", "h2", "hyper", "reqwest"]) assert.ok(heavyNames.includes(name), name);
    for (const name of ["cfg-if", "itoa", "bytes", "syn"]) assert.ok(!heavyNames.includes(name), name);
  });
});

test("crateflake.toml: pipelining is off, heavy or all, and is written back", () => {
  const config: Config = parseConfig(`pipelining = "heavy"\n${CONFIG}`, "crateflake.toml");
  assert.equal(config.pipelining, "heavy");
  assert.equal(parseConfig(renderConfig(config), "crateflake.toml").pipelining, "heavy");
  assert.equal(parseConfig(CONFIG, "crateflake.toml").pipelining, undefined);
  assert.ok(!renderConfig(parseConfig(CONFIG, "crateflake.toml")).includes("pipelining"));
  assert.throws(
    () => parseConfig(`pipelining = "fast"\n${CONFIG}`, "crateflake.toml"),
    (e: unknown) => e instanceof UserError && /`pipelining` must be "off", "heavy" or "all"/.test(e.message),
  );
});
