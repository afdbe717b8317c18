import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../../src/cargo/config.ts";
import { cargoRegistryDirName } from "../../src/sources/cargo-dirs.ts";
import { sha256Hex } from "../../src/sources/checksum.ts";
import { cratesIoDownloadUrl, expandDlTemplate, indexPrefix } from "../../src/sources/dl-template.ts";
import { openSources } from "../../src/sources/index.ts";
import { needCargo, needRegistry, registryDir, rustupEnv, tempDir } from "../support/env.ts";
import { type CrateServer, makeCrate, manifest, startCrateServer } from "./crate-server.ts";
import { git } from "./git-fixtures.ts";
import { cargoConfig, locked, lockedRemote, rejection } from "./helpers.ts";

let server: CrateServer;
let source: string;
const crates = new Map<string, { bytes: Buffer; sha256: string }>();

before(async () => {
  server = await startCrateServer((base) => `${base}/dl/{crate}/{version}/download`);
  source = `sparse+${server.url}/index/`;
  for (const name of ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"]) {
    const bytes = await makeCrate(name, "1.0.0", {
      "Cargo.toml": manifest(name, "1.0.0"),
      "src/lib.rs": `pub const NAME: &str = "${name}";\n`,
      "src/bin/tool.rs": "fn main() {}\n",
      "README.md": "hi\n",
    });
    crates.set(name, { bytes, sha256: sha256Hex(bytes) });
    server.files.set(`/dl/${name}/1.0.0/download`, bytes);
  }
});
after(() => server.close());

const pkg = (name: string) => locked(name, "1.0.0", source, crates.get(name)!.sha256);
const dlPath = (name: string) => `/dl/${name}/1.0.0/download`;
const open = (cacheDir: string, extra: Record<string, unknown> = {}) => {
  const config = cargoConfig();
  return {
    config,
    sources: openSources({
      config,
      lockfileDir: tempDir("dl"),
      cacheDir,
      quiet: true,
      backoffMs: 5,
      ...extra,
    }),
  };
};
const countOf = (path: string) => server.requests.filter((r) => r === path).length;

test("a sparse registry download is verified, read in memory and cached; the second run asks nothing", async () => {
  const cacheDir = tempDir("dl-cache");
  const { config, sources } = open(cacheDir);
  const f = await sources.fetch(pkg("alpha"));
  assert.equal(f.manifestText, manifest("alpha", "1.0.0"));
  assert.deepEqual(f.files, ["Cargo.toml", "README.md", "src/bin/tool.rs", "src/lib.rs"]);
  assert.deepEqual(f.nix, {
    kind: "crate",
    url: `${server.url}${dlPath("alpha")}`,
    sha256: crates.get("alpha")!.sha256,
  });
  const hostDir = cargoRegistryDirName("sparse", `${server.url}/index/`);
  assert.match(hostDir, /^127\.0\.0\.1-[0-9a-f]{16}$/);
  assert.equal(f.manifestPath, join(config.cargoHome, "registry/src", hostDir, "alpha-1.0.0/Cargo.toml"));
  assert.equal(countOf(dlPath("alpha")), 1);

  const before = server.requests.length;
  const again = await open(cacheDir).sources.fetch(pkg("alpha"));
  assert.deepEqual(again, { ...f, manifestPath: again.manifestPath });
  assert.equal(
    server.requests.length,
    before,
    `no request at all on the second run: ${server.requests.slice(before)}`,
  );
});

test("a tampered archive is refused with the crate, both hashes and the URL, and not cached", async () => {
  const cacheDir = tempDir("dl-cache");
  server.script.set(dlPath("beta"), ["tamper", "tamper", "tamper", "tamper"]);
  const msg = await rejection(open(cacheDir).sources.fetch(pkg("beta")));
  assert.match(msg, /checksum mismatch for beta 1\.0\.0/);
  assert.ok(msg.includes(crates.get("beta")!.sha256), msg);
  assert.ok(msg.includes(`${server.url}${dlPath("beta")}`), msg);
  assert.match(msg, /served [0-9a-f]{64}/);
  assert.ok(!existsSync(join(cacheDir, "crates")) || readdirSync(join(cacheDir, "crates")).length === 0);
  server.script.delete(dlPath("beta"));
});

test("a 404 is a clear error at once, without retries", async () => {
  const missing = locked("missing", "0.1.0", source, "a".repeat(64));
  const msg = await rejection(open(tempDir("dl-cache")).sources.fetch(missing));
  assert.match(
    msg,
    /GET http:\/\/127\.0\.0\.1:\d+\/dl\/missing\/0\.1\.0\/download failed: HTTP 404 \(not found\)/,
  );
  assert.equal(countOf("/dl/missing/0.1.0/download"), 1);
});

test("a connection closed mid-transfer and a 500 are retried", async () => {
  server.script.set(dlPath("gamma"), ["cut", "500"]);
  const f = await open(tempDir("dl-cache")).sources.fetch(pkg("gamma"));
  assert.equal(f.manifestText, manifest("gamma", "1.0.0"));
  assert.equal(countOf(dlPath("gamma")), 3);
});

