import assert from "node:assert/strict";
import { test } from "node:test";
import { replacedSource } from "../../src/sources/replacement.ts";
import { isCratesIo, parseSourceId } from "../../src/sources/source-id.ts";
import { cargoConfig } from "./helpers.ts";

const CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

test("source ids as Cargo.lock spells them", () => {
  assert.deepEqual(parseSourceId("git+https://github.com/o/r?branch=dev#0123abc"), {
    kind: "git",
    url: "https://github.com/o/r",
    reference: { branch: "dev" },
    precise: "0123abc",
  });
  assert.deepEqual(parseSourceId("git+https://github.com/o/r#0123abc").reference, { defaultBranch: true });
  assert.deepEqual(parseSourceId("git+https://x/r?tag=v1.0#c").reference, { tag: "v1.0" });
  assert.deepEqual(parseSourceId("git+https://x/r?rev=abc#c").reference, { rev: "abc" });
  assert.ok(isCratesIo(parseSourceId(CRATES_IO)));
  assert.ok(isCratesIo(parseSourceId("sparse+https://index.crates.io/")));
  assert.ok(!isCratesIo(parseSourceId("sparse+https://my.example/index/")));
  assert.throws(() => parseSourceId("svn+https://x"), /unsupported source kind `svn`/);
});

test("crates-io replaced through a chain ends at the local registry; both crates.io protocols", () => {
  const config = cargoConfig({
    sources: {
      "crates-io": { replaceWith: "mirror" },
      mirror: { replaceWith: "offline" },
      offline: { localRegistry: "/reg" },
    },
  });
  for (const id of [CRATES_IO, "sparse+https://index.crates.io/"]) {
    assert.deepEqual(replacedSource(config, id), { kind: "local-registry", path: "/reg", name: "offline" });
  }
  assert.equal(replacedSource(config, "sparse+https://other.example/").kind, "original");
});

test("a registry or git source named by URL in [source] is replaced; cargo vendor's git entries", () => {
  const config = cargoConfig({
    sources: {
      corp: { registry: "sparse+https://corp.example/index/", replaceWith: "vendored" },
      "git+https://github.com/o/r?branch=dev": {
        git: "https://github.com/o/r",
        branch: "dev",
        replaceWith: "vendored",
      },
      vendored: { directory: "/v" },
    },
  });
  assert.deepEqual(replacedSource(config, "sparse+https://corp.example/index/"), {
    kind: "directory",
    path: "/v",
    name: "vendored",
  });
  assert.equal(replacedSource(config, "git+https://github.com/o/r?branch=dev#abc").kind, "directory");
  // Another branch of the same repository is another source.
  assert.equal(replacedSource(config, "git+https://github.com/o/r?branch=main#abc").kind, "original");
});

test("crates-io replaced by another registry URL downloads from that registry", () => {
  const config = cargoConfig({
    sources: { "crates-io": { replaceWith: "m" }, m: { registry: "sparse+https://mirror.example/" } },
  });
  const r = replacedSource(config, CRATES_IO);
  assert.equal(r.kind, "original");
  assert.deepEqual(r.kind === "original" && r.id, { kind: "sparse", url: "https://mirror.example/" });
});

test("replacement cycles and unknown names are user errors", () => {
  const cyc = cargoConfig({
    sources: { "crates-io": { replaceWith: "a" }, a: { replaceWith: "b" }, b: { replaceWith: "a" } },
  });
  assert.throws(() => replacedSource(cyc, CRATES_IO), /source replacement cycle: crates-io -> a -> b -> a/);
  const unknown = cargoConfig({ sources: { "crates-io": { replaceWith: "nowhere" } } });
  assert.throws(() => replacedSource(unknown, CRATES_IO), /`replace-with` names unknown source `nowhere`/);
});
