/**
 * The rustc command lines of the Nix builders against those of the Cargo in use (`cargo build -v` with
 * rustup's cargo, run here): for every crate, the flags that decide what is compiled must agree — crate
 * types, `--cfg`s (features and build-script cfgs), extern names, edition, whether lints are capped,
 * target, and the profile's codegen flags (opt-level, debuginfo, codegen-units, assertions, overflow
 * checks, strip, LTO). The units are crateflake's own plan. Cases: flags-demo in the dev and release
 * profiles (release also compares the built binary with Cargo's: stripped of debuginfo alike), and the
 * plan fixture profile-overrides (`package.<spec>`, `"*"`, `build-override`) in release.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { NixData } from "../../src/nix/data.ts";
import { planUnitGraph } from "../../src/resolve/plan.ts";
import { hostTripleOf, platformMatcher } from "../../src/resolve/platforms.ts";
import {
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  nixEnv,
  registryDir,
  rustupEnv,
  tempDir,
} from "../support/env.ts";
import { copyDir, recordedRustcArgs, run, shellWords, unitsExpr, writeFlake } from "./support.ts";

const skip = needNix || needCargo || needRegistry;

interface Flags {
  crateTypes: string[];
  cfgs: string[];
  externs: string[];
  edition: string;
  capped: boolean;
  target: string | null;
  /** `-C` flags of the profile and of Cargo's LTO decision, sorted: `opt-level=3`, `strip=debuginfo`, ... */
  codegen: string[];
}

const CODEGEN =
  /^(opt-level|debuginfo|codegen-units|debug-assertions|overflow-checks|strip|panic|embed-bitcode|lto|linker-plugin-lto)\b/;

/** The flags that matter, from rustc's arguments (after `rustc`), and the crate name. */
function summarize(args: string[]): [string, Flags] {
  const flags: Flags = {
    crateTypes: [],
    cfgs: [],
    externs: [],
    edition: "2015",
    capped: false,
    target: null,
    codegen: [],
  };
  let crateName = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--crate-name") crateName = args[++i];
    else if (a === "--crate-type") flags.crateTypes.push(args[++i]);
    else if (a === "--cfg") flags.cfgs.push(args[++i]);
    else if (a === "--extern") flags.externs.push(args[++i].replace(/=.*$/, ""));
    else if (a.startsWith("--edition=")) flags.edition = a.slice("--edition=".length);
    else if (a === "--cap-lints") {
      flags.capped = true;
      i++;
    } else if (a === "--target") flags.target = args[++i];
    else if (a === "-C" && CODEGEN.test(args[i + 1])) flags.codegen.push(args[++i]);
  }
  flags.crateTypes.sort();
  flags.cfgs.sort();
  flags.externs.sort();
  flags.codegen.sort();
  return [crateName, flags];
}

/** Flags by `package|crate name|crate types`; a crate built twice (host and target) has two. */
type Lines = Map<string, Flags[]>;

function add(lines: Lines, key: string, flags: Flags): void {
  const list = lines.get(key) ?? [];
  list.push(flags);
  list.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  lines.set(key, list);
}