test("when every attempt fails, the error says why and no partial file is left in the cache", async () => {
  const cacheDir = tempDir("dl-cache");
  server.script.set(dlPath("delta"), ["cut", "cut", "cut"]);
  const msg = await rejection(open(cacheDir, { attempts: 3 }).sources.fetch(pkg("delta")));
  assert.match(msg, /failed after 3 attempts/);
  assert.ok(!existsSync(join(cacheDir, "crates")) || readdirSync(join(cacheDir, "crates")).length === 0);
  // The next run downloads it whole.
  const f = await open(cacheDir).sources.fetch(pkg("delta"));
  assert.equal(f.manifestText, manifest("delta", "1.0.0"));
  assert.deepEqual(readdirSync(join(cacheDir, "crates")), [
    `delta-1.0.0-${crates.get("delta")!.sha256}.crate`,
  ]);
});

test("downloads run at most `concurrency` at a time", async () => {
  const names = ["eps", "zeta", "eta", "theta"];
  for (const n of names) server.script.set(dlPath(n), ["slow"]);
  server.maxInFlight = 0;
  const { sources } = open(tempDir("dl-cache"), { concurrency: 2 });
  await Promise.all(names.map((n) => sources.fetch(pkg(n))));
  assert.equal(server.maxInFlight, 2);
});

test("a lock entry without checksum, and offline mode without a cached crate, are errors", async () => {
  const { sources } = open(tempDir("dl-cache"));
  assert.match(
    await rejection(sources.fetch({ ...pkg("alpha"), checksum: null })),
    /no checksum for alpha 1\.0\.0/,
  );
  const config = cargoConfig({ offline: true });
  const offline = openSources({
    config,
    lockfileDir: tempDir("dl"),
    cacheDir: tempDir("dl-cache"),
    quiet: true,
  });
  assert.match(await rejection(offline.fetch(pkg("alpha"))), /offline/);
});

test("a file:// registry: config.json from the index directory, archives read from disk", async () => {
  const root = tempDir("file-reg");
  mkdirSync(join(root, "index"));
  mkdirSync(join(root, "files"));
  writeFileSync(
    join(root, "index/config.json"),
    JSON.stringify({ dl: `${pathToFileURL(root).href}/files/{crate}-{version}.crate` }),
  );
  writeFileSync(join(root, "files/alpha-1.0.0.crate"), crates.get("alpha")!.bytes);
  const src = `registry+${pathToFileURL(join(root, "index")).href}`;
  const f = await open(tempDir("dl-cache")).sources.fetch(
    locked("alpha", "1.0.0", src, crates.get("alpha")!.sha256),
  );
  assert.deepEqual(f.nix, {
    kind: "crate",
    url: `${pathToFileURL(root).href}/files/alpha-1.0.0.crate`,
    sha256: crates.get("alpha")!.sha256,
  });
  assert.equal(f.manifestText, manifest("alpha", "1.0.0"));
});

test("Cargo's own cache serves a crate before any download; another registry's archive is not used", async () => {
  const { config, sources } = open(tempDir("dl-cache"));
  const hostDir = cargoRegistryDirName("sparse", `${server.url}/index/`);
  const other = join(config.cargoHome, "registry/cache/elsewhere-0123456789abcdef");
  mkdirSync(other, { recursive: true });
  // Same name and version, different content: must be skipped by checksum.
  writeFileSync(join(other, "eta-1.0.0.crate"), crates.get("theta")!.bytes);
  const own = join(config.cargoHome, "registry/cache", hostDir);
  mkdirSync(own, { recursive: true });
  writeFileSync(join(own, "zeta-1.0.0.crate"), crates.get("zeta")!.bytes);
  const zetaBefore = countOf(dlPath("zeta"));
  const z = await sources.fetch(pkg("zeta"));
  assert.equal(z.manifestText, manifest("zeta", "1.0.0"));
  assert.equal(countOf(dlPath("zeta")), zetaBefore, "served from Cargo's cache");
  const etaBefore = countOf(dlPath("eta"));
  const e = await sources.fetch(pkg("eta"));
  assert.equal(e.manifestText, manifest("eta", "1.0.0"));
  assert.equal(countOf(dlPath("eta")), etaBefore + 1, "downloaded: the cached archive had another checksum");

  // An unpacked crate that Cargo finished (`.cargo-ok`) in this registry's src directory.
  const src = join(config.cargoHome, "registry/src", hostDir, "theta-1.0.0");
  mkdirSync(join(src, "src"), { recursive: true });
  writeFileSync(join(src, "Cargo.toml"), manifest("theta", "1.0.0"));
  writeFileSync(join(src, "src/lib.rs"), "");
  writeFileSync(join(src, ".cargo-ok"), '{"v":1}');
  const thetaBefore = countOf(dlPath("theta"));
  const t = await sources.fetch(pkg("theta"));
  assert.equal(countOf(dlPath("theta")), thetaBefore);
  assert.equal(t.manifestPath, join(src, "Cargo.toml"));
  assert.deepEqual(t.files, ["Cargo.toml", "src/lib.rs"]);
  assert.equal(t.nix.kind === "crate" && t.nix.url, `${server.url}${dlPath("theta")}`);
});

