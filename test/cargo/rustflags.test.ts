/**
 * Cargo's rustflags rules (src/cargo/rustflags.ts, src/cargo/config.ts), as Cargo's documentation and
 * code state them: one source wins (CARGO_ENCODED_RUSTFLAGS > RUSTFLAGS > matching `[target]` entries,
 * joined > `[build]`), config lists join over files with the nearer file's items last, and cfg keys are
 * matched in two rounds. test/nix/rustflags.test.ts checks the built result against cargo itself.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeConfigs } from "../../src/cargo/config.ts";
import { envRustflags, type RustflagsConfig, targetRustflags } from "../../src/cargo/rustflags.ts";
import { UserError } from "../../src/errors.ts";
import { rustflagsOf } from "../../src/resolve/rustflags.ts";

const linux = "x86_64-unknown-linux-gnu";
const flagsOf = (config: Partial<RustflagsConfig>, triple = linux) =>
  rustflagsOf({ env: null, build: null, target: {}, ...config }, triple).flags;

test("the environment: CARGO_ENCODED_RUSTFLAGS wins over RUSTFLAGS; either, even empty, wins over config", () => {
  assert.deepEqual(envRustflags({ RUSTFLAGS: " -C  opt-level=2 --cfg a " }), [
    "-C",
    "opt-level=2",
    "--cfg",
    "a",
  ]);
  assert.deepEqual(envRustflags({ RUSTFLAGS: "--cfg a", CARGO_ENCODED_RUSTFLAGS: "--cfg\x1fb c" }), [
    "--cfg",
    "b c",
  ]);
  assert.deepEqual(envRustflags({ CARGO_ENCODED_RUSTFLAGS: "" }), []);
  assert.equal(envRustflags({}), null);
  assert.deepEqual(flagsOf({ env: [], build: ["--cfg", "b"] }), []);
});

test("target entries win over build.rustflags and join: the triple's first, then cfg keys in order", () => {
  const build = ["--cfg", "from_build"];
  assert.deepEqual(flagsOf({ build }), build);
  assert.deepEqual(flagsOf({ build, target: { "cfg(windows)": ["--cfg", "w"] } }), build);
  const target = {
    "cfg(unix)": ["--cfg", "u"],
    [linux]: ["--cfg", "t"],
    'cfg(target_os = "linux")': ["--cfg", "l"],
  };
  assert.deepEqual(flagsOf({ build, target }), ["--cfg", "t", "--cfg", "l", "--cfg", "u"]);
  // Another triple: only the cfg keys that match it.
  assert.deepEqual(flagsOf({ build, target }, "x86_64-apple-darwin"), ["--cfg", "u"]);
});

test("cfg keys see the flags of the first round only, as Cargo's two rounds", () => {
  const matches = (key: string, extra: readonly { name: string }[]) =>
    extra.some((c) => key === `cfg(${c.name})`);
  const config = {
    env: null,
    build: ["--cfg", "b"],
    target: { "cfg(b)": ["--cfg", "from_b"], "cfg(from_b)": ["--cfg", "third_round"] },
  };
  // Round one: build's flags (no cfg key counted); round two matches cfg(b) with them.
  assert.deepEqual(targetRustflags(config, linux, matches).flags, ["--cfg", "from_b"]);
});

test("config files: lists join (nearer items last), a string is the nearest's, a string and a list do not merge", () => {
  const file = (f: string, text: string) => ({ file: f, text });
  const near = file(
    "/p/.cargo/config.toml",
    '[build]\nrustflags = ["-C", "near"]\n[target.\'cfg(unix)\']\nrustflags = "--cfg u"\n',
  );
  const far = file(
    "/.cargo/config.toml",
    '[build]\nrustflags = ["-C", "far"]\n[target.\'cfg(unix)\']\nrustflags = "--cfg far"\n',
  );
  const merged = mergeConfigs([near, far], "/home/.cargo");
  assert.deepEqual(merged.rustflags, {
    build: ["-C", "far", "-C", "near"],
    target: { "cfg(unix)": ["--cfg", "u"] },
  });
  const mixed = file("/.cargo/config.toml", '[build]\nrustflags = "-C far"\n');
  assert.throws(() => mergeConfigs([near, mixed], "/home/.cargo"), UserError);
  // Files outside the flake give none (their names are kept for a warning).
  const outside = mergeConfigs([near, far], "/home/.cargo", (f) => f.startsWith("/p/"));
  assert.deepEqual(outside.rustflags.build, ["-C", "near"]);
  assert.deepEqual(outside.ignoredRustflags, ["/.cargo/config.toml"]);
});
