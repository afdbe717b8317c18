/**
 * macOS units, evaluated (never built: this machine cannot) for aarch64-darwin with the stand-in nixpkgs,
 * which has empty trees in the layout of nixpkgs' `apple-sdk`, `darwin.libiconv` and the older
 * `darwin.apple_sdk` (test/stand-in/nixpkgs). What nix/darwin.nix gives a darwin unit, read from the
 * instantiated derivations:
 * - the cats sample: every unit has SDKROOT and DEVELOPER_DIR of apple-sdk and libiconv on LIBRARY_PATH,
 *   and so does the dev shell; its Linux units have none of them;
 * - a crate whose build script prints `cargo:rustc-link-lib=framework=Security`, named as the common one
 *   (security-framework-sys): with apple-sdk it needs nothing more (the SDK has the frameworks); with the
 *   older SDK (apple-sdk absent) SDKROOT is its MacOSX-SDK and that crate's units get the frameworks' -F
 *   and -iframework flags with the wrapper variables that make the cc-wrapper read them, the others not.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { catsSampleDir, needNix, needRegistry, tempDir } from "../support/env.ts";
import { copyDir, nix, overrideInputs } from "./support.ts";

const skip = needNix || needRegistry;
const SYSTEM = "aarch64-darwin";

interface Drv {
  env: Record<string, string>;
}

/** The derivations of `attr`'s closure (instantiated, not built), by name. */
function closure(dir: string, attr: string): Map<string, Drv> {
  const drv = nix(["eval", "--raw", `path:${dir}#${attr}.drvPath`, ...overrideInputs], dir);
  assert.equal(drv.status, 0, drv.stderr.slice(-4000));
  const show = nix(["show-derivation", "-r", drv.stdout], dir);
  assert.equal(show.status, 0, show.stderr.slice(-4000));
  const drvs = Object.values(JSON.parse(show.stdout) as Record<string, Drv>);
  return new Map(drvs.map((d) => [d.env.name, d]));
}
/** crateflake's units: rustc compiles and build-script runs (`rust-NNNN-…`). */
const units = (drvs: Map<string, Drv>) => [...drvs].filter(([name]) => /^rust-\d{4}-/.test(name));
const storeName = (path: string) => path.replace(/^\/nix\/store\/[a-z0-9]{32}-/, "");

function init(dir: string): void {
  const r = runCli(["init", "--quiet", dir]);
  assert.equal(r.code, 0, r.stderr);
}

test("darwin units get apple-sdk's SDKROOT and DEVELOPER_DIR and libiconv; Linux units do not", {
  skip,
  timeout: 20 * 60_000,
}, () => {
  const dir = join(tempDir("darwin"), "cats-ws");
  copyDir(join(catsSampleDir(), "cats-ws"), dir);
  init(dir);

  const darwin = units(closure(dir, `packages.${SYSTEM}.all`));
  assert.ok(darwin.length > 10, `${darwin.length} units`);
  for (const [name, drv] of darwin) {
    assert.equal(storeName(drv.env.DEVELOPER_DIR ?? ""), "apple-sdk-standin", name);
    assert.equal(
      storeName(drv.env.SDKROOT ?? ""),
      "apple-sdk-standin/Platforms/MacOSX.platform/Developer/SDKs/MacOSX.sdk",
      name,
    );
    assert.deepEqual((drv.env.LIBRARY_PATH ?? "").split(":").map(storeName), [
      "libiconv-standin/lib",
      "libresolv-standin/lib",
    ]);
    assert.equal(drv.env.NIX_LDFLAGS, undefined, name);
  }
  const shell = closure(dir, `devShells.${SYSTEM}.default`).get("crateflake-shell");
  assert.equal(storeName(shell?.env.DEVELOPER_DIR ?? ""), "apple-sdk-standin");
  assert.match(shell?.env.LIBRARY_PATH ?? "", /libiconv-standin\/lib/);

  for (const [name, drv] of units(closure(dir, "packages.x86_64-linux.all")))
    for (const v of ["SDKROOT", "DEVELOPER_DIR", "LIBRARY_PATH"])
      assert.equal(drv.env[v], undefined, `${name} ${v}`);
});

