# One rustc invocation (builder: compile.sh): a library, proc-macro, binary, cdylib, or the compile of a
# build script. Flags follow Cargo's (`cargo build -v`); every dependency is a derivation of its own.
# Output: $out/lib/lib<crate>-<metadata>.{rlib,so} for libraries, $out/bin/<name> for binaries and build
# scripts, $out/lib/<crate>.wasm / lib<crate>.so for cdylibs, and $out/nix-support/rustc-args.
{ system
, tools        # { bash, coreutils, cc, ... }
, toolchain    # derivation with bin/rustc
, key          # the unit's key in the data
, unit         # the unit (see src/nix/data.ts)
, pkg          # its package
, src          # its package's source tree
, externs      # [ { name; prefix = "<drv>/lib/lib<crate>-<metadata>"; } ]
, closure      # every library derivation the unit depends on, transitively
, buildScriptRun # derivation of the package's build-script run, or null
, linkRuns     # build-script runs of the unit and its closure (their rustc-link-search paths)
, override     # { nativeBuildInputs, env } from overrides.nix
}:
let
  has = k: builtins.elem k unit.kind;
  unitKind =
    if has "custom-build" then "build-script"
    else if has "bin" || has "example" || has "test" || has "bench" then "bin"
    else "lib";
  linking =
    if unitKind == "bin" then "bin"
    else if builtins.elem "cdylib" unit.crateTypes then "cdylib"
    else "";
  suffix = if unitKind == "build-script" then "-build-script" else if unitKind == "bin" then "-bin-${unit.targetName}" else "";
  paths = [ tools.coreutils tools.bash tools.cc toolchain ] ++ override.nativeBuildInputs;
  pkgEnv = builtins.listToAttrs (map (k: { name = "CARGO_PKG_${k}"; value = pkg.env.${k}; }) (builtins.attrNames pkg.env));
in
derivation (pkgEnv // {
  name = "rust-${pkg.name}-${pkg.version}${suffix}";
  inherit system src unitKind linking;
  builder = "${tools.bash}/bin/bash";
  args = [ "-e" ./compile.sh ];
  PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") paths);
  PKG_CONFIG_PATH = builtins.concatStringsSep ":" (map (p: "${p.dev or p}/lib/pkgconfig:${p}/lib/pkgconfig") override.nativeBuildInputs);
  rustc = "${toolchain}/bin/rustc";
  crateKey = key;
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
  lto = unit.profile.lto;
  codegenUnits = if unit.profile.codegenUnits == null then "" else toString unit.profile.codegenUnits;
  externs = builtins.concatStringsSep "\n" (map (e: "${e.name}=${e.prefix}") externs);
  closure = builtins.concatStringsSep " " (map toString closure);
  buildScriptRun = if buildScriptRun == null then "" else buildScriptRun;
  linkRuns = builtins.concatStringsSep " " (map toString linkRuns);
  pkgName = pkg.name;
  pkgVersion = pkg.version;
  CARGO_CRATE_NAME = unit.crateName;
  CARGO_MANIFEST_DIR = src;
  CARGO_MANIFEST_PATH = "${src}/Cargo.toml";
} // (if unitKind == "bin" then { CARGO_BIN_NAME = unit.targetName; } else { })
  // override.env)
