/**
 * A build script's link arguments reach the targets Cargo gives them to (nix/run-build-script.sh records
 * them by target, compile.nix picks per unit): `rustc-link-arg` every target, `rustc-cdylib-link-arg` the
 * cdylib, `rustc-link-arg-bins` / `-bin=NAME` / `-tests` / `-examples` / `-benches` those targets only.
 * The fixture test/fixtures/nix/link-args defines one linker symbol per instruction (`--defsym`); each
 * program prints the symbols it reads, and reading one its target does not get fails to link. Compared
 * with Cargo: the `-C link-arg=` flags of every rustc call (`cargo build -v`, `cargo test --no-run -v`)
 * and the programs' output.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { useOfflineRegistry } from "../checks/support.ts";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, needRegistry, nixEnv, rustupEnv, tempDir } from "../support/env.ts";
import { copyDir, nixBuild, recordedRustcArgs, run, shellWords, unitsExpr } from "./support.ts";

/**
 * `crate-name [--test | library crate types]` → its `-C link-arg=` values, from rustc's arguments. (The
 * recorded arguments of a test compile keep the crate types that test-compile.sh drops, and Cargo gives
 * a `harness = false` test none.)
 */
function linkArgsOf(args: string[], into: Map<string, string[]>): void {
  const at = args.indexOf("--crate-name");
  const name = args[at + 1];
  if (at < 0 || name === "build_script_build") return;
  const test = args.includes("--test");
  const types = args.flatMap((a, i) => (args[i - 1] === "--crate-type" && a !== "bin" && !test ? [a] : []));
  const key = [name, ...(test ? ["--test"] : []), ...types.sort()].join(" ");
  const linkArgs = args.flatMap((a, i) => (args[i - 1] === "-C" && a.startsWith("link-arg=") ? [a] : []));
  if (into.has(key)) assert.deepEqual(linkArgs, into.get(key), `${key} compiled twice with other link args`);
  into.set(key, linkArgs);
}

/** Cargo's rustc calls (`cargo ARGS -v`), as link arguments by unit. */
function cargoLinkArgs(dir: string, target: string, into: Map<string, string[]>, args: string[]): void {
  const r = spawnSync("cargo", [...args, "-v", "--offline", "--target-dir", target], {
    cwd: dir,
    env: rustupEnv,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  for (const line of r.stderr.split("\n")) {
    const m = /^\s+Running `(.*)`$/.exec(line);
    if (m && /\/rustc /.test(m[1])) linkArgsOf(shellWords(m[1]).slice(1), into);
  }
}

test("link arguments by target kind: the same rustc flags and programs' output as Cargo", {
  skip: needNix || needCargo || needRegistry,
  timeout: 20 * 60_000,
}, () => {
  const dir = join(tempDir("link-args"), "link-args");
  copyDir(join(fixturesDir, "nix/link-args"), dir);
  useOfflineRegistry(dir);
  const target = tempDir("link-args-target");
  const cargo = new Map<string, string[]>();
  cargoLinkArgs(dir, target, cargo, ["build", "--release"]);
  cargoLinkArgs(dir, target, cargo, ["test", "--no-run"]);
  const expected = (bin: string) => run(join(target, "release", bin), []);
  const cargoBench = run(
    "cargo",
    ["bench", "-q", "--offline", "--target-dir", target, "--bench", "speed"],
    rustupEnv,
    dir,
  );
  assert.equal(cargoBench, "bench: all=1 benches=7\n");

  const init = runCli(["init", "--quiet", dir]);
  assert.equal(init.code, 0, init.stderr);
  // Every unit of the data (the output's and the test check's), with its recorded rustc arguments.
  const built = spawnSync("nix-build", ["--no-out-link", "-E", `builtins.attrValues ${unitsExpr(dir)}`], {
    env: nixEnv(),
    encoding: "utf8",
  });
  assert.equal(built.status, 0, built.stderr.slice(-4000));
  const ours = new Map<string, string[]>();
  for (const { out, args } of recordedRustcArgs(dir)) {
    // A doctest is rustdoc's call (Cargo's is not a rustc line); it passes the arguments on likewise.
    if (out.endsWith("-doctest")) continue;
    if (args.includes("--crate-name")) linkArgsOf(args, ours); // else a build-script run's instructions
  }
  assert.ok(cargo.size >= 9, [...cargo.keys()].join(", "));
  assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...cargo].sort()));
  assert.deepEqual(cargo.get("hello"), [
    "link-arg=-Wl,--defsym=la_all=1",
    "link-arg=-Wl,--defsym=la_bins=3",
    "link-arg=-Wl,--defsym=la_hello=4",
  ]);

  const app = nixBuild(dir, "link-args");
  for (const bin of ["hello", "other"]) assert.equal(run(join(app, "bin", bin), []), expected(bin));
  // The test check runs the integration test (it asserts its symbols) and the bench (`test = true`).
  const check = nixBuild(dir, "checks.x86_64-linux.test-link-args");
  const log = readFileSync(join(check, "test.log"), "utf8");
  assert.match(log, /test tests_get_their_link_args \.\.\. ok/);
  assert.ok(log.includes(cargoBench), log);
});
