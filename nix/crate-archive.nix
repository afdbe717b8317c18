# The `.crate` archive of a registry package, by Cargo.lock's sha256. Named `crate-...` like the unpacked
# tree (source.nix), so both sort before every unit (`rust-NNNN-...`, unit-name.nix) among the builds that
# are ready.
# - An archive on this machine's disk (`file`: a local registry) is copied by `builtins.path` with that
#   hash: the same store path as a fixed-output fetch, but no derivation whose `.drv` names the file's
#   place, so a registry moved elsewhere (another checkout, another machine) changes no derivation. The
#   file is read only while that store path is not there yet; a changed file fails with a hash mismatch.
# - Otherwise a fixed-output fetch of its URL (as <nix/fetchurl.nix> does).
let mkDerivation = import ./derivation.nix; in
pkg:
let name = "crate-${pkg.name}-${pkg.version}.crate"; in
if pkg.source ? file then
  builtins.path { path = /. + pkg.source.file; inherit name; recursive = false; sha256 = pkg.source.sha256; }
else
mkDerivation {
  inherit name;
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
