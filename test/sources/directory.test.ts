import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/cargo/config.ts";
import { parseManifest, toPackage } from "../../src/cargo/manifest.ts";
import { openSources } from "../../src/sources/index.ts";
import { needCargo, needNix, needRegistry, registryDir, rustupEnv, tempDir } from "../support/env.ts";
import { GIT_ENV, workspaceRepo } from "./git-fixtures.ts";
import { cargoConfig, lockedRemote, rejection } from "./helpers.ts";
import { nixFilteredTreeHash } from "./nix-oracle.ts";

const debianRegistry = "/usr/share/cargo/registry";
const needDebian =
  existsSync(debianRegistry) && existsSync("/usr/bin/cargo") ? false : "no Debian cargo and crate sources";

function project(deps: string, config: string): string {
  const dir = tempDir("dir-proj");
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, ".cargo"));
  writeFileSync(
    join(dir, "Cargo.toml"),
    `[package]\nname = "p"\nversion = "0.1.0"\nedition = "2018"\n[dependencies]\n${deps}`,
  );
  writeFileSync(join(dir, "src/lib.rs"), "");
  writeFileSync(join(dir, ".cargo/config.toml"), config);
  return dir;
}

test("Debian's /usr/share/cargo/registry as a directory source, with the lock Cargo writes for it", {
  skip: needDebian,
}, async () => {
  const dir = project(
    'serde = { version = "1", features = ["derive"] }\nbumpalo = "3"\nautocfg = "1"\n',
    `[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "${debianRegistry}"\n`,
  );
  // Debian's own cargo writes the lock: the oracle for what checksums a directory source yields.
  const env = { ...process.env, CARGO_HOME: tempDir("dir-home") };
  execFileSync("/usr/bin/cargo", ["generate-lockfile", "--offline"], { cwd: dir, env, stdio: "pipe" });
  const pkgs = lockedRemote(dir);
  assert.ok(pkgs.length >= 7, `${pkgs.length} packages`);
  // Debian lists no real checksum for some crates; Cargo copies the text into Cargo.lock, and so must we accept it.
  assert.ok(pkgs.some((p) => p.checksum === "Could not get crate checksum"));
  const sources = openSources({
    config: loadConfig(dir, { env }),
    lockfileDir: dir,
    cacheDir: tempDir("c"),
    quiet: true,
  });
  for (const p of pkgs) {
    const f = await sources.fetch(p);
    const pkgDir = join(debianRegistry, `${p.name}-${p.version}`);
    assert.equal(f.manifestPath, join(pkgDir, "Cargo.toml"));
    assert.equal(f.manifestText, readFileSync(f.manifestPath, "utf8"));
    assert.ok(f.files.includes("Cargo.toml") && !f.files.includes(".cargo-checksum.json"));
    assert.equal(f.nix.kind, "path");
    assert.equal(f.nix.kind === "path" && f.nix.path, pkgDir);
    if (!needNix && f.nix.kind === "path") {
      assert.equal(f.nix.narHash, nixFilteredTreeHash(pkgDir), p.name);
    }
  }
});

