/**
 * Test support for the Nix output: write a generated flake (data, library, flake.nix, default.nix) into a
 * project directory, and run Nix on it against the stand-ins of nixpkgs and rust-overlay (test/stand-in).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { EmitGraph } from "../../src/nix/data.ts";
import { emitNixData } from "../../src/nix/emit.ts";
import {
  DATA_DIR,
  dataFile,
  defaultNix,
  FLAKE_OUTPUTS,
  flakeNix,
  flakeOutputs,
  flakeOutputsNix,
  LIB_DIR,
  PACKAGES,
  packagesNix,
} from "../../src/nix/flake.ts";
import { libraryFiles } from "../../src/nix/library.ts";
import { runCli } from "../support/cli.ts";
import { nixEnv, repoRoot } from "../support/env.ts";

export const standIn = join(repoRoot, "test/stand-in");

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Write `.crateflake/{data/x86_64-linux.json,lib/,flake-outputs.nix,packages.nix}`, `flake.nix` and `default.nix`
 * into `root`; returns the data text. */
export function writeFlake(root: string, graphs: EmitGraph[], inputFiles: string[]): string {
  const inputs: Record<string, string> = {};
  for (const f of inputFiles) inputs[relative(root, f)] = sha256File(f);
  const text = emitNixData(graphs, { flakeRoot: root, inputs });
  mkdirSync(join(root, LIB_DIR), { recursive: true });
  mkdirSync(join(root, DATA_DIR), { recursive: true });
  writeFileSync(join(root, dataFile("x86_64-linux")), text);
  for (const [name, body] of libraryFiles()) writeFileSync(join(root, LIB_DIR, name), body);
  const spec = { description: "test", outputs: flakeOutputs(JSON.parse(text)) };
  writeFileSync(join(root, "flake.nix"), flakeNix(spec));
  writeFileSync(join(root, "default.nix"), defaultNix());
  writeFileSync(join(root, FLAKE_OUTPUTS), flakeOutputsNix(spec));
  writeFileSync(join(root, PACKAGES), packagesNix(spec));
  return text;
}

export const overrideInputs = [
  "--override-input",
  "nixpkgs",
  `path:${join(standIn, "nixpkgs")}`,
  "--override-input",
  "rust-overlay",
  `path:${join(standIn, "rust-overlay")}`,
  "--no-write-lock-file",
];

/** `nix ARGS` in `cwd`, offline; returns status, stdout and stderr. */
export function nix(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("nix", args, { cwd, env: nixEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Build `path:ROOT#ATTR` with the stand-ins; returns the output path. On this shared machine builders are
 * now and then killed from outside (`failed due to signal 9`, seen on short unpack steps, which then
 * succeed when run again); only that failure is retried, a few times.
 */
export function nixBuild(root: string, attr: string): string {
  let r = nix(
    ["build", "--json", "--keep-going", "--no-link", `path:${root}#${attr}`, ...overrideInputs],
    root,
  );
  for (let i = 0; i < 4 && r.status !== 0 && /failed due to signal 9/.test(r.stderr); i++) {
    r = nix(
      ["build", "--json", "--keep-going", "--no-link", `path:${root}#${attr}`, ...overrideInputs],
      root,
    );
  }
  if (r.status !== 0) throw new Error(`nix build ${attr} failed:\n${r.stderr.slice(-6000)}`);
  return JSON.parse(r.stdout)[0].outputs.out;
}

/**
 * A program of `dir` built by Nix through `crateflake init` (its checks turned off: they would add only
 * build time) and `generate`; the path of `bin/PROGRAM` in the output of that name.
 */
export function initAndBuildProgram(dir: string, program: string): string {
  const init = runCli(["init", "--quiet", dir]);
  assert.equal(init.code, 0, init.stderr);
  appendFileSync(join(dir, "crateflake.toml"), "\n[checks]\ntests = false\nclippy = false\ndoc = false\n");
  const gen = runCli(["generate", "--quiet", dir]);
  assert.equal(gen.code, 0, gen.stderr);
  return join(nixBuild(dir, program), "bin", program);
}

/** The derivations `nix build --dry-run` would build (names without hashes). */
export function wouldBuild(root: string, attr: string): string[] {
  const r = nix(["build", "--dry-run", "--no-link", `path:${root}#${attr}`, ...overrideInputs], root);
  if (r.status !== 0) throw new Error(`nix build --dry-run ${attr} failed:\n${r.stderr.slice(-4000)}`);
  const names: string[] = [];
  let inBuildList = false;
  for (const line of r.stderr.split("\n")) {
    if (/(derivations|derivation) will be built:$/.test(line)) inBuildList = true;
    else if (/will be fetched/.test(line)) inBuildList = false;
    else if (inBuildList && /^\s+\/nix\/store\//.test(line))
      names.push(
        line
          .trim()
          .replace(/^\/nix\/store\/[a-z0-9]{32}-/, "")
          .replace(/\.drv$/, "")
          // the rank (`rust-NNNN-`, nix/unit-name.nix) follows the graph; tests name units by package
          .replace(/^rust-\d{4}-/, "rust-"),
      );
  }
  return names.sort();
}

/** Every unit of the flake at `root`, through its default.nix (no flakes) with the stand-in nixpkgs. */
export function unitsExpr(root: string): string {
  return `(import ${root}/default.nix { pkgs = import ${join(standIn, "nixpkgs")} { }; }).units`;
}

/** A unit's derivation output and what it recorded in `nix-support/rustc-args`. */
export interface RecordedArgs {
  key: string;
  out: string;
  /** One argument a line: rustc's (rustdoc's for a doctest) for a compile; a build-script run's
   * instructions. */
  args: string[];
}

/**
 * What each unit of the flake at `root` recorded in `nix-support/rustc-args`, by unit key, for the
 * units already built (build them first, e.g. `nix-build -E "builtins.attrValues ${unitsExpr(root)}"`);
 * units with no such record (not built, or a test run) are left out.
 */
export function recordedRustcArgs(root: string): RecordedArgs[] {
  const outs = JSON.parse(
    run(
      "nix-instantiate",
      ["--eval", "--strict", "--json", "-E", `builtins.mapAttrs (k: v: v.outPath) ${unitsExpr(root)}`],
      nixEnv(),
    ),
  ) as Record<string, string>;
  const recorded: RecordedArgs[] = [];
  for (const [key, out] of Object.entries(outs).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = join(out, "nix-support/rustc-args");
    if (!existsSync(file)) continue;
    recorded.push({ key, out, args: readFileSync(file, "utf8").trimEnd().split("\n") });
  }
  return recorded;
}

export function copyDir(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !/\/(target|\.crateflake)$/.test(src) });
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): string {
  return execFileSync(cmd, args, {
    encoding: "utf8",
    env,
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  });
}

/** Split a POSIX shell command line (as `cargo build -v` prints it) into words. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; ) {
    const c = line[i];
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, j);
      i = j + 1;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; line[j] !== '"'; j++) cur += line[j] === "\\" ? line[++j] : line[j];
      i = j + 1;
      inWord = true;
    } else if (c === "\\") {
      cur += line[i + 1];
      i += 2;
      inWord = true;
    } else if (c === " ") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      i++;
    } else {
      cur += c;
      i++;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
