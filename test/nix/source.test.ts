/**
 * nix/source.nix on its own: a git package checked against its NAR hash, a path package filtered to its
 * own files (and `rebuilds` agreeing on which those are), a `.crate` archive checked against Cargo.lock's
 * sha256.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import OWN_FILES from "../../nix/own-files.json" with { type: "json" };
import { sourceEdits } from "../../src/explain/rebuilds-git.ts";
import type { NixData } from "../../src/nix/data.ts";
import { needNix, needRegistry, nixEnv, registryDir, repoRoot, tempDir } from "../support/env.ts";
import { standIn } from "./support.ts";

const lib = join(repoRoot, "nix/source.nix");
const archive = join(repoRoot, "nix/crate-archive.nix");

/** Evaluate `EXPR` where `src` is the source of `pkg` (a Nix expression). */
function evalSource(
  pkg: string,
  root: string,
  expr: string,
): { status: number; stdout: string; stderr: string } {
  const e = `let pkgs = import ${standIn}/nixpkgs { system = "x86_64-linux"; };
    src = import ${lib} { system = "x86_64-linux"; tools = pkgs; root = ${root}; pkg = ${pkg}; };
  in ${expr}`;
  const r = spawnSync("nix", ["eval", "--impure", "--raw", "--expr", e], { env: nixEnv(), encoding: "utf8" });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd,
    encoding: "utf8",
  });
}

test("git source: the locked commit, its subdirectory, verified against the NAR hash", {
  skip: needNix,
}, () => {
  const repo = tempDir("nix-git");
  mkdirSync(join(repo, "crates/one"), { recursive: true });
  writeFileSync(join(repo, "crates/one/Cargo.toml"), '[package]\nname = "one"\nversion = "1.0.0"\n');
  git(repo, "init", "-q");
  git(repo, "add", ".");
  git(repo, "commit", "-qm", "one");
  const rev = git(repo, "rev-parse", "HEAD").trim();
  const tree = join(tempDir("nix-git-tree"), "t");
  mkdirSync(tree);
  execFileSync("bash", ["-c", `git -C ${repo} archive HEAD | tar -x -C ${tree}`]);
  const narHash = execFileSync("nix", ["hash", "path", tree], { env: nixEnv(), encoding: "utf8" }).trim();
  const pkg = (hash: string) =>
    `{ name = "one"; version = "1.0.0"; source = { kind = "git"; url = "file://${repo}"; rev = "${rev}"; narHash = "${hash}"; subdir = "crates/one"; }; }`;
  const ok = evalSource(pkg(narHash), "/.", `builtins.readFile (src + "/Cargo.toml")`);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /name = "one"/);
  const bad = evalSource(
    pkg("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    "/.",
    `builtins.readFile (src + "/Cargo.toml")`,
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /NAR hash mismatch/);
});

test("path source: only the package's own files", { skip: needNix }, () => {
  const root = tempDir("nix-path");
  for (const d of ["src", "target/debug", ".git", ".cargo", "nested/src", ".crateflake"])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, "Cargo.toml"), "[package]\n");
  writeFileSync(join(root, "src/lib.rs"), "");
  writeFileSync(join(root, "target/debug/x"), "");
  writeFileSync(join(root, ".git/HEAD"), "");
  writeFileSync(join(root, "nested/Cargo.toml"), "[package]\n");
  writeFileSync(join(root, ".cargo/config.toml"), "");
  for (const own of ["flake.nix", "flake.lock", "default.nix", "crateflake.toml"])
    writeFileSync(join(root, own), "");
  const r = evalSource(
    `{ name = "p"; version = "0.1.0"; source = { kind = "path"; path = "."; }; }`,
    root,
    `builtins.concatStringsSep " " (builtins.attrNames (builtins.readDir src))`,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "Cargo.toml src");
});

test("path source: `rebuilds` sees an edit exactly when source.nix keeps the file", { skip: needNix }, () => {
  // A root package and one below it, with crateflake's own files (nix/own-files.json) at both levels:
  // only the flake root's are no source.
  const root = tempDir("nix-own-files");
  for (const d of ["src", "util/src", ".crateflake/data", "util/.crateflake"])
    mkdirSync(join(root, d), { recursive: true });
  const files = [
    "Cargo.toml",
    "src/lib.rs",
    "util/Cargo.toml",
    "util/src/lib.rs",
    ".crateflake/data/x.json",
    "util/.crateflake/x",
  ];
  for (const own of OWN_FILES.filter((f) => f !== ".crateflake")) files.push(own, `util/${own}`);
  for (const f of files) writeFileSync(join(root, f), "x\n");
  const pkgs = { root: ".", util: "util" };
  const data = {
    packages: Object.fromEntries(
      Object.entries(pkgs).map(([k, path]) => [k, { source: { kind: "path", path } }]),
    ),
  } as unknown as NixData;
  const edits = sourceEdits(root, data, files);
  for (const [key, path] of Object.entries(pkgs)) {
    const r = evalSource(
      `{ name = "${key}"; version = "0.1.0"; source = { kind = "path"; path = "${path}"; }; }`,
      root,
      `"\${src}"`,
    );
    assert.equal(r.status, 0, r.stderr);
    const inStore = walk(r.stdout).sort();
    assert.deepEqual(edits.get(key), inStore, key);
  }
  assert.deepEqual(edits.get("root"), ["Cargo.toml", "src/lib.rs"]);
  assert.ok(edits.get("util")!.includes("flake.nix"), "a nested package's flake.nix is its source");
});

/** Regular files below `dir`, relative to it. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, rel) : [rel];
  });
}

test("crate source: Cargo.lock's sha256 checks the archive", { skip: needNix || needRegistry }, () => {
  const crate = join(registryDir, "itoa-1.0.1.crate");
  const sha256 = createHash("sha256").update(readFileSync(crate)).digest("hex");
  const pkg = (hash: string) =>
    `{ name = "itoa"; version = "1.0.1"; source = { kind = "crate"; url = "file://${crate}"; sha256 = "${hash}"; }; }`;
  const build = (hash: string) =>
    spawnSync(
      "nix-build",
      [
        "--no-out-link",
        "-E",
        `let pkgs = import ${standIn}/nixpkgs { system = "x86_64-linux"; }; pkg = ${pkg(hash)}; in import ${lib} { system = "x86_64-linux"; tools = pkgs; root = /.; inherit pkg; archive = import ${archive} pkg; }`,
      ],
      { env: nixEnv(), encoding: "utf8" },
    );
  const ok = build(sha256);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(readFileSync(join(ok.stdout.trim(), "Cargo.toml"), "utf8"), /name = "itoa"/);
  const bad = build("0".repeat(64));
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /hash mismatch/);
});