test("a `cargo vendor` directory: file checksums are checked, the package checksum must match", {
  skip: needCargo || needRegistry,
}, async () => {
  const dir = project(
    'itoa = "1"\nautocfg = "1"\n',
    `[source.crates-io]\nreplace-with = "reg"\n[source.reg]\nlocal-registry = "${registryDir}"\n[net]\noffline = true\n`,
  );
  const env = { ...rustupEnv, CARGO_HOME: tempDir("dir-home") };
  execFileSync("cargo", ["generate-lockfile", "--offline"], { cwd: dir, env, stdio: "pipe" });
  execFileSync("cargo", ["vendor", "--offline", "--respect-source-config", "vendor"], {
    cwd: dir,
    env,
    stdio: "pipe",
  });
  writeFileSync(
    join(dir, ".cargo/config.toml"),
    '[source.crates-io]\nreplace-with = "vendored-sources"\n[source.vendored-sources]\ndirectory = "vendor"\n',
  );
  // Cargo itself accepts the vendored tree (the oracle for the layout we read).
  execFileSync("cargo", ["metadata", "--format-version", "1", "--offline"], { cwd: dir, env, stdio: "pipe" });
  // A directory named neither NAME nor NAME-VERSION is still found by its manifest.
  const itoaDir = existsSync(join(dir, "vendor/itoa")) ? "itoa" : "itoa-1.0.1";
  renameSync(join(dir, "vendor", itoaDir), join(dir, "vendor/renamed"));
  const pkgs = lockedRemote(dir);
  const open = () =>
    openSources({ config: loadConfig(dir, { env }), lockfileDir: dir, cacheDir: tempDir("c"), quiet: true });
  const itoa = pkgs.find((p) => p.name === "itoa")!;
  const f = await open().fetch(itoa);
  assert.equal(f.manifestPath, join(dir, "vendor/renamed/Cargo.toml"));
  assert.deepEqual(f.nix, { kind: "path", path: join(dir, "vendor/renamed") }, "inside the project: no hash");
  assert.ok(f.files.includes("src/lib.rs"));

  const lib = join(dir, "vendor/renamed/src/lib.rs");
  const original = readFileSync(lib);
  writeFileSync(lib, Buffer.concat([original, Buffer.from("\n// edited\n")]));
  assert.match(await rejection(open().fetch(itoa)), /itoa 1\.0\.1: the checksum of src\/lib\.rs changed/);
  writeFileSync(lib, original);
  await open().fetch(itoa);

  assert.match(
    await rejection(open().fetch({ ...itoa, checksum: "f".repeat(64) })),
    /checksum mismatch for itoa 1\.0\.1: Cargo\.lock has f{64}, but .*\.cargo-checksum\.json lists [0-9a-f]{64}/,
  );
  assert.match(
    await rejection(open().fetch({ ...itoa, checksum: null })),
    /Cargo\.lock has no checksum for itoa/,
  );
  assert.match(
    await rejection(open().fetch({ ...itoa, version: "9.0.0" })),
    /itoa 9\.0\.0 is not in the directory source/,
  );
});

test("`cargo vendor` of a git dependency: served from the vendor directory; the manifest Cargo normalised agrees with ours", {
  skip: needCargo || needRegistry,
}, async () => {
  const { url, c2 } = workspaceRepo();
  const dir = project(
    `foo = { git = "${url}", branch = "dev", features = ["serde"] }\n`,
    `[source.crates-io]\nreplace-with = "reg"\n[source.reg]\nlocal-registry = "${registryDir}"\n`,
  );
  const env = { ...rustupEnv, ...GIT_ENV, CARGO_HOME: tempDir("dir-home") };
  execFileSync("cargo", ["generate-lockfile"], { cwd: dir, env, stdio: "pipe" });
  const printed = execFileSync("cargo", ["vendor", "--respect-source-config", "vendor"], {
    cwd: dir,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Exactly the configuration `cargo vendor` tells the user to write.
  writeFileSync(join(dir, ".cargo/config.toml"), printed);
  const config = loadConfig(dir, { env });
  const pkgs = lockedRemote(dir);
  const foo = pkgs.find((p) => p.name === "foo")!;
  assert.equal(foo.source, `git+${url}?branch=dev#${c2}`);
  const sources = openSources({ config, lockfileDir: dir, cacheDir: tempDir("c"), quiet: true });
  for (const p of pkgs) {
    const f = await sources.fetch(p);
    assert.equal(dirname(dirname(f.manifestPath)), join(dir, "vendor"), p.name);
    assert.equal(f.nix.kind, "path");
  }
  // Our git checkout of the same package, inheritance written out, reads like Cargo's normalised copy.
  const ours = await openSources({
    config: cargoConfig(),
    lockfileDir: dir,
    cacheDir: tempDir("c"),
    quiet: true,
  }).fetch(foo);
  const vendored = await sources.fetch(foo);
  const read = (f: { manifestText: string; manifestPath: string; files: string[] }) =>
    toPackage(parseManifest(f.manifestText, f.manifestPath), { source: foo.source!, files: f.files });
  const a = read(ours);
  const b = read(vendored);
  const deps = (pkg: typeof a) =>
    pkg.dependencies.map((d) => ({
      ...d,
      source: d.source.kind === "path" ? basename(d.source.path) : d.source,
    }));
  assert.deepEqual(deps(a), deps(b));
  for (const k of ["name", "version", "edition", "license", "readme", "features"] as const)
    assert.deepEqual(a[k], b[k], k);
});
