/** The .crate contents cache: entries keyed by the archive's sha256, never trusted when unreadable. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sha256Hex } from "../../src/sources/checksum.ts";
import { archiveStamp, CrateContentsCache } from "../../src/sources/contents-cache.ts";
import { makeCrate } from "./crate-server.ts";

const entryDir = (cacheDir: string) => join(cacheDir, "crate-contents", "v1");

test("the first read stores the contents; later reads come from the entry, not the archive", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "crateflake-contents-"));
  const bytes = await makeCrate("x", "1.0.0", { "Cargo.toml": '[package]\nname = "x"\n', "src/lib.rs": "" });
  const sha = sha256Hex(bytes);
  const cache = new CrateContentsCache(cacheDir);
  const first = await cache.read(bytes, "x", "1.0.0", sha, "x.crate");
  assert.deepEqual(first.files, ["Cargo.toml", "src/lib.rs"]);
  assert.deepEqual(readdirSync(entryDir(cacheDir)), [`x-1.0.0-${sha}.json`]);
  // Bytes that are no archive at all: only the entry can answer.
  const again = await new CrateContentsCache(cacheDir).read(
    Buffer.from("not gzip"),
    "x",
    "1.0.0",
    sha,
    "x.crate",
  );
  assert.deepEqual(again, first);
});

test("another sha256 is another entry; a corrupt entry is read past and rewritten", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "crateflake-contents-"));
  const cache = new CrateContentsCache(cacheDir);
  const a = await makeCrate("x", "1.0.0", { "Cargo.toml": "# a\n" });
  const b = await makeCrate("x", "1.0.0", { "Cargo.toml": "# b\n", "build.rs": "" });
  assert.equal((await cache.read(a, "x", "1.0.0", sha256Hex(a), "a")).manifestText, "# a\n");
  assert.equal((await cache.read(b, "x", "1.0.0", sha256Hex(b), "b")).manifestText, "# b\n");
  const entry = join(entryDir(cacheDir), `x-1.0.0-${sha256Hex(b)}.json`);
  writeFileSync(entry, '{"manifestText": 1');
  assert.deepEqual((await cache.read(b, "x", "1.0.0", sha256Hex(b), "b")).files, ["Cargo.toml", "build.rs"]);
  assert.equal(JSON.parse(readFileSync(entry, "utf8")).manifestText, "# b\n");
});

test("without a cache directory, or with one that cannot be written, the archive is read", async () => {
  const bytes = await makeCrate("y", "0.1.0", { "Cargo.toml": "# y\n" });
  assert.equal(
    (await new CrateContentsCache(null).read(bytes, "y", "0.1.0", sha256Hex(bytes), "y")).manifestText,
    "# y\n",
  );
  const file = join(mkdtempSync(join(tmpdir(), "crateflake-contents-")), "a-file");
  writeFileSync(file, "");
  const c = await new CrateContentsCache(file).read(bytes, "y", "0.1.0", sha256Hex(bytes), "y");
  assert.equal(c.manifestText, "# y\n");
});

test("a verified archive is trusted by its stamp, until the file is written again", async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "crateflake-contents-"));
  const file = join(cacheDir, "z-1.0.0.crate");
  const bytes = await makeCrate("z", "1.0.0", { "Cargo.toml": "# z\n" });
  writeFileSync(file, bytes);
  assert.equal(archiveStamp(file), null, "just written: its timestamps may not show another write yet");
  const later = Date.now() + 10_000;
  const sha = sha256Hex(bytes);
  const cache = new CrateContentsCache(cacheDir);
  const archive = { path: file, stamp: archiveStamp(file, later)! };
  assert.equal(cache.verified(archive, "z", "1.0.0", sha), null, "never verified yet");
  await cache.read(bytes, "z", "1.0.0", sha, file, archive);
  assert.equal(cache.verified(archive, "z", "1.0.0", sha)?.manifestText, "# z\n");
  // Another path, or another stamp (the file written again): verify again.
  assert.equal(cache.verified({ ...archive, path: `${file}.copy` }, "z", "1.0.0", sha), null);
  const rewritten = { path: file, stamp: `${archive.stamp}1` };
  assert.equal(cache.verified(rewritten, "z", "1.0.0", sha), null);
  // Read and verified again: the entry now holds the new stamp.
  await cache.read(bytes, "z", "1.0.0", sha, file, rewritten);
  assert.equal(cache.verified(rewritten, "z", "1.0.0", sha)?.manifestText, "# z\n");
  assert.equal(cache.verified(archive, "z", "1.0.0", sha), null);
  assert.equal(archiveStamp(join(cacheDir, "missing.crate"), later), null);
});

test("writing a file changes its stamp", { skip: process.platform !== "linux" }, async () => {
  const file = join(mkdtempSync(join(tmpdir(), "crateflake-contents-")), "w.crate");
  writeFileSync(file, "a");
  const later = Date.now() + 10_000;
  const before = archiveStamp(file, later);
  await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, "b");
  assert.notEqual(archiveStamp(file, later), before);
});
