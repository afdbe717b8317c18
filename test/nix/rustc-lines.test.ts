/**
 * The rustc command lines of the Nix builders against Cargo's own (`cargo build -v`, recorded in
 * ../shared/rust/reference/rustc-lines-stable.txt for the flags-demo project of test/fixtures/nix): for
 * every crate, the flags that decide what is compiled must agree — crate types, `--cfg`s (features and
 * build-script cfgs), extern names, edition, whether lints are capped, target.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadProject } from "../../src/cargo/load.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import {
  cargoUnitGraph,
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  nixEnv,
  registryDir,
  rustupEnv,
  sharedDir,
  tempDir,
} from "../support/env.ts";
import { copyDir, run, shellWords, standIn, writeFlake } from "./support.ts";

const skip = needNix || needCargo || needRegistry;

interface Flags {
  crateTypes: string[];
  cfgs: string[];
  externs: string[];
  edition: string;
  capped: boolean;
  target: string | null;
  /** `-C embed-bitcode=…`, `-C lto…`, `-C linker-plugin-lto`: Cargo's LTO decision for the unit. */
  lto: string[];
}

/** `crate_name|package dir|file in package` → the flags that matter, from rustc's arguments. */
function summarize(args: string[], local: string): [string, Flags] {
  const flags: Flags = {
    crateTypes: [],
    cfgs: [],
    externs: [],
    edition: "2015",
    capped: false,
    target: null,
    lto: [],
  };
  let crateName = "";
  let src = "";
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
    else if (a === "-C" && /^(embed-bitcode|lto|linker-plugin-lto)/.test(args[i + 1]))
      flags.lto.push(args[++i]);
    else if (!a.startsWith("-") && a.endsWith(".rs") && !src) src = a;
  }
  flags.crateTypes.sort();
  flags.cfgs.sort();
  flags.externs.sort();
  // A registry crate is unpacked into <build>/NAME-VERSION (nix/compile.sh), as Cargo's registry/src;
  // a path source is the store path NAME-VERSION-source.
  const m = /\/([A-Za-z0-9_-]+-\d+\.\d+\.\d+)(?:-source)?\/(.+\.rs)$/.exec(src);
  const pkg = m && !m[1].startsWith(local) ? m[1] : local;
  const file = m ? m[2] : src;
  return [`${crateName}|${pkg}|${file}`, flags];
}

function referenceLines(): Map<string, Flags> {
  const text = readFileSync(join(sharedDir, "rust/reference/rustc-lines-stable.txt"), "utf8");
  const out = new Map<string, Flags>();
  for (const line of text.split("\n")) {
    const words = shellWords(line);
    const at = words.findIndex((w, i) => /(^|\/)rustc$/.test(w) && words[i + 1] === "--crate-name");
    if (at < 0) continue;
    const [key, flags] = summarize(words.slice(at + 1), "flags-demo");
    out.set(key, flags);
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

test("rustc flags of every flags-demo crate match cargo build -v", {
  skip,
  timeout: 20 * 60_000,
}, async () => {
  const root = join(tempDir("nix-flags"), "flags-demo");
  copyDir(join(fixturesDir, "nix/flags-demo"), root);
  mkdirSync(join(root, ".cargo"));
  writeFileSync(
    join(root, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`,
  );
  run("cargo", ["generate-lockfile", "--offline"], rustupEnv, root);
  const manifest = join(root, "Cargo.toml");
  const graph = cargoUnitGraph(manifest) as UnitGraph;
  const project = await loadProject(manifest);
  writeFlake(root, [{ name: "app", toolchain: "default", graph, project }], [manifest]);

  // Through default.nix (no flakes) with the stand-in nixpkgs: every unit, then their output paths.
  const pkgs = `import ${join(standIn, "nixpkgs")} {}`;
  const units = `(import ${root}/default.nix { pkgs = ${pkgs}; }).units`;
  nixBuildRetrying(["-E", `builtins.attrValues ${units}`, "--no-out-link"], root);
  const outs = JSON.parse(
    run(
      "nix-instantiate",
      ["--eval", "--strict", "--json", "-E", `builtins.mapAttrs (k: v: v.outPath) ${units}`],
      nixEnv(),
    ),
  ) as Record<string, string>;

  const ours = new Map<string, Flags>();
  for (const out of Object.values(outs)) {
    let args: string[];
    try {
      args = readFileSync(join(out, "nix-support/rustc-args"), "utf8").trimEnd().split("\n");
    } catch {
      continue;
    }
    if (!args.includes("--crate-name")) continue; // a build-script run's recorded instructions
    const [k, flags] = summarize(args, "flags-demo");
    ours.set(k, flags);
  }

  const reference = referenceLines();
  assert.equal(reference.size, 17);
  assert.deepEqual([...ours.keys()].sort(), [...reference.keys()].sort());
  for (const [key, flags] of reference) {
    assert.deepEqual(ours.get(key), flags, key);
  }
});
