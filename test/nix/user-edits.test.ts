/**
 * flake.nix and default.nix are the user's: what the user writes there (a crate override) survives every
 * `crateflake generate`, takes effect in the build (the same output as Cargo's build with that variable
 * set), and `crateflake check` does not call the edited files stale. A flake.nix and default.nix written
 * by an older crateflake (test/fixtures/nix/old-generated, made by it for the fixture) are migrated with
 * the user's crateOverridesFor carried over, or, edited elsewhere, left as they are with a note.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { FLAKE_OUTPUTS } from "../../src/nix/flake.ts";
import { copyTree, nixBuild } from "../e2e/flake.ts";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, nixEnv, rustupEnv, tempDir } from "../support/env.ts";
import { standIn } from "./support.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
const fixture = join(fixturesDir, "nix/user-edits");
const oldGenerated = join(fixturesDir, "nix/old-generated");
const GREETING = "hello from the user's override";
const override = `{ greet = { env.GREETING = ${JSON.stringify(GREETING)}; }; }`;

function copy(prefix: string): string {
  const dir = join(tempDir(prefix), "greet");
  copyTree(fixture, dir);
  return dir;
}
function cli(args: string[]) {
  const r = runCli(args);
  assert.equal(r.code, 0, r.stderr);
  return r;
}
const read = (path: string) => readFileSync(path, "utf8");
/** Replace `from` (which must occur once) in a file. */
function edit(path: string, from: string, to: string): void {
  const text = read(path);
  assert.equal(text.split(from).length, 2, `${path} holds ${from} once`);
  writeFileSync(path, text.replace(from, to));
}
/** A change that makes generate rewrite the generated half of flake.nix. */
function addClippyArgs(dir: string): void {
  writeFileSync(
    join(dir, "crateflake.toml"),
    `${read(join(dir, "crateflake.toml"))}\n[checks]\nclippy-args = ["-D", "warnings"]\n`,
  );
}
/** What the program prints, built by the flake. */
const flakeRun = (dir: string) =>
  execFileSync(join(nixBuild(dir, `packages.${system}.greet`), "bin/greet"), { encoding: "utf8" });

describe("the user's flake.nix and default.nix", { skip: needNix || needCargo }, () => {
  let cargoSays: string;
  before(() => {
    // The oracle: cargo build --release with the variable the override sets.
    const dir = copy("user-edits-cargo");
    const env = { ...rustupEnv, GREETING, CARGO_TARGET_DIR: join(dir, "target") };
    execFileSync("cargo", ["build", "--release", "--offline", "--manifest-path", join(dir, "Cargo.toml")], {
      env,
      stdio: "pipe",
    });
    cargoSays = execFileSync(join(dir, "target/release/greet"), { encoding: "utf8" });
    assert.equal(cargoSays, `${GREETING}\n`);
  });

  test("an override in flake.nix survives generate, reaches the build, and check passes", () => {
    const dir = copy("user-edits-flake");
    cli(["init", "--quiet", dir]);
    assert.equal(flakeRun(dir), "no greeting\n");
    edit(join(dir, "flake.nix"), "crateOverridesFor = pkgs: { };", `crateOverridesFor = pkgs: ${override};`);
    const edited = read(join(dir, "flake.nix"));
    addClippyArgs(dir);
    assert.match(cli(["generate", dir]).stderr, /\.crateflake\/flake-outputs\.nix/);
    assert.equal(read(join(dir, "flake.nix")), edited);
    assert.match(read(join(dir, FLAKE_OUTPUTS)), /clippyArgs = \[ "-D" "warnings" \];/);
    assert.equal(cli(["check", dir]).stderr, "up to date\n");
    assert.equal(flakeRun(dir), cargoSays);
    // init again keeps it too.
    cli(["init", "--quiet", dir]);
    assert.equal(read(join(dir, "flake.nix")), edited);
  });

  test("an override in default.nix survives generate and reaches nix-build", () => {
    const dir = copy("user-edits-default");
    cli(["init", "--quiet", dir]);
    edit(
      join(dir, "default.nix"),
      "crateOverridesFor = pkgs: { };",
      `crateOverridesFor = pkgs: ${override};`,
    );
    const edited = read(join(dir, "default.nix"));
    addClippyArgs(dir);
    cli(["generate", "--quiet", dir]);
    assert.equal(read(join(dir, "default.nix")), edited);
    assert.equal(cli(["check", dir]).stderr, "up to date\n");
    const expr = `(import ${dir}/default.nix { pkgs = import ${standIn}/nixpkgs { }; }).greet`;
    const r = spawnSync("nix-build", ["--no-out-link", "-E", expr], { env: nixEnv(), encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    assert.equal(execFileSync(join(r.stdout.trim(), "bin/greet"), { encoding: "utf8" }), cargoSays);
  });

  test("an old generated flake.nix: generate carries its crateOverridesFor over, then leaves it alone", () => {
    const dir = copy("user-edits-migrate");
    cli(["init", "--quiet", dir]);
    cpSync(join(oldGenerated, "flake.nix"), join(dir, "flake.nix"));
    cpSync(join(oldGenerated, "default.nix"), join(dir, "default.nix"));
    edit(join(dir, "flake.nix"), "crateOverridesFor = pkgs: { };", `crateOverridesFor = pkgs: ${override};`);
    // Unmigrated, the old files are what generate would change.
    const stale = runCli(["check", dir]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /default\.nix, flake\.nix\); run `crateflake generate`/);

    const gen = cli(["generate", dir]);
    assert.equal(gen.stderr, "wrote default.nix, flake.nix\n");
    const flake = read(join(dir, "flake.nix"));
    assert.match(flake, /^# Written by `crateflake init`, then yours/);
    assert.ok(flake.includes(`crateOverridesFor = pkgs: ${override};`), flake);
    assert.ok(flake.includes("toolchainsFor = pkgs: { };"), flake);
    assert.match(read(join(dir, "default.nix")), /^# Written by `crateflake init`, then yours/);
    assert.equal(cli(["check", dir]).stderr, "up to date\n");
    assert.equal(cli(["generate", dir]).stderr, "up to date\n");
    assert.equal(flakeRun(dir), cargoSays);
  });

  test("an old generated flake.nix edited elsewhere is left as it is, with a note; it still builds", () => {
    const dir = copy("user-edits-old-edited");
    cli(["init", "--quiet", dir]);
    cpSync(join(oldGenerated, "flake.nix"), join(dir, "flake.nix"));
    edit(join(dir, "flake.nix"), "crateOverridesFor = pkgs: { };", `crateOverridesFor = pkgs: ${override};`);
    edit(join(dir, "flake.nix"), "    let\n      systems", "    let\n      # my note\n      systems");
    const old = read(join(dir, "flake.nix"));
    const gen = cli(["generate", "--quiet", dir]);
    const note = gen.stderr.trim().split("\n");
    assert.equal(note.length, 1, gen.stderr);
    assert.match(note[0], /^note: .*flake\.nix: written by an older crateflake and edited, so left as it is/);
    assert.equal(read(join(dir, "flake.nix")), old);
    const check = cli(["check", dir]);
    assert.match(check.stderr, /up to date\n$/);
    assert.equal(flakeRun(dir), cargoSays);
  });
});
