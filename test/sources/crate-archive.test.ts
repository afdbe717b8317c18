import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { readCrateArchive, sortPaths } from "../../src/sources/crate-archive.ts";
import { makeCrate } from "./crate-server.ts";

async function tarGz(
  entries: { name: string; body?: string; type?: "directory" | "symlink"; linkname?: string }[],
) {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => p.on("end", () => resolve()));
  for (const e of entries) {
    if (e.type === "directory") p.entry({ name: e.name, type: "directory" });
    else if (e.type === "symlink") p.entry({ name: e.name, type: "symlink", linkname: e.linkname });
    else p.entry({ name: e.name }, e.body ?? "");
  }
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

test("files are relative to the package root, byte-sorted, directories left out, symlinks kept", async () => {
  const bytes = await tarGz([
    { name: "x-1.0.0/", type: "directory" },
    { name: "x-1.0.0/src/", type: "directory" },
    { name: "x-1.0.0/src/lib.rs", body: "" },
    { name: "x-1.0.0/Cargo.toml", body: '[package]\nname = "x"\n' },
    { name: "x-1.0.0/README", type: "symlink", linkname: "src/lib.rs" },
    { name: "x-1.0.0/build.rs", body: "fn main() {}" },
  ]);
  const c = await readCrateArchive(bytes, "x", "1.0.0", "x.crate");
  assert.equal(c.manifestText, '[package]\nname = "x"\n');
  assert.deepEqual(c.files, ["Cargo.toml", "README", "build.rs", "src/lib.rs"]);
  assert.deepEqual(sortPaths(["b", "a/b", "B", "a", "é", "z"]), ["B", "a", "a/b", "b", "z", "é"]);
});

test("broken archives are user errors naming the archive", async () => {
  await assert.rejects(
    readCrateArchive(Buffer.from("plain text"), "x", "1.0.0", "x.crate"),
    /x\.crate is not a gzip archive/,
  );
  const outside = await tarGz([
    { name: "x-1.0.0/Cargo.toml", body: "" },
    { name: "y-1.0.0/evil.rs", body: "" },
  ]);
  await assert.rejects(
    readCrateArchive(outside, "x", "1.0.0", "x.crate"),
    /entry y-1\.0\.0\/evil\.rs is outside x-1\.0\.0\//,
  );
  const noManifest = await makeCrate("x", "1.0.0", { "src/lib.rs": "" });
  await assert.rejects(
    readCrateArchive(noManifest, "x", "1.0.0", "x.crate"),
    /x\.crate has no x-1\.0\.0\/Cargo\.toml/,
  );
  // A crate of another version under the expected name.
  const other = await makeCrate("x", "2.0.0", { "Cargo.toml": "" });
  await assert.rejects(readCrateArchive(other, "x", "1.0.0", "x.crate"), /outside x-1\.0\.0\//);
});
