# What a toolchain's rustc says about itself and one target, once for all the build scripts that run for
# that target (as Cargo asks once per build): $out/version (`rustc -vV`, whose `host:` line is HOST) and
# $out/cfg (`rustc --print cfg [--target TARGET]`, the CARGO_CFG_* values). Named `compiler-info-...`,
# so it sorts before every unit (`rust-NNNN-...`, unit-name.nix) among the builds that are ready.
let mkDerivation = import ./derivation.nix; in
{ system, tools, toolEnv
, target  # a triple, or "" for the host
}:
mkDerivation {
  name = "compiler-info${if target == "" then "" else "-${target}"}";
  inherit system target;
  builder = "${tools.bash}/bin/bash";
  # `; true`: no exec of the last command (see source.nix).
  args = [ "-euc" ''
    mkdir -p "$out"
    "$rustc" -vV >"$out/version"
    "$rustc" --print cfg ''${target:+--target "$target"} >"$out/cfg"; true
  '' ];
  inherit (toolEnv) PATH rustc;
}
