/** The .crate contents cache: entries keyed by the archive's sha256, never trusted when unreadable. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sha256Hex } from "../../src/sources/checksum.ts";
import { CrateContentsCache } from "../../src/sources/contents-cache.ts";
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
