# The run of a compiled build script (builder: run-build-script.sh), in its own derivation, with Cargo's
# environment: CARGO_FEATURE_*, CARGO_CFG_* of the target (from `rustc --print cfg`), OUT_DIR, TARGET,
# HOST, PROFILE, OPT_LEVEL, DEBUG, NUM_JOBS, RUSTC, CARGO_PKG_*, CARGO_MANIFEST_LINKS, and
# DEP_<LINKS>_<KEY> from the direct dependencies' build scripts.
# Output: $out/out (OUT_DIR) and $out/nix-support/{rustc-args,rustc-env,link-search,link-args-bin,
# link-args-cdylib,metadata,output}: the `cargo:` instructions, parsed, for the package's compiles.
{ system, tools, toolchain, key, unit, pkg, src
, buildScript  # derivation of the compiled build script
, linksDeps    # [ { links; run = <derivation>; } ] the direct dependencies' build-script runs
, override
}:
let
  paths = [ tools.coreutils tools.bash tools.cc toolchain ] ++ override.nativeBuildInputs;
  pkgEnv = builtins.listToAttrs (map (k: { name = "CARGO_PKG_${k}"; value = pkg.env.${k}; }) (builtins.attrNames pkg.env));
  release = unit.profile.name == "release" || unit.profile.name == "bench";
in
derivation (pkgEnv // {
  name = "rust-${pkg.name}-${pkg.version}-build-script-run";
  inherit system src buildScript;
  builder = "${tools.bash}/bin/bash";
  args = [ "-e" ./run-build-script.sh ];
  PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") paths);
  PKG_CONFIG_PATH = builtins.concatStringsSep ":" (map (p: "${p.dev or p}/lib/pkgconfig:${p}/lib/pkgconfig") override.nativeBuildInputs);
  rustc = "${toolchain}/bin/rustc";
  crateKey = key;
  features = builtins.concatStringsSep "\n" unit.features;
  target = if unit.target == null then "" else unit.target;
  links = if pkg.links == null then "" else pkg.links;
  linksDeps = builtins.concatStringsSep "\n" (map (d: "${d.links}=${d.run}") linksDeps);
  optLevel = unit.profile.optLevel;
  debuginfo = unit.profile.debuginfo;
  debugAssertions = if unit.profile.debugAssertions then "true" else "false";
  profileDir = if release then "release" else "debug";
  pkgName = pkg.name;
  pkgVersion = pkg.version;
} // override.env)