/** `cargo build -vv` of the project with rustup's cargo (`-vv` shows the environment: CARGO_PKG_NAME): its rustc lines. */
function cargoLines(root: string, release: boolean): Lines {
  const env = { ...rustupEnv, CARGO_HOME: join(root, "../cargo-home") };
  const r = spawnSync("cargo", ["build", "-vv", "--offline", "--locked", ...(release ? ["--release"] : [])], {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`cargo build failed:\n${r.stderr.slice(-4000)}`);
  const out: Lines = new Map();
  for (const line of r.stderr.split("\n")) {
    const m = /^\s+Running `(.*)`$/.exec(line);
    if (!m) continue;
    const words = shellWords(m[1]);
    const at = words.findIndex((w, i) => /(^|\/)rustc$/.test(w) && words[i + 1] === "--crate-name");
    if (at < 0) continue;
    const pkg = words.find((w) => w.startsWith("CARGO_PKG_NAME="))?.slice("CARGO_PKG_NAME=".length);
    const [crate, flags] = summarize(words.slice(at + 1));
    add(out, `${pkg}|${crate}|${flags.crateTypes.join(",")}`, flags);
  }
  return out;
}

/** `nix-build`, retried only when a builder was killed from outside (see nixBuild in support.ts). */
function nixBuildRetrying(args: string[], cwd: string): string {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync("nix-build", args, { cwd, env: nixEnv(), encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status === 0) return r.stdout;
    if (attempt >= 4 || !/failed due to signal 9/.test(r.stderr)) throw new Error(r.stderr.slice(-6000));
  }
}

/** A copy of `fixture` on the offline registry, with a Cargo.lock. */
function fixtureRoot(fixture: string, name: string): string {
  const root = join(tempDir("nix-flags"), name);
  copyDir(fixture, root);
  mkdirSync(join(root, ".cargo"), { recursive: true });
  writeFileSync(
    join(root, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`,
  );
  run(
    "cargo",
    ["generate-lockfile", "--offline"],
    { ...rustupEnv, CARGO_HOME: join(root, "../cargo-home") },
    root,
  );
  return root;
}

/** crateflake's plan of the project, built with Nix (stand-in nixpkgs): rustc lines and unit outputs. */
async function ourBuild(
  root: string,
  release: boolean,
): Promise<{ lines: Lines; data: NixData; outs: Record<string, string> }> {
  const manifest = join(root, "Cargo.toml");
  const project = await loadProject(manifest, { quiet: true });
  const graph = planUnitGraph(project, {
    packages: [],
    targets: [],
    features: [],
    workspace: false,
    allFeatures: false,
    noDefaultFeatures: false,
    profile: release ? "release" : "dev",
    tests: false,
    manifestPath: manifest,
    hostTriple: hostTripleOf(process.platform, process.arch),
    matches: platformMatcher(),
  });
  const data = JSON.parse(
    writeFlake(root, [{ name: "app", toolchain: "default", graph, project }], [manifest]),
  ) as NixData;
  // Through default.nix (no flakes) with the stand-in nixpkgs: every unit, then what each recorded.
  nixBuildRetrying(["-E", `builtins.attrValues ${unitsExpr(root)}`, "--no-out-link"], root);
  const recorded = recordedRustcArgs(root);
  const outs = Object.fromEntries(recorded.map((r) => [r.key, r.out]));
  const lines: Lines = new Map();
  for (const { key, args } of recorded) {
    const unit = data.units[key];
    if (unit?.mode !== "build") continue; // a build-script run records its instructions there
    const [crate, flags] = summarize(args);
    add(lines, `${data.packages[unit.package]?.name}|${crate}|${flags.crateTypes.join(",")}`, flags);
  }
  return { lines, data, outs };
}

function assertSameLines(ours: Lines, cargo: Lines, units: number): void {
  assert.equal([...cargo.values()].flat().length, units);
  assert.deepEqual([...ours.keys()].sort(), [...cargo.keys()].sort());
  for (const [key, flags] of cargo) assert.deepEqual(ours.get(key), flags, key);
}

/** The ELF section names of a binary. */
function sections(file: string): string[] {
  const text = run("readelf", ["-S", "-W", file]);
  return [...text.matchAll(/^\s*\[\s*\d+\]\s+(\S+)/gm)]
    .map((m) => m[1] as string)
    .filter((n) => n !== "NULL");
}

test("rustc flags of every flags-demo crate match cargo build -v (dev)", {
  skip,
  timeout: 20 * 60_000,
}, async () => {
  const root = fixtureRoot(join(fixturesDir, "nix/flags-demo"), "flags-demo");
  const cargo = cargoLines(root, false);
  const { lines } = await ourBuild(root, false);
  assertSameLines(lines, cargo, 17);
});

test("a release build strips debuginfo as Cargo does: same flags, a binary like Cargo's", {
  skip,
  timeout: 20 * 60_000,
}, async () => {
  const root = fixtureRoot(join(fixturesDir, "nix/flags-demo"), "flags-demo");
  const cargo = cargoLines(root, true);
  const { lines, data, outs } = await ourBuild(root, true);
  assertSameLines(lines, cargo, 17);
  // Cargo 1.77+: no debuginfo asked for and none in the dependencies, so `-C strip=debuginfo`.
  assert.ok(cargo.get("flags-demo|flags_demo|bin")?.[0]?.codegen.includes("strip=debuginfo"));

  const bin = Object.entries(data.units).find(([, u]) => u.kind.includes("bin") && u.mode === "build");
  assert.ok(bin);
  const ours = join(outs[bin[0]] as string, "bin/flags-demo");
  const theirs = join(root, "target/release/flags-demo");
  const debug = (f: string) => sections(f).filter((n) => n.startsWith(".debug"));
  assert.deepEqual(debug(ours), debug(theirs));
  assert.deepEqual(debug(ours), []);
  const [a, b] = [statSync(ours).size, statSync(theirs).size];
  assert.ok(Math.abs(a - b) <= 0.05 * b, `binary of ${a} bytes, cargo's ${b}`);
  assert.equal(run(ours, []), run(theirs, []));
});

test("per-package profile overrides and build-override reach rustc as Cargo passes them (release)", {
  skip,
  timeout: 20 * 60_000,
}, async () => {
  const root = fixtureRoot(join(fixturesDir, "plan/profile-overrides"), "profile-overrides");
  const cargo = cargoLines(root, true);
  const { lines } = await ourBuild(root, true);
  assertSameLines(lines, cargo, 19);
  // What the fixture overrides, as Cargo passed it (so the comparison above covers it).
  const flagsOf = (key: string) => (cargo.get(key) ?? []).map((f) => f.codegen.join(" "));
  assert.deepEqual(flagsOf("itoa|itoa|lib"), [
    "codegen-units=4 embed-bitcode=no opt-level=1 overflow-checks=on strip=debuginfo",
  ]);
  assert.match(flagsOf("helper|helper|lib")[0] ?? "", /opt-level=s .*strip=symbols/);
});
