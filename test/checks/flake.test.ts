/**
 * The checks as a user runs them: `crateflake init` on the fixture workspace, `nix flake check` passes
 * (unit, integration and doc tests run; clippy shows its warning; docs built), the check outputs hold
 * what ran, clippy and doc reuse the output's derivations, and a failing test, a failing doctest or a
 * clippy warning under `-D warnings` fail their check with their own message in Nix's output, and
 * `nix flake check` then prints a short tail per failure ending in one line naming the check.
 * Nix inputs are the stand-ins (test/stand-in): its `rustc` is rustup's stable with rustdoc, its
 * `clippy` rustup's clippy-driver.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { FLAKE_OUTPUTS } from "../../src/nix/flake.ts";
import { nix, nixBuild } from "../e2e/flake.ts";
import { runCli } from "../support/cli.ts";
import { needNix, needRegistry, nixEnv, repoRoot } from "../support/env.ts";
import { fixtureCopy, separateCopy } from "./support.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
const needClippy = existsSync("/root/.cargo/bin/clippy-driver")
  ? false
  : "no clippy-driver in /root/.cargo/bin (the stand-in nixpkgs' clippy): rustup component add clippy";
const needRustdoc = existsSync("/root/.cargo/bin/rustdoc")
  ? false
  : "no rustdoc in /root/.cargo/bin (the stand-in nixpkgs' rustc has none)";

function init(dir: string): void {
  const r = runCli(["init", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
}
function generate(dir: string): void {
  const r = runCli(["generate", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
}
const check = (name: string) => `checks.${system}.${name}`;

describe("flake checks of a passing workspace", {
  skip: needNix || needRegistry || needClippy || needRustdoc,
}, () => {
  let dir: string;
  before(() => {
    dir = fixtureCopy("checks-flake");
    init(dir);
  });

  test("flake.nix exposes the checks and packages.doc", () => {
    const r = nix(dir, ["eval", "--json", `.#checks.${system}`, "--apply", "builtins.attrNames"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      "clippy-draw",
      "clippy-shapes",
      "doc",
      "test-draw",
      "test-shapes",
    ]);
    // default.nix (without flakes) has them too.
    const standIn = join(repoRoot, "test/stand-in/nixpkgs");
    const expr = `builtins.attrNames (import ${dir}/default.nix { pkgs = import ${standIn} { }; }).checks`;
    const d = spawnSync("nix-instantiate", ["--eval", "--json", "-E", expr], {
      env: nixEnv(),
      encoding: "utf8",
    });
    assert.equal(d.status, 0, d.stderr);
    assert.deepEqual(JSON.parse(d.stdout), JSON.parse(r.stdout));
  });

  test("clippy and doc reuse the output's derivations: every crate they compile is one .#draw builds", () => {
    /** The compile derivations (`rust-...`) in the closure of an attribute's derivation. */
    const compiles = (attr: string): string[] => {
      const drv = nix(dir, ["eval", "--raw", `.#${attr}.drvPath`]);
      assert.equal(drv.code, 0, drv.stderr);
      const q = spawnSync("nix-store", ["-qR", drv.stdout], { env: nixEnv(), encoding: "utf8" });
      assert.equal(q.status, 0, q.stderr);
      return q.stdout.split("\n").filter((p) => /-rust-[^/]*\.drv$/.test(p));
    };
    const output = new Set(compiles("draw"));
    // A check's own packages are compiled as `cargo clippy -p` / `cargo doc` compile them, with
    // CARGO_PRIMARY_PACKAGE (its bins link its lib): only its dependencies must be the output's.
    for (const [name, checked] of [
      ["clippy-draw", "draw"],
      ["clippy-shapes", "shapes"],
      ["doc", "(draw|shapes)"],
    ]) {
      const ownPackage = new RegExp(`-rust-(\\d{4}-)?${checked}-0\\.1\\.0`);
      const own = compiles(check(name)).filter(
        (p) => !/-(clippy|doc)(-bin-[^/]*)?\.drv$/.test(p) && !ownPackage.test(p),
      );
      assert.ok(own.length >= 1, `${name}: ${own.join(" ")}`); // cfg-if at least
      for (const p of own) assert.ok(output.has(p), `${name} compiles ${p}, which .#draw does not`);
    }
    // The tests' dependencies are Cargo's test profile: not the output's.
    const tests = compiles(check("test-shapes"));
    assert.ok(tests.some((p) => /-rust-(\d{4}-)?cfg-if-[^/]*\.drv$/.test(p) && !output.has(p)));
  });

  test("nix flake check passes", () => {
    const r = nix(dir, ["flake", "check"]);
    assert.equal(r.code, 0, r.stderr.slice(-4000));
  });

  test("test-shapes ran the lib's, the bin's, the integration and the doc tests", () => {
    const log = readFileSync(join(nixBuild(dir, check("test-shapes")), "test.log"), "utf8");
    for (const line of [
      "test tests::area_of_a_square ... ok",
      "test tests::reads_its_own_package_files ... ok",
      "test kind_is_rectangles ... ok",
      "test runs_the_package_binary ... ok",
      // harness = false: the program runs as it is.
      "custom harness: area checked",
      // Named from the workspace root, as Cargo names them.
      "test shapes/src/lib.rs - area (line 5) ... ok",
      // The build script's OUT_DIR file and rustc-env reach the doctest.
      "test shapes/src/lib.rs - UNIT (line 16) ... ok",
    ])
      assert.ok(log.includes(line), `${line} in:\n${log}`);
    const draw = readFileSync(join(nixBuild(dir, check("test-draw")), "test.log"), "utf8");
    assert.ok(draw.includes("test tests::prints_the_area ... ok"), draw);
  });

  test("clippy-draw shows clippy's warning and passes without -D warnings", () => {
    const log = readFileSync(join(nixBuild(dir, check("clippy-draw")), "clippy.log"), "utf8");
    assert.match(log, /warning: unneeded `return` statement/);
    assert.match(log, /clippy::needless_return/);
    const shapes = readFileSync(join(nixBuild(dir, check("clippy-shapes")), "clippy.log"), "utf8");
    assert.equal(shapes, "");
  });

  test("packages.doc: rustdoc of every member in one tree, one crate list", () => {
    const out = nixBuild(dir, "doc");
    for (const crate of ["shapes", "draw", "area"])
      assert.ok(existsSync(join(out, `share/doc/${crate}/index.html`)), crate);
    assert.ok(existsSync(join(out, "share/doc/shapes/fn.area.html")));
    // SIDES comes from the build script's OUT_DIR.
    assert.ok(existsSync(join(out, "share/doc/shapes/constant.SIDES.html")));
    const crates = readFileSync(join(out, "share/doc/crates.js"), "utf8");
    assert.match(crates, /\["area","draw","shapes"\]/);
  });
});

