# The dev shell (`nix develop`): a raw derivation whose PATH has every toolchain, the C linker and
# coreutils. `nix develop` only needs a bash builder to read the environment from.
{ system, tools, toolchains }:
let paths = [ tools.coreutils tools.bash tools.cc ] ++ builtins.attrValues toolchains; in
derivation {
  name = "crateflake-shell";
  inherit system;
  builder = "${tools.bash}/bin/bash";
  args = [ "-c" "echo 'this is a shell environment: use nix develop' > $out" ];
  PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") paths);
}
