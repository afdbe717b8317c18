/**
 * A failed build script is reported as Cargo reports it: one line naming the package, then what the
 * script printed on stdout and stderr (nix/run-build-script.sh). The fixture
 * test/fixtures/nix/build-script-failure's script prints a line on each and exits 3, as a -sys crate's
 * does when its C library is missing; `nix build` of the flake `crateflake init` writes must show the
 * same lines as `cargo build --release`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, rustupEnv, tempDir } from "../support/env.ts";
import { copyDir, nix, overrideInputs } from "./support.ts";

/** The lines of the failure report that do not name a path (Cargo's target dir, the Nix store). */
function report(log: string): string[] {
  const at = log.indexOf("error: failed to run custom build command");
  assert.ok(at >= 0, log.slice(-3000));
  return log
    .slice(at)
    .split("\n")
    .map((l) =>
      l
        .replace(/^.*> /, "")
        .replace(/`\/\S+`/g, "`PATH`")
        .replace(/ \(\/[^)]*\)`/, "`"),
    )
    .filter((l) => /^(error|Caused by|  )/.test(l) && !/note:/.test(l))
    .slice(0, 8);
}

test("a failed build script's stdout and stderr are in the Nix log, as Cargo prints them", {
  skip: needNix || needCargo,
  timeout: 10 * 60_000,
}, () => {
  const dir = join(tempDir("build-script-failure"), "p");
  copyDir(join(fixturesDir, "nix/build-script-failure"), dir);
  const cargo = spawnSync("cargo", ["build", "--release", "--offline", "--target-dir", join(dir, "target")], {
    cwd: dir,
    env: rustupEnv,
    encoding: "utf8",
  });
  assert.notEqual(cargo.status, 0);
  const expected = report(cargo.stderr);
  assert.deepEqual(expected.slice(0, 7), [
    "error: failed to run custom build command for `probe-lib v0.3.1`",
    "Caused by:",
    "  process didn't exit successfully: `PATH` (exit status: 3)",
    "  --- stdout",
    "  cargo:rerun-if-env-changed=PROBE_LIB_DIR",
    "  probing for libprobe in the usual places",
    "  --- stderr",
  ]);

  const init = runCli(["init", "--quiet", dir]);
  assert.equal(init.code, 0, init.stderr);
  const built = nix(
    ["build", "--no-link", "-L", `path:${dir}#packages.x86_64-linux.all`, ...overrideInputs],
    dir,
  );
  assert.notEqual(built.status, 0);
  assert.deepEqual(report(built.stderr), expected);
});
