import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/cargo/config.ts";
import { openSources } from "../../src/sources/index.ts";
import { catsSampleDir, needCargo, needRegistry, registryDir, rustupEnv, tempDir } from "../support/env.ts";
import { cargoConfig, locked, lockedRemote, rejection } from "./helpers.ts";

const skip = needRegistry;

test("the cats sample's crates come from its local-registry replacement, as Cargo sees them", {
  skip,
}, async () => {
  const ws = join(catsSampleDir(), "cats-ws");
  const config = loadConfig(ws, { env: { ...process.env, CARGO_HOME: "/root/.cargo" } });
  const sources = openSources({ config, lockfileDir: ws, cacheDir: tempDir("lr-cache"), quiet: true });
  const pkgs = lockedRemote(ws);
  assert.ok(pkgs.length > 50);
  const fetched = await Promise.all(pkgs.map((p) => sources.fetch(p)));
  for (const [i, f] of fetched.entries()) {
    const p = pkgs[i];
    const crate = join(registryDir, `${p.name}-${p.version}.crate`);
    assert.deepEqual(f.nix, { kind: "crate", url: `file://${crate}`, sha256: p.checksum });
    assert.deepEqual([...f.files].sort(), f.files, "files are sorted");
    assert.ok(f.files.includes("Cargo.toml"));
  }
  // Contents: byte-equal to what tar reads from the archive, for a few crates.
  for (const i of [0, Math.floor(pkgs.length / 2), pkgs.length - 1]) {
    const p = pkgs[i];
    const crate = join(registryDir, `${p.name}-${p.version}.crate`);
    const prefix = `${p.name}-${p.version}/`;
    const manifest = execFileSync("tar", ["-xzOf", crate, `${prefix}Cargo.toml`], { encoding: "utf8" });
    assert.equal(fetched[i].manifestText, manifest);
    const listed = execFileSync("tar", ["-tzf", crate], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l && !l.endsWith("/"))
      .map((l) => l.slice(prefix.length))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(fetched[i].files, listed);
  }
});

test("manifest paths are where Cargo unpacks the crates (cargo metadata)", {
  skip: skip || needCargo,
}, async () => {
  const ws = join(catsSampleDir(), "cats-ws");
  const out = execFileSync("cargo", ["metadata", "--format-version", "1", "--offline"], {
    cwd: ws,
    encoding: "utf8",
    env: rustupEnv,
    maxBuffer: 64 << 20,
  });
  const meta = JSON.parse(out) as { packages: { name: string; version: string; manifest_path: string }[] };
  const config = loadConfig(ws, { env: rustupEnv });
  const sources = openSources({ config, lockfileDir: ws, cacheDir: tempDir("lr-cache"), quiet: true });
  let compared = 0;
  for (const p of lockedRemote(ws)) {
    const m = meta.packages.find((x) => x.name === p.name && x.version === p.version);
    if (!m) continue; // cargo metadata leaves out packages no feature set reaches
    assert.equal((await sources.fetch(p)).manifestPath, m.manifest_path);
    compared++;
  }
  assert.ok(compared > 50, `compared ${compared}`);
});

test("a local registry checks Cargo.lock's checksum and says what is missing", { skip }, async () => {
  const config = cargoConfig({
    sources: { "crates-io": { replaceWith: "offline" }, offline: { localRegistry: registryDir } },
  });
  const sources = openSources({
    config,
    lockfileDir: tempDir("lr"),
    cacheDir: tempDir("lr-cache"),
    quiet: true,
  });
  const src = "registry+https://github.com/rust-lang/crates.io-index";
  const wrong = "0".repeat(64);
  const msg = await rejection(sources.fetch(locked("autocfg", "1.1.0", src, wrong)));
  assert.match(msg, /checksum mismatch for autocfg 1\.1\.0/);
  assert.ok(msg.includes(wrong) && msg.includes(join(registryDir, "autocfg-1.1.0.crate")), msg);
  assert.match(msg, /[0-9a-f]{64}, but .* has [0-9a-f]{64}/);

  assert.match(
    await rejection(sources.fetch(locked("no-such-crate", "9.9.9", src, wrong))),
    /no-such-crate 9\.9\.9 is not in the local registry/,
  );
  assert.match(
    await rejection(sources.fetch(locked("autocfg", "1.1.0", src, null))),
    /Cargo\.lock has no checksum for autocfg 1\.1\.0/,
  );
});