test("download URLs: crates.io's CDN, dl templates with markers, and the default suffix", () => {
  assert.equal(
    cratesIoDownloadUrl("serde", "1.0.152"),
    "https://static.crates.io/crates/serde/serde-1.0.152.crate",
  );
  assert.deepEqual(["a", "ab", "abc", "Serde"].map(indexPrefix), ["1", "2", "3/a", "Se/rd"]);
  assert.equal(
    expandDlTemplate(
      "https://r.example/{prefix}/{lowerprefix}/{crate}/{version}/{sha256-checksum}",
      "Serde",
      "1.0.0",
      "ff",
    ),
    "https://r.example/Se/rd/se/rd/Serde/1.0.0/ff",
  );
  assert.equal(
    expandDlTemplate("https://r.example/api/v1/crates/", "foo", "0.1.0", "ff"),
    "https://r.example/api/v1/crates/foo/0.1.0/download",
  );
  assert.equal(
    expandDlTemplate("https://r.example/dl", "foo", "0.1.0", "ff"),
    "https://r.example/dl/foo/0.1.0/download",
  );
});

test("crates.io packages: Cargo's sparse cache directory even for the git index id; the CDN URL", async () => {
  const config = cargoConfig({ offline: true });
  const cache = join(config.cargoHome, "registry/cache/index.crates.io-1949cf8c6b5b557f");
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, "alpha-1.0.0.crate"), crates.get("alpha")!.bytes);
  const sources = openSources({
    config,
    lockfileDir: tempDir("dl"),
    cacheDir: tempDir("dl-cache"),
    quiet: true,
  });
  for (const id of [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
  ]) {
    const f = await sources.fetch(locked("alpha", "1.0.0", id, crates.get("alpha")!.sha256));
    assert.equal(
      f.manifestPath,
      join(config.cargoHome, "registry/src/index.crates.io-1949cf8c6b5b557f/alpha-1.0.0/Cargo.toml"),
    );
    assert.deepEqual(f.nix, {
      kind: "crate",
      url: "https://static.crates.io/crates/alpha/alpha-1.0.0.crate",
      sha256: crates.get("alpha")!.sha256,
    });
  }
  const msg = await rejection(
    sources.fetch(locked("beta", "1.0.0", "sparse+https://index.crates.io/", crates.get("beta")!.sha256)),
  );
  assert.match(msg, /beta 1\.0\.0 is not downloaded and offline mode is on/);
  assert.ok(msg.includes("https://static.crates.io/crates/beta/beta-1.0.0.crate"), msg);
});

test("a git-index registry Cargo has fetched: config.json from Cargo's index clone, the archive from Cargo's cache", {
  skip: needCargo || needRegistry,
}, async () => {
  const base = tempDir("git-index");
  const index = join(base, "index");
  const files = join(base, "files");
  mkdirSync(join(index, "it/oa"), { recursive: true });
  mkdirSync(files);
  copyFileSync(join(registryDir, "index/it/oa/itoa"), join(index, "it/oa/itoa"));
  copyFileSync(join(registryDir, "itoa-1.0.1.crate"), join(files, "itoa-1.0.1.crate"));
  writeFileSync(
    join(index, "config.json"),
    JSON.stringify({ dl: `${pathToFileURL(files).href}/{crate}-{version}.crate` }),
  );
  git(index, "init", "-q", "-b", "main");
  git(index, "add", "-A");
  git(index, "commit", "-q", "-m", "index");
  const proj = join(base, "proj");
  mkdirSync(join(proj, "src"), { recursive: true });
  mkdirSync(join(proj, ".cargo"));
  writeFileSync(join(proj, "src/lib.rs"), "");
  writeFileSync(
    join(proj, "Cargo.toml"),
    '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nitoa = { version = "1", registry = "mine" }\n',
  );
  writeFileSync(
    join(proj, ".cargo/config.toml"),
    `[registries.mine]\nindex = "${pathToFileURL(index).href}"\n`,
  );
  const env = { ...rustupEnv, CARGO_HOME: tempDir("git-index-home") };
  execFileSync("cargo", ["fetch"], { cwd: proj, env, stdio: "pipe" });
  const meta = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--offline"], {
      cwd: proj,
      env,
      encoding: "utf8",
    }),
  ) as { packages: { name: string; manifest_path: string }[] };
  // Neither the index nor the files are needed any more: Cargo has both.
  rmSync(index, { recursive: true });
  rmSync(files, { recursive: true });
  const [itoa] = lockedRemote(proj);
  assert.equal(itoa.source, `registry+${pathToFileURL(index).href}`);
  const sources = openSources({
    config: loadConfig(proj, { env }),
    lockfileDir: proj,
    cacheDir: tempDir("c"),
    quiet: true,
  });
  const f = await sources.fetch(itoa);
  assert.deepEqual(f.nix, {
    kind: "crate",
    url: `${pathToFileURL(files).href}/itoa-1.0.1.crate`,
    sha256: itoa.checksum,
  });
  assert.equal(f.manifestPath, meta.packages.find((p) => p.name === "itoa")!.manifest_path);
});
