import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { cargoRegistryDirName } from "../../src/sources/cargo-dirs.ts";
import { needCargo, needRegistry, registryDir, rustupEnv, tempDir } from "../support/env.ts";

test("Cargo's registry directory names, current and before 1.85", () => {
  // Names Cargo itself creates for crates.io, well known from every ~/.cargo.
  assert.equal(
    cargoRegistryDirName("sparse", "https://index.crates.io/"),
    "index.crates.io-1949cf8c6b5b557f",
  );
  assert.equal(
    cargoRegistryDirName("sparse", "https://index.crates.io/", true),
    "index.crates.io-6f17d22bba15001f",
  );
  assert.equal(
    cargoRegistryDirName("registry", "https://github.com/rust-lang/crates.io-index", true),
    "github.com-1ecc6299db9ec823",
  );
});

/** A local registry with two crates, at a fresh path, so the hash is not one seen before. */
function smallLocalRegistry(): string {
  const reg = join(tempDir("dirs-reg"), "my registry");
  for (const [name, version, idx] of [
    ["itoa", "1.0.1", "it/oa/itoa"],
    ["autocfg", "1.1.0", "au/to/autocfg"],
  ]) {
    mkdirSync(join(reg, "index", dirname(idx)), { recursive: true });
    copyFileSync(join(registryDir, "index", idx), join(reg, "index", idx));
    copyFileSync(join(registryDir, `${name}-${version}.crate`), join(reg, `${name}-${version}.crate`));
  }
  return reg;
}

test("the local registry's src directory is the one Cargo unpacks into (cargo metadata)", {
  skip: needCargo || needRegistry,
}, () => {
  const reg = smallLocalRegistry();
  const proj = tempDir("dirs-proj");
  mkdirSync(join(proj, "src"));
  mkdirSync(join(proj, ".cargo"));
  writeFileSync(
    join(proj, "Cargo.toml"),
    '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nautocfg = "1"\n',
  );
  writeFileSync(join(proj, "src/lib.rs"), "");
  writeFileSync(
    join(proj, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "loc"\n[source.loc]\nlocal-registry = ${JSON.stringify(reg)}\n`,
  );
  const cargoHome = tempDir("dirs-home");
  const out = execFileSync("cargo", ["metadata", "--format-version", "1", "--offline"], {
    cwd: proj,
    encoding: "utf8",
    env: { ...rustupEnv, CARGO_HOME: cargoHome },
  });
  const meta = JSON.parse(out) as { packages: { name: string; manifest_path: string }[] };
  const autocfg = meta.packages.find((p) => p.name === "autocfg")!;
  const expected = join(
    cargoHome,
    "registry/src",
    cargoRegistryDirName("local-registry", pathToFileURL(reg).href),
    "autocfg-1.1.0/Cargo.toml",
  );
  assert.equal(autocfg.manifest_path, expected);
});
