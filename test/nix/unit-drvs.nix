# The drvPath of every unit, metadata derivation, output and check of a generated flake's data, with
# the stand-ins of nixpkgs and rust-overlay (test/stand-in), evaluated by the given Nix library:
#   nix eval --impure --json --expr 'import test/nix/unit-drvs.nix { lib = DIR/.crateflake/lib; dir = DIR; }'
{ lib, dir, standIn ? ../stand-in, system ? "x86_64-linux" }:
let
  rustOverlay = (import (standIn + "/rust-overlay/flake.nix")).outputs { self = null; nixpkgs = null; };
  pkgs = import (standIn + "/nixpkgs") { inherit system; overlays = [ rustOverlay.overlays.default ]; };
  crates = import lib {
    inherit pkgs system;
    toolchains = {
      default = pkgs.rustc;
      wasm32-unknown-unknown = pkgs.rust-bin.stable.latest.default.override { targets = [ "wasm32-unknown-unknown" ]; };
    };
    data = dir + "/.crateflake/data/${system}.json";
    root = dir;
  };
  # drv and out (an attribute set with outPath would be written as that string)
  drvs = set: builtins.mapAttrs (_: v: { drv = v.drvPath; out = v.outPath; }) (builtins.removeAttrs set (builtins.filter (k: set.${k} == null) (builtins.attrNames set)));
in
{
  units = drvs crates.units;
  metas = drvs (crates.metas or { });
  outputs = drvs crates.outputs;
  checks = drvs crates.checks;
}