test("a crate that links a framework: nothing more with apple-sdk, the frameworks' flags with the older SDK", {
  skip,
  timeout: 20 * 60_000,
}, () => {
  const dir = join(tempDir("darwin-fw"), "mac-app");
  const sys = join(dir, "security-framework-sys");
  mkdirSync(join(sys, "src"), { recursive: true });
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "Cargo.toml"),
    '[package]\nname = "mac-app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nsecurity-framework-sys = { path = "security-framework-sys" }\n',
  );
  writeFileSync(join(dir, "src/main.rs"), "fn main() {\n    security_framework_sys::touch();\n}\n");
  writeFileSync(
    join(sys, "Cargo.toml"),
    '[package]\nname = "security-framework-sys"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n',
  );
  writeFileSync(
    join(sys, "build.rs"),
    'fn main() {\n    if std::env::var("CARGO_CFG_TARGET_OS").unwrap() == "macos" {\n        println!("cargo:rustc-link-lib=framework=Security");\n    }\n}\n',
  );
  writeFileSync(join(sys, "src/lib.rs"), "pub fn touch() {}\n");
  writeFileSync(
    join(dir, "Cargo.lock"),
    'version = 3\n\n[[package]]\nname = "mac-app"\nversion = "0.1.0"\ndependencies = [\n "security-framework-sys",\n]\n\n[[package]]\nname = "security-framework-sys"\nversion = "0.1.0"\n',
  );
  init(dir);

  const sysUnits = (drvs: Map<string, Drv>) =>
    units(drvs).filter(([n]) => n.includes("security-framework-sys"));
  const modern = closure(dir, `packages.${SYSTEM}.mac-app`);
  // The compile of the build script, its run and the library.
  assert.equal(sysUnits(modern).length, 3);
  for (const [name, drv] of units(modern)) {
    assert.match(drv.env.SDKROOT ?? "", /apple-sdk-standin\/Platforms\/MacOSX\.platform/, name);
    assert.equal(drv.env.NIX_LDFLAGS, undefined, name);
  }

  // Older nixpkgs: no apple-sdk (the user's flake.nix, given an overlay that takes it away).
  const flake = join(dir, "flake.nix");
  const text = readFileSync(flake, "utf8");
  const old = text.replace(
    "overlays = [ rust-overlay.overlays.default ];",
    "overlays = [ rust-overlay.overlays.default (final: prev: { apple-sdk = null; }) ];",
  );
  assert.notEqual(old, text);
  writeFileSync(flake, old);
  const older = closure(dir, `packages.${SYSTEM}.mac-app`);
  for (const [name, drv] of units(older)) {
    assert.equal(storeName(drv.env.SDKROOT ?? ""), "MacOSX-SDK-standin", name);
    assert.equal(drv.env.DEVELOPER_DIR, undefined, name);
    assert.match(drv.env.LIBRARY_PATH ?? "", /libiconv-standin\/lib/, name);
  }
  const sysDrvs = sysUnits(older);
  assert.equal(sysDrvs.length, 3);
  for (const [name, drv] of sysDrvs) {
    assert.deepEqual(
      drv.env.NIX_LDFLAGS.split(" ").map((f) => storeName(f.replace(/^-F/, ""))),
      [
        "apple-framework-Security-standin/Library/Frameworks",
        "apple-framework-CoreFoundation-standin/Library/Frameworks",
      ],
      name,
    );
    assert.match(
      drv.env.NIX_CFLAGS_COMPILE,
      /^-iframework \/nix\/store\/\S+-apple-framework-Security-standin\/Library\/Frameworks /,
    );
    assert.equal(drv.env.NIX_BINTOOLS_WRAPPER_TARGET_HOST_arm64_apple_darwin, "1", name);
    assert.equal(drv.env.NIX_CC_WRAPPER_TARGET_HOST_arm64_apple_darwin, "1", name);
  }
  const app = units(older).filter(([n]) => n.includes("mac-app"));
  assert.ok(app.length > 0);
  for (const [name, drv] of app) assert.equal(drv.env.NIX_LDFLAGS, undefined, name);
});
