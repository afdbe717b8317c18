# The dev shell (`nix develop`): a raw derivation whose environment is one a Rust developer works in.
# - PATH starts with one toolchain that has the std of every target the outputs use, with cargo (and
#   clippy, rust-analyzer where it has them), so `cargo build`, `cargo test` and
#   `cargo build --target <triple>` of the project work. With cross outputs that is rust-overlay's
#   toolchain of the first cross output, overridden to every cross target (its host std comes with it)
#   and the extensions rust-src and rust-analyzer when available; with native outputs only it is the
#   `default` toolchain (nixpkgs' rustc has no cargo) followed by pkgs' cargo, clippy and
#   rust-analyzer, those present. A toolchain that is not rust-overlay's cannot be extended: then every
#   toolchain the outputs use is on PATH, cross ones first.
# - Then the native inputs and environment of the crate overrides of the units in the graph (pkg-config
#   and openssl for openssl-sys, with PKG_CONFIG_PATH and OPENSSL_NO_VENDOR), the C linker, bash,
#   coreutils, tar and gzip. On darwin, the SDK's variables (darwin.nix).
# `nix develop` builds a copy of it whose builder runs Nix's get-env.sh, which writes the environment
# to each of `$outputs`: without the `outputs` attribute nothing is written ("failed to produce output").
{ system, tools, toolchains, toolchainFor, outputs, overrides, pkgConfigPath, darwinEnv ? { } }:
let
  inherit (builtins) filter head elem foldl' concatMap;
  used = foldl' (acc: o: if elem o.toolchain acc then acc else acc ++ [ o.toolchain ]) [ ] (builtins.attrValues outputs);
  cross = filter (t: t != "default") used;
  first = toolchainFor (head cross);
  # rust-overlay's toolchains: `.override { targets; extensions; }` and `availableComponents` by name.
  extendable = first ? override && first ? availableComponents;
  rustTools =
    if cross == [ ] then
      [ (toolchainFor "default") ] ++ concatMap (n: if tools ? ${n} then [ tools.${n} ] else [ ]) [ "cargo" "clippy" "rust-analyzer" ]
    else if extendable then
      [ (first.override {
          targets = cross;
          extensions = filter (c: first.availableComponents ? ${c}) [ "rust-src" "rust-analyzer" ];
        }) ]
    else map toolchainFor cross ++ (if toolchains ? default then [ toolchains.default ] else [ ]);

  unique = foldl' (acc: p: if elem p acc then acc else acc ++ [ p ]) [ ];
  nativeBuildInputs = unique (concatMap (o: o.nativeBuildInputs) overrides);
  env = foldl' (acc: o: acc // o.env) { } overrides;
  paths = rustTools ++ nativeBuildInputs ++ [ tools.cc tools.bash tools.coreutils tools.gnutar tools.gzip ];
in
derivation (darwinEnv // env // {
  name = "crateflake-shell";
  inherit system;
  outputs = [ "out" ];
  builder = "${tools.bash}/bin/bash";
  args = [ "-c" "echo 'this is a shell environment: use nix develop' > $out" ];
  PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") paths);
  PKG_CONFIG_PATH = pkgConfigPath nativeBuildInputs;
})
