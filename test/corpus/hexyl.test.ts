/**
 * The corpus's fast part, in CI: hexyl (Debian's librust-hexyl-dev, 32 crates, set up by
 * scripts/corpus.sh, which scripts/setup.sh runs for it) end to end through bench/corpus/run-app.ts:
 * `crateflake init` infers one output, `nix build` of it, the program run as the one `cargo build
 * --release` makes (--version, --help, two dumps of a file: same stdout and exit status), the test check
 * against `cargo test` (same tests, same results), and an edit of src/lib.rs rebuilds only hexyl's own
 * derivations. The whole corpus runs from bench/corpus.ts.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpusApps } from "../../bench/corpus/apps.ts";
import { corpusDir, runApp } from "../../bench/corpus/run-app.ts";
import { needCargo, needNix, tempDir } from "../support/env.ts";

const hexyl = corpusApps.find((a) => a.name === "hexyl")!;
const needHexyl = existsSync(join(corpusDir(), "apps/hexyl/Cargo.lock"))
  ? false
  : `hexyl is not in the corpus at ${corpusDir()}: run scripts/setup.sh (or scripts/corpus.sh hexyl)`;

test("hexyl built by crateflake equals hexyl built by cargo", {
  skip: needNix || needCargo || needHexyl,
}, () => {
  const r = runApp(hexyl, { dir: join(tempDir("corpus"), "hexyl") });
  assert.deepEqual(r.outputs, ["hexyl"], "init infers the one binary package as the one output");
  assert.equal(r.crates, 32);
  assert.deepEqual(
    r.runs.filter((run) => !run.equal),
    [],
    "every run of crateflake's hexyl prints what cargo's prints and exits alike",
  );
  assert.equal(r.runs.length, hexyl.runs.hexyl.length);
  assert.equal(r.tests.length, 1);
  assert.ok(r.tests[0].equal, r.tests[0].diff);
  assert.ok(r.tests[0].tests >= 10 && r.tests[0].nixPassed, `${r.tests[0].tests} tests`);
  // lib, bin, the output's join and `all`; nothing of the 31 dependencies
  assert.deepEqual(r.rebuild.derivations, ["all", "hexyl", "rust-hexyl-0.8.0", "rust-hexyl-0.8.0-bin-hexyl"]);
});