describe("flake checks that fail", { skip: needNix || needRegistry || needClippy || needRustdoc }, () => {
  let dir: string;
  before(() => {
    dir = fixtureCopy("checks-fail");
    writeFileSync(
      join(dir, "shapes/tests/fails.rs"),
      '#[test]\nfn area_is_wrong() {\n    assert_eq!(shapes::area(2, 2), 5, "two by two should be five");\n}\n',
    );
    const lib = join(dir, "shapes/src/lib.rs");
    writeFileSync(lib, readFileSync(lib, "utf8").replace("area(3, 4), 12", "area(3, 4), 13"));
    init(dir);
  });

  test("a failing integration test and a failing doctest fail test-shapes with their messages", () => {
    const r = nix(dir, ["build", "--no-link", "--keep-going", `.#${check("test-shapes")}`]);
    assert.notEqual(r.code, 0);
    // The tail Nix prints of the failing derivations' logs (10 lines by default) names them.
    assert.match(r.stderr, /area_is_wrong/);
    assert.match(r.stderr, /two by two should be five/);
    assert.match(r.stderr, /shapes\/src\/lib\.rs - area \(line 5\)/);
    assert.match(r.stderr, /left: 12\s*> +right: 13/);
  });

  test("a passing package still passes", () => {
    nixBuild(dir, check("test-draw"));
  });

  test('[checks] clippy-args = ["-D", "warnings"] turns clippy\'s warning into a failure', () => {
    const config = join(dir, "crateflake.toml");
    writeFileSync(config, `${readFileSync(config, "utf8")}\n[checks]\nclippy-args = ["-D", "warnings"]\n`);
    generate(dir);
    assert.match(readFileSync(join(dir, FLAKE_OUTPUTS), "utf8"), /clippyArgs = \[ "-D" "warnings" \];/);
    const r = nix(dir, ["build", "--no-link", `.#${check("clippy-draw")}`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /error: unneeded `return` statement/);
    nixBuild(dir, check("clippy-shapes"));
  });

  test("nix flake check is short and names each failing check, its failing tests and messages", () => {
    const r = nix(dir, ["flake", "check", "--keep-going"]);
    assert.notEqual(r.code, 0);
    // The last line of each failing build's log, among the 10 Nix shows: check, count, names.
    const summaries = r.stderr
      .split("\n")
      .map((l) => l.replace(/^\s*> /, ""))
      .filter((l) => /^(test|clippy)-\S+: /.test(l))
      .sort();
    assert.deepEqual(summaries, [
      "clippy-draw: clippy found 1 error(s) in draw (draw 0.1.0)",
      "test-shapes: 1 of 1 tests failed in fails (test of shapes): area_is_wrong",
      "test-shapes: 1 of 2 tests failed in the doctests of shapes: shapes/src/lib.rs - area (line 5)",
    ]);
    assert.match(r.stderr, /two by two should be five/);
    // Quiet: no passing test's line, and little besides Nix's `building` lines and the three tails.
    assert.doesNotMatch(r.stderr, /\.\.\. ok/);
    const said = r.stderr
      .split("\n")
      .filter((l) => l.trim() !== "" && !/^(building '|warning: |• |\s+'|\s+follows)/.test(l));
    assert.ok(said.length <= 45, `${said.length} lines:\n${said.join("\n")}`);
  });
});

describe("flake checks of separate packages", { skip: needNix || needRustdoc }, () => {
  test("the path dependency's unit tests and doctests run", () => {
    const dir = separateCopy();
    init(dir);
    const log = readFileSync(join(nixBuild(dir, check("test-core-math")), "test.log"), "utf8");
    assert.ok(log.includes("test tests::doubles_negative_numbers ... ok"), log);
    assert.ok(log.includes("test src/lib.rs - double (line 5) ... ok"), log);
    const tool = readFileSync(join(nixBuild(dir, check("test-tool")), "test.log"), "utf8");
    assert.ok(tool.includes("test doubles ... ok"), tool);
  });
});
