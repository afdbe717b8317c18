# What a toolchain's rustc says about itself and one target, once for all the build scripts that run for
# that target (as Cargo asks once per build): $out/version (`rustc -vV`, whose `host:` line is HOST) and
# $out/cfg (`rustc --print cfg [--target TARGET] RUSTFLAGS...`, the CARGO_CFG_* values: Cargo asks with the
# target's rustflags, so their `--cfg`s are there too). Named `compiler-info-...`,
# so it sorts before every unit (`rust-NNNN-...`, unit-name.nix) among the builds that are ready.
let mkDerivation = import ./derivation.nix; in
{ system, tools, toolEnv
, target  # a triple, or "" for the host
, rustflags ? [ ] # the units' rustflags (src/nix/data.ts)
}:
mkDerivation {
  name = "compiler-info${if target == "" then "" else "-${target}"}";
  inherit system target;
  builder = "${tools.bash}/bin/bash";
  # `; true`: no exec of the last command (see source.nix).
  args = [ "-euc" ''
    mkdir -p "$out"
    "$rustc" -vV >"$out/version"
    flags=()
    while IFS= read -r f; do [ -z "$f" ] || flags+=("$f"); done <<<"$rustflags"
    "$rustc" --print cfg ''${target:+--target "$target"} "''${flags[@]}" >"$out/cfg"; true
  '' ];
  inherit (toolEnv) PATH rustc;
  rustflags = builtins.concatStringsSep "\n" rustflags;
}
