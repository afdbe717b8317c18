# The run of a compiled build script (builder: run-build-script.sh), in its own derivation, with Cargo's
# environment: CARGO_FEATURE_*, CARGO_CFG_* of the target (`rustc --print cfg`, from compiler-info.nix),
# OUT_DIR, TARGET, HOST, PROFILE, OPT_LEVEL, DEBUG, NUM_JOBS, RUSTC, CARGO_ENCODED_RUSTFLAGS, CARGO_PKG_*,
# CARGO_MANIFEST_LINKS, and DEP_<LINKS>_<KEY> from the direct dependencies' build scripts. A script
# overridden by `[target.<triple>.<links>]` in .cargo/config.toml is not run: the data's instructions are
# its output.
# Output: $out/out (OUT_DIR) and $out/nix-support/{rustc-args,rustc-env,link-search,link-args,metadata,
# output}: the `cargo:` instructions, parsed, for the package's compiles.
let mkDerivation = import ./derivation.nix; unitName = import ./unit-name.nix; in
{ system, tools, toolEnv, unit, pkg, pkgEnv, src
, buildScript  # derivation of the compiled build script; null when the config overrides it
, compilerInfo # compiler-info.nix's derivation for the toolchain and the unit's target
, linksDeps    # [ { links; run = <derivation>; } ] the direct dependencies' build-script runs
, override
}:
let
  release = unit.profile.name == "release" || unit.profile.name == "bench";
in
mkDerivation (pkgEnv // {
  name = unitName pkg unit "-build-script-run";
  inherit system src compilerInfo;
  buildScript = if buildScript == null then "" else buildScript;
  buildScriptOutput = unit.buildScriptOutput or "";
  builder = "${tools.bash}/bin/bash";
  args = [ "-e" ./run-build-script.sh ];
  inherit (toolEnv) PATH PKG_CONFIG_PATH rustc;
  features = builtins.concatStringsSep "\n" unit.features;
  target = if unit.target == null then "" else unit.target;
  links = if pkg.links == null then "" else pkg.links;
  linksDeps = builtins.concatStringsSep "\n" (map (d: "${d.links}=${d.run}") linksDeps);
  rustflags = builtins.concatStringsSep "\n" unit.rustflags;
  optLevel = unit.profile.optLevel;
  debuginfo = unit.profile.debuginfo;
  debugAssertions = if unit.profile.debugAssertions then "true" else "false";
  profileDir = if release then "release" else "debug";
  pkgName = pkg.name;
  pkgVersion = pkg.version;
} // toolEnv.env // override.env)
