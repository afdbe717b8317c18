# The `.crate` archive of a registry package: a fixed-output fetch with Cargo.lock's sha256 (as
# <nix/fetchurl.nix> does, so `file://` URLs work). Named `crate-...` like the unpacked tree (source.nix),
# so both sort before every unit (`rust-NNNN-...`, unit-name.nix) among the builds that are ready.
let mkDerivation = import ./derivation.nix; in
pkg:
mkDerivation {
  name = "crate-${pkg.name}-${pkg.version}.crate";
  builder = "builtin:fetchurl";
  system = "builtin";
  url = pkg.source.url;
  urls = [ pkg.source.url ];
  outputHashMode = "flat";
  outputHashAlgo = "sha256";
  outputHash = pkg.source.sha256 or "";
  unpack = false;
  executable = false;
  preferLocalBuild = true;
  impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
}
