# One rustc invocation (builder: compile.sh): a library, proc-macro, binary, cdylib, or the compile of a
# build script. Flags follow Cargo's (`cargo build -v`); every dependency is a derivation of its own.
# Output: $out/lib/lib<crate>-<metadata>.{rlib,so} for libraries, $out/bin/<name> for binaries and build
# scripts, $out/lib/<crate>.wasm / lib<crate>.so for cdylibs, and $out/nix-support/rustc-args; a library
# also records its direct dependencies and build-script run (nix-support/deps, build-script-run: see
# deps.sh), from which its dependents find the transitive ones at build time.
let mkDerivation = import ./derivation.nix; unitName = import ./unit-name.nix; in
{ system
, tools        # { bash, coreutils, cc, ... }
, toolEnv      # { PATH; PKG_CONFIG_PATH; rustc; env; } of the unit's toolchain and native inputs (env: darwin's SDK)
, unit         # the unit (see src/nix/data.ts)
, pkg          # its package
, pkgEnv       # its CARGO_PKG_* variables
, src          # its package's source tree
, externs      # [ "NAME=<library derivation>" ]: its direct dependencies, `--extern NAME=`, in the data's order
, buildScriptRun # derivation of the package's build-script run, or null
, override     # { nativeBuildInputs, env } from overrides.nix
, pipeline ? null # null, or in a pipelined build { part; fullLibs; } (see default.nix): part `metadata`
                  # or `full` for the two derivations of a pipelined library, `` for another unit with
                  # metadata among its externs; fullLibs: the full derivations a linking unit adds
}:
let
  has = k: builtins.elem k unit.kind;
  unitKind =
    if has "custom-build" then "build-script"
    else if has "bin" || has "example" || has "test" || has "bench" then "bin"
    else "lib";
  # Which of the build script's `rustc-link-arg*` instructions apply (run-build-script.sh), as Cargo
  # decides by target: `all` everywhere (rlibs and doctests too), `cdylib` to a cdylib unless compiled as a
  # test, `bins`/`bin=NAME` to a binary (its unit tests too), `tests`/`examples`/`benches` to integration
  # tests, runnable examples and benches.
  isTest = unit.mode == "test" || unit.mode == "doctest";
  linkArgTargets = builtins.concatStringsSep " " ([ "all" ]
    ++ (if builtins.elem "cdylib" unit.crateTypes && !isTest then [ "cdylib" ] else [ ])
    ++ (if has "bin" then [ "bins" "bin=${unit.targetName}" ] else [ ])
    ++ (if has "test" then [ "tests" ] else [ ])
    ++ (if has "example" && builtins.elem "bin" unit.crateTypes then [ "examples" ] else [ ])
    ++ (if has "bench" then [ "benches" ] else [ ]));
  # Only what a dependent can link records its dependencies: a binary's or cdylib's output keeps no
  # references to the libraries it was built from.
  dependable = unitKind == "lib" && builtins.any (t: t != "cdylib" && t != "staticlib") unit.crateTypes;
  # Builder and variables of compile-pipelined.sh and deps-pipelined.sh; none without pipelining, so that
  # those derivations stay as they are.
  pipelined = {
    args = [ "-e" ./compile-pipelined.sh ];
    compileSh = ./compile.sh;
    emit = if pipeline.part == "" then "link" else "metadata,link";
    pipelinePart = pipeline.part;
  } // (if pipeline.part == "metadata" then { name = unitName pkg unit "${suffix}-metadata"; } else { })
    // (if pipeline.fullLibs == [ ] then { } else {
      depsSh = ./deps-pipelined.sh;
      plainDepsSh = ./deps.sh;
      fullLibs = builtins.concatStringsSep "\n" (map toString pipeline.fullLibs);
    });
  suffix = if unitKind == "build-script" then "-build-script" else if unitKind == "bin" then "-bin-${unit.targetName}" else "";
in
mkDerivation (pkgEnv // {
  name = unitName pkg unit suffix;
  inherit system src unitKind linkArgTargets;
  builder = "${tools.bash}/bin/bash";
  args = [ "-e" ./compile.sh ];
  inherit (toolEnv) PATH PKG_CONFIG_PATH rustc;
  inherit (unit) crateName edition metadata;
  crateSrc = unit.src;
  crateTypes = builtins.concatStringsSep " " unit.crateTypes;
  binName = if unitKind == "build-script" then "build-script-build" else unit.targetName;
  features = builtins.concatStringsSep "\n" unit.features;
  target = if unit.target == null then "" else unit.target;
  capLints = if pkg.local then "" else "allow";
  optLevel = unit.profile.optLevel;
  debuginfo = unit.profile.debuginfo;
  debugAssertions = if unit.profile.debugAssertions then "true" else "false";
  overflowChecks = if unit.profile.overflowChecks then "true" else "false";
  panic = unit.profile.panic;
  inherit (unit) lto;
  rustflags = builtins.concatStringsSep "\n" unit.rustflags;
  codegenUnits = if unit.profile.codegenUnits == null then "" else toString unit.profile.codegenUnits;
  strip = unit.profile.strip;
  externs = builtins.concatStringsSep "\n" externs;
  depsSh = ./deps.sh;
  recordDeps = if dependable then "1" else "";
  buildScriptRun = if buildScriptRun == null then "" else buildScriptRun;
  pkgName = pkg.name;
  pkgVersion = pkg.version;
} // (if unitKind == "bin" then { CARGO_BIN_NAME = unit.targetName; } else { })
  # As Cargo: set for the packages an output or check was asked for, not for their dependencies.
  // (if unit.primary then { CARGO_PRIMARY_PACKAGE = "1"; } else { })
  // toolEnv.env // override.env
  // (if pipeline == null then { } else pipelined))
