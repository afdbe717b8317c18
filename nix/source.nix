# The source tree of one package, as a store path whose root is the package root (where Cargo.toml is).
# - crate: the `.crate` archive (crate-archive.nix) unpacked by a small derivation. Only build-script
#   runs and checks use it: a compile unpacks the archive itself (compile.sh), which saves a derivation
#   per package in a cold build;
# - git:   builtins.fetchGit of the locked commit, checked against the tree's NAR hash, then `subdir`;
# - path:  builtins.path of the package's own directory only: no target/, .git, .cargo (Cargo's
#          configuration, which names machine-specific places such as a local registry), result links,
#          crateflake's own files at the flake root (crateflake.toml, flake.nix, flake.lock, default.nix,
#          .crateflake/), nor nested packages (directories with a Cargo.toml), so editing one crate, the
#          flake or the config does not change the source hash of a crate.
let mkDerivation = import ./derivation.nix; in
{ system, tools, root, pkg
, archive ? null  # crate-archive.nix's derivation, for a crate
}:
let
  s = pkg.source;
  name = "${pkg.name}-${pkg.version}";
  rootString = toString root;

  unpacked = mkDerivation {
    name = "crate-${name}-source";
    inherit system;
    crate = archive;
    builder = "${tools.bash}/bin/bash";
    # `; true`: bash would exec a last external command, and Nix 2.8 occasionally kills an exec'd tar
    # (signal 9) when it closes its output before exiting (see clippy.nix).
    args = [ "-euc" ''mkdir -p "$out"; tar -xzf "$crate" --strip-components=1 --no-same-owner -C "$out"; true'' ];
    PATH = "${tools.coreutils}/bin:${tools.gnutar}/bin:${tools.gzip}/bin";
  };

  dir =
    if s.path == "." then root
    else if builtins.substring 0 1 s.path == "/" then /. + s.path
    else root + "/${s.path}";
  dirString = toString dir;
  # crateflake's own files at the flake root: one list, also read by `crateflake rebuilds`.
  generated = map (f: "${rootString}/${f}") (builtins.fromJSON (builtins.readFile ./own-files.json));
  keep = path: type:
    let base = baseNameOf path; in
    !(builtins.elem path generated)
    && !(type == "symlink" && builtins.substring 0 6 base == "result")
    && !(type == "directory" && (base == "target" || base == ".git" || base == ".cargo"
      || (path != dirString && builtins.pathExists (path + "/Cargo.toml"))));
  local = builtins.path ({ path = dir; name = "${name}-source"; filter = keep; }
    // (if s ? narHash then { sha256 = s.narHash; } else { }));

  git =
    let tree = builtins.fetchGit ({ url = s.url; rev = s.rev; allRefs = true; narHash = s.narHash; }
      // (if s.submodules or false then { submodules = true; } else { }));
    in if s.subdir == "" || s.subdir == "." then tree else "${tree}/${s.subdir}";
in
if s.kind == "crate" then unpacked
else if s.kind == "git" then git
else if s.kind == "path" then local
else throw "crateflake: ${name}: unknown source kind ${s.kind}"
