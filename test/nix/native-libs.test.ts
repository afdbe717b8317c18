/**
 * `-sys` crates get their C library (nix/native-libs.nix). The fixture test/fixtures/nix/sys-pcre2 is a
 * program on pcre2, whose pcre2-sys build script asks pkg-config for libpcre2-8 and otherwise compiles
 * bundled C sources, which the crate from Debian does not ship: without pkg-config and nixpkgs' pcre2 its
 * build-script run fails. Built by Nix through `crateflake init`, it must print what the program built by
 * `cargo build --release` prints, linked to the same shared library. The mapping from `links` names to
 * nixpkgs attributes is checked against a real nixpkgs (../shared/nix/real-nixpkgs).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { useOfflineRegistry } from "../checks/support.ts";
import {
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  nixEnv,
  registryDir,
  repoRoot,
  rustupEnv,
  sharedDir,
  tempDir,
} from "../support/env.ts";
import { copyDir, initAndBuildProgram, run } from "./support.ts";

const nativeLibs = join(repoRoot, "nix/native-libs.nix");
const needPcre2 =
  existsSync(join(registryDir, "pcre2-sys-0.2.5.crate")) &&
  existsSync("/usr/lib/x86_64-linux-gnu/pkgconfig/libpcre2-8.pc")
    ? false
    : "no pcre2-sys in the offline registry or no libpcre2-dev: run scripts/setup.sh";
const needCurlConfig =
  existsSync("/usr/bin/curl-config") && existsSync("/usr/lib/x86_64-linux-gnu/pkgconfig/libcurl.pc")
    ? false
    : "no curl-config or libcurl.pc: run scripts/setup.sh (libcurl4-gnutls-dev)";
const realNixpkgs = join(sharedDir, "nix/real-nixpkgs/eval.sh");
const needRealNixpkgs = existsSync(realNixpkgs) ? false : `no ${realNixpkgs}`;

/** `nix-instantiate --eval --strict --json` of an expression. */
function evalJson(expr: string): unknown {
  const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], {
    env: nixEnv(),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** The shared libraries an ELF file needs (readelf's NEEDED entries). */
function needed(file: string): string[] {
  return [...run("readelf", ["-d", file]).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map(
    (m) => m[1],
  );
}

test("native-libs.nix maps the common links names to nixpkgs attributes", { skip: needNix }, () => {
  const attrs = evalJson(`(import ${nativeLibs}).attrs`) as Record<string, string>;
  const common: Record<string, string> = {
    pcre2: "pcre2",
    git2: "libgit2",
    zstd: "zstd",
    z: "zlib",
    bz2: "bzip2",
    lzma: "xz",
    ssl: "openssl",
    openssl: "openssl",
    sqlite3: "sqlite",
    curl: "curl",
    onig: "oniguruma",
    pcap: "libpcap",
  };
  for (const [links, attr] of Object.entries(common)) assert.equal(attrs[links], attr, links);
  // A package without `links` is named by its package name less `lib` and `-sys`.
  const names = evalJson(`map (import ${nativeLibs}).libraryName [
    { name = "pcre2-sys"; links = null; } { name = "libgit2-sys"; links = null; }
    { name = "onig_sys"; links = null; } { name = "libz-sys"; links = "z"; } { name = "foo"; links = null; }
    { name = "pcap-sys"; links = null; }
  ]`);
  assert.deepEqual(names, ["pcre2", "git2", "onig", "z", "foo", "pcap"]);
});

describe("a program on pcre2 (pcre2-sys finds the system library through pkg-config)", {
  skip: needNix || needCargo || needRegistry || needPcre2,
}, () => {
  const dir = join(tempDir("sys-pcre2"), "grep-cats");
  let cargoBin: string;
  let expected: string;

  test("Cargo's build is the oracle", () => {
    copyDir(join(fixturesDir, "nix/sys-pcre2"), dir);
    useOfflineRegistry(dir);
    const target = tempDir("sys-pcre2-target");
    cargoBin = join(target, "release/grep-cats");
    run("cargo", ["build", "--release", "--offline", "-q", "--target-dir", target], rustupEnv, dir);
    expected = run(cargoBin, []);
    assert.match(expected, /^pcre2 library 10\.\d+ /);
  });

  test("built by Nix through crateflake, it prints what Cargo's prints, linked to the same library", () => {
    const bin = initAndBuildProgram(dir, "grep-cats");
    assert.equal(run(bin, []), expected);
    assert.ok(needed(bin).includes("libpcre2-8.so.0"), needed(bin).join(" "));
    assert.deepEqual(needed(bin), needed(cargoBin));
  });

  test("against a real nixpkgs the flake instantiates, with nixpkgs' pcre2 in the build-script run", {
    skip: needRealNixpkgs,
  }, () => {
    const r = spawnSync("bash", [realNixpkgs, dir, "x86_64-linux"], { env: nixEnv(), encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const drv = /^ok {3}packages\.x86_64-linux\.grep-cats (\S+)$/m.exec(r.stdout)?.[1];
    assert.ok(drv, r.stdout);
    const runDrv = run("nix-store", ["-qR", drv], nixEnv())
      .split("\n")
      .find((p) => p.endsWith("-pcre2-sys-0.2.5-build-script-run.drv"));
    assert.ok(runDrv);
    type Shown = Record<string, { env: Record<string, string> }>;
    const env = (JSON.parse(run("nix", ["show-derivation", runDrv], nixEnv())) as Shown)[runDrv].env;
    assert.match(env.PKG_CONFIG_PATH, /-pcre2-10\.[^/:]*-dev\/lib\/pkgconfig/);
    assert.match(env.PATH, /-pkg-config-[^/:]*\/bin/);
  });

  test("every nixpkgs attribute of the mapping exists in a real nixpkgs", { skip: needRealNixpkgs }, () => {
    // eval.sh (above) unpacked the real nixpkgs here.
    const cache = process.env.CRATEFLAKE_REAL_NIXPKGS ?? "/var/tmp/crateflake-real-nixpkgs";
    const missing = evalJson(`let
      pkgs = import ${cache}/nixpkgs { system = "x86_64-linux"; };
      attrs = (import ${nativeLibs}).attrs;
    in builtins.filter (a: !(pkgs ? \${a})) ([ "pkg-config" ] ++ builtins.attrValues attrs)`);
    assert.deepEqual(missing, []);
  });

  test("pyo3's build scripts find nixpkgs' python3 on PATH (overrides.nix)", {
    skip: needRealNixpkgs,
  }, () => {
    const cache = process.env.CRATEFLAKE_REAL_NIXPKGS ?? "/var/tmp/crateflake-real-nixpkgs";
    const names = evalJson(`let pkgs = import ${cache}/nixpkgs { system = "x86_64-linux"; };
      o = import ${join(repoRoot, "nix/overrides.nix")} pkgs;
      in map (c: map (p: p.pname) o.\${c}.nativeBuildInputs) [ "pyo3-build-config" "pyo3-ffi" "pyo3" ]`);
    assert.deepEqual(names, [["python3"], ["python3"], ["python3"]]);
  });

  test("libgpg-error-sys, which runs pkgconf itself, gets nixpkgs' pkgconf (overrides.nix)", {
    skip: needRealNixpkgs,
  }, () => {
    const cache = process.env.CRATEFLAKE_REAL_NIXPKGS ?? "/var/tmp/crateflake-real-nixpkgs";
    // The cut-down nixpkgs has no libgpg-error: overrides.nix leaves out what pkgs lacks.
    const bins = evalJson(`let pkgs = import ${cache}/nixpkgs { system = "x86_64-linux"; };
      in map (p: p.name) (import ${join(repoRoot, "nix/overrides.nix")} pkgs).libgpg-error-sys.nativeBuildInputs`);
    assert.ok(
      Array.isArray(bins) && bins.some((n) => /^pkgconf-wrapper-/.test(String(n))),
      JSON.stringify(bins),
    );
  });

  test("seccomp-sys, which does not ask pkg-config, links nixpkgs' libseccomp (overrides.nix)", {
    skip: needRealNixpkgs,
  }, () => {
    const cache = process.env.CRATEFLAKE_REAL_NIXPKGS ?? "/var/tmp/crateflake-real-nixpkgs";
    const path = evalJson(`let pkgs = import ${cache}/nixpkgs { system = "x86_64-linux"; };
      in (import ${join(repoRoot, "nix/overrides.nix")} pkgs).seccomp-sys.env.LIBSECCOMP_LIB_PATH`);
    assert.match(String(path), /^\/nix\/store\/[a-z0-9]{32}-libseccomp-[^/]*-lib\/lib$/);
  });
});

// curl-sys's build script finds libcurl through pkg-config, then runs `curl-config --features` and builds
// curl from source (not shipped by Debian) unless it reports HTTP2. nixpkgs has curl-config in curl's dev
// output: the build-script run's PATH holds its native inputs' dev/bin (found in cargo's corpus build).
describe("a build script that runs a native input's curl-config (reduced from curl-sys)", {
  skip: needNix || needCargo || needRegistry || needCurlConfig,
}, () => {
  const dir = join(tempDir("sys-curl-config"), "curl-http2");
  let cargoBin: string;
  let expected: string;

  test("Cargo's build is the oracle", () => {
    copyDir(join(fixturesDir, "nix/sys-curl-config"), dir);
    useOfflineRegistry(dir);
    const target = tempDir("sys-curl-config-target");
    cargoBin = join(target, "release/curl-http2");
    run("cargo", ["build", "--release", "--offline", "-q", "--target-dir", target], rustupEnv, dir);
    expected = run(cargoBin, []);
    assert.match(expected, /^curl-config --features: .*\nhttp2: (true|false)\nlibcurl: libcurl\/\d/);
  });

  test("built by Nix through crateflake, it prints what Cargo's prints", () => {
    const bin = initAndBuildProgram(dir, "curl-http2");
    assert.equal(run(bin, []), expected);
    assert.deepEqual(needed(bin), needed(cargoBin));
  });
});
