/**
 * `[target.<triple>.<links>]` in `.cargo/config.toml` replaces a build script (src/cargo/links-overrides.ts).
 * The fixture test/fixtures/nix/links-override: foo-sys (`links = "foo"`, on c-sys with `links = "c"`) has
 * a build script that panics; the fixture's config overrides it for x86_64-unknown-linux-gnu with a
 * link library, a cfg, an env variable and a metadata key that the program's own build script reads as
 * DEP_FOO_GREETING. Cargo's unit graph (the oracle) and the Nix-built program's output must be Cargo's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { mergeConfigs } from "../../src/cargo/config.ts";
import { UserError } from "../../src/errors.ts";
import type { UnitGraph } from "../../src/resolve/unit-graph.ts";
import { useOfflineRegistry } from "../checks/support.ts";
import { diffUnitGraphs } from "../resolve/compare.ts";
import { runCli } from "../support/cli.ts";
import {
  cargoUnitGraph,
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  rustupEnv,
  tempDir,
} from "../support/env.ts";
import { copyDir, nixBuild, run } from "./support.ts";

const host = "x86_64-unknown-linux-gnu";

test("a links override becomes the instructions its build script would print, keys sorted", () => {
  const text = `
[target.${host}]
linker = "cc"
rustflags = ["-Cfoo"]

[target.${host}.foo]
rustc-link-lib = ["foo", "static=bar"]
rustc-link-search = ["native=/opt/foo/lib"]
rustc-flags = "-L /opt/x -l y"
rustc-cfg = ["has_foo", 'foo_version="2"']
rustc-env = { FOO_DIR = "/opt/foo" }
rustc-link-arg-bins = ["-Wl,-rpath,/opt/foo/lib"]
rustc-link-arg-cdylib = ["-Wl,-soname,foo"]
include = "/opt/foo/include"

[target.'cfg(unix)'.bar]
rustc-link-lib = ["bar"]
`;
  const near = mergeConfigs([{ file: "/p/.cargo/config.toml", text }], "/home/.cargo");
  const far = mergeConfigs(
    [
      { file: "/p/.cargo/config.toml", text },
      { file: "/.cargo/config.toml", text: `[target.${host}.foo]\nrustc-link-lib = ["other"]\n` },
    ],
    "/home/.cargo",
  );
  const expected = [
    "cargo::metadata=include=/opt/foo/include",
    "cargo:rustc-cfg=has_foo",
    'cargo:rustc-cfg=foo_version="2"',
    "cargo:rustc-env=FOO_DIR=/opt/foo",
    "cargo:rustc-flags=-L /opt/x -l y",
    "cargo:rustc-link-arg-bins=-Wl,-rpath,/opt/foo/lib",
    "cargo:rustc-cdylib-link-arg=-Wl,-soname,foo",
    "cargo:rustc-link-lib=foo",
    "cargo:rustc-link-lib=static=bar",
    "cargo:rustc-link-search=native=/opt/foo/lib",
  ];
  assert.deepEqual(near.linksOverrides, { [host]: { foo: expected } });
  assert.deepEqual(far.linksOverrides, near.linksOverrides); // the nearest file's table wins
  assert.throws(
    () =>
      mergeConfigs(
        [
          {
            file: "/p/.cargo/config.toml",
            text: `[target.${host}.foo]\nrustc-link-lib = ["a"]\nwarning = "x"\n`,
          },
        ],
        "/home/.cargo",
      ),
    (e: unknown) =>
      e instanceof UserError &&
      e.file === "/p/.cargo/config.toml" &&
      e.line === 3 &&
      /`target\.x86_64-unknown-linux-gnu\.foo\.warning` is not supported in build script overrides/.test(
        e.message,
      ),
  );
});

describe("a build script overridden by .cargo/config.toml", {
  skip: needNix || needCargo || needRegistry,
}, () => {
  const dir = join(tempDir("links-override"), "override-demo");
  copyDir(join(fixturesDir, "nix/links-override"), dir);
  useOfflineRegistry(dir);
  const manifest = join(dir, "Cargo.toml");

  test("the unit graph is Cargo's: no compile of foo-sys's script, its run without dependencies but c's", () => {
    const cargo = cargoUnitGraph(manifest) as UnitGraph;
    const r = runCli(["plan", "--manifest-path", manifest]);
    assert.equal(r.code, 0, r.stderr);
    const ours = JSON.parse(r.stdout) as UnitGraph;
    assert.deepEqual(diffUnitGraphs(ours, cargo), []);
    const fooUnits = cargo.units.filter((u) => u.pkg_id.includes("foo-sys"));
    assert.deepEqual(fooUnits.map((u) => u.mode).sort(), ["build", "run-custom-build"]);
  });

  test("built by Nix, the program prints what Cargo's prints; the panicking script never runs", () => {
    const target = tempDir("links-override-target");
    run("cargo", ["build", "--release", "-q", "--offline", "--target-dir", target], rustupEnv, dir);
    const expected = run(join(target, "release/override-demo"), []);
    assert.match(expected, /greeting from foo's metadata: hello from \.cargo\/config\.toml/);
    assert.match(expected, /cfg foo_overridden set, FOO_ENV=from the config, c says 7/);

    const init = runCli(["init", "--quiet", dir]);
    assert.equal(init.code, 0, init.stderr);
    const out = nixBuild(dir, "override-demo");
    assert.equal(run(join(out, "bin/override-demo"), []), expected);
  });
});
