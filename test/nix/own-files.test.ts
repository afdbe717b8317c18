/**
 * crateflake's own files are no crate's sources: editing crateflake.toml or flake.nix (files at the flake
 * root, which is also the root package's directory) leaves every derivation as it was, so nothing
 * rebuilds. Nor does `.cargo/config.toml`, Cargo's configuration (it names machine-specific places).
 */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { nix, nixBuild, toBuild } from "../e2e/flake.ts";
import { runCli } from "../support/cli.ts";
import { needNix, tempDir } from "../support/env.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;

/** A binary package at the flake root with a path dependency below it. */
function project(): string {
  const app = join(tempDir("own-files"), "app");
  mkdirSync(join(app, "src"), { recursive: true });
  mkdirSync(join(app, "util/src"), { recursive: true });
  writeFileSync(
    join(app, "Cargo.toml"),
    '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nutil = { path = "util" }\n',
  );
  writeFileSync(join(app, "src/main.rs"), 'fn main() { println!("{}", util::hi()); }\n');
  writeFileSync(
    join(app, "util/Cargo.toml"),
    '[package]\nname = "util"\nversion = "0.1.0"\nedition = "2021"\n',
  );
  writeFileSync(join(app, "util/src/lib.rs"), 'pub fn hi() -> &\'static str { "hi" }\n');
  writeFileSync(
    join(app, "Cargo.lock"),
    'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["util"]\n\n[[package]]\nname = "util"\nversion = "0.1.0"\n',
  );
  return app;
}

test("editing crateflake.toml, flake.nix or .cargo/config.toml rebuilds nothing", { skip: needNix }, () => {
  const app = project();
  const init = runCli(["init", "--quiet", app]);
  assert.equal(init.code, 0, init.stderr);
  const attr = `packages.${system}.app`;
  const drvPath = () => {
    const r = nix(app, ["eval", "--raw", `.#${attr}.drvPath`]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  nixBuild(app, attr);
  const before = drvPath();

  appendFileSync(join(app, "crateflake.toml"), "# a comment\n");
  mkdirSync(join(app, ".cargo"));
  writeFileSync(join(app, ".cargo/config.toml"), "[build]\njobs = 1\n");
  // A new config is an input of the data (it could change the resolution): regenerate.
  const generate = runCli(["generate", "--quiet", app]);
  assert.equal(generate.code, 0, generate.stderr);
  assert.equal(drvPath(), before);
  appendFileSync(join(app, "flake.nix"), "# a comment\n");
  const check = runCli(["check", "--quiet", app]);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(drvPath(), before);
  assert.deepEqual(toBuild(app, attr), []);
});
