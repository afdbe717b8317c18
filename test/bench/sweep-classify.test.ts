/**
 * The sweep's verdicts (bench/sweep/classify.ts) on log lines as Cargo and Nix print them: two sides
 * that fail count as failing alike only for the same cause in the same crate.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { classify, failedCrates, outcomeOf } from "../../bench/sweep/classify.ts";

const cargoBuildScript = [
  "error: failed to run custom build command for `glib-sys v0.14.0`",
  "  error: could not find system library 'glib-2.0' required by the 'glib-sys' crate",
  "  Package glib-2.0 was not found in the pkg-config search path.",
].join("\n");
const nixBuildScript = [
  "rust>   Package glib-2.0 was not found in the pkg-config search path.",
  "error: builder for '/nix/store/fygpd8pga89x42g2my7d0mc2xmynkvai-rust-9909-glib-sys-0.14.0-build-script-run.drv' failed with exit code 1",
  "error: 1 dependencies of derivation '/nix/store/g68j6qp1ib03mp9piqi8ir5q7baz864i-rust-9545-glib-sys-0.14.0.drv' failed to build",
].join("\n");
const cargoCompile =
  "error[E0658]: use of unstable library feature\nerror: could not compile `radium` (lib) due to 4 previous errors";
const nixCompile =
  "rust> error[E0658]: use of unstable library feature\nerror: builder for '/nix/store/c5sjfbs2m8ychd3f4jljwhdddlm4krpq-rust-9380-tree-sitter-0.20.9.drv' failed with exit code 1";

test("the failing crate is read from Cargo's and Nix's own lines", () => {
  assert.deepEqual(failedCrates(cargoBuildScript), ["glib-sys"]);
  assert.deepEqual(failedCrates(nixBuildScript), ["glib-sys"]);
  assert.deepEqual(failedCrates(cargoCompile), ["radium"]);
  assert.deepEqual(failedCrates(nixCompile), ["tree-sitter"]);
  assert.deepEqual(failedCrates("error: linking with `cc` failed"), []);
});

test("both fail only for the same cause in a crate in common", () => {
  const cause = classify(cargoBuildScript);
  assert.equal(cause, "missing C library (pkg-config)");
  assert.equal(classify(nixBuildScript), cause);
  assert.equal(
    outcomeOf(false, false, cause, cause, failedCrates(cargoBuildScript), failedCrates(nixBuildScript)),
    "both fail",
  );
  // The same class of error in different crates is not the same failure.
  assert.equal(
    outcomeOf(false, false, "compile error", "compile error", ["radium"], ["tree-sitter"]),
    "both fail, causes differ",
  );
  // A log that names no crate leaves the cause to decide.
  assert.equal(outcomeOf(false, false, "link error", "link error", [], ["openssl-sys"]), "both fail");
  assert.equal(outcomeOf(true, false, "", cause), "crateflake-only failure");
  assert.equal(outcomeOf(false, false, "timeout", cause), "timed out");
});
