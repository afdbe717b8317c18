/** Cargo's package id specifications (`cargo help pkgid`), as `-p` and `[profile.X.package.<spec>]` use them. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { packageSpecMatches } from "../../src/cargo/package-spec.ts";

const crate = {
  name: "itoa",
  version: "1.0.1",
  source: "registry+https://github.com/rust-lang/crates.io-index",
};
const member = { name: "helper", version: "0.1.0", source: "path+file:///ws/helper" };

test("name, name@version, name:version, partial versions", () => {
  for (const spec of ["itoa", "itoa@1.0.1", "itoa:1.0.1", "itoa@1", "itoa@1.0"])
    assert.ok(packageSpecMatches(spec, crate), spec);
  for (const spec of ["itoa@1.0.10", "itoa@2", "ito", "itoa@1.0.1-pre"])
    assert.ok(!packageSpecMatches(spec, crate), spec);
});

test("URL forms name the package's source", () => {
  for (const spec of [
    "https://github.com/rust-lang/crates.io-index#itoa",
    "https://github.com/rust-lang/crates.io-index#itoa@1.0.1",
    "registry+https://github.com/rust-lang/crates.io-index#itoa@1",
    "file:///ws/helper",
    "path+file:///ws/helper#0.1.0",
  ])
    assert.ok(packageSpecMatches(spec, spec.includes("itoa") ? crate : member), spec);
  assert.ok(!packageSpecMatches("https://example.com/other-index#itoa", crate));
  assert.ok(!packageSpecMatches("file:///ws/other#helper", member));
});
