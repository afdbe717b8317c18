# The derivation name of a unit: `rust-NNNN-<package>-<version><suffix>`. NNNN is the unit's rank (see
# src/nix/data.ts): Nix starts the builds that are ready in the order of their names, so the rank puts
# units with the most work still behind them first. (Sources are `crate-...`: before every unit.)
pkg: unit: suffix:
let
  rank = toString unit.rank;
  padded = builtins.substring 0 (4 - builtins.stringLength rank) "0000" + rank;
in
"rust-${if unit ? rank then "${padded}-" else ""}${pkg.name}-${pkg.version}${suffix}"
