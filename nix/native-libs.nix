# The native inputs of a `-sys` package whose build script asks pkg-config for its C library (the build
# script depends on the `pkg-config` or `system-deps` crate): `pkg-config` and nixpkgs' package of that
# library, so that the build script finds it instead of falling back to bundled C sources (often not
# shipped, as with Debian's pcre2-sys). The library is named by the package's `links` key or, without
# one, by the package name less `lib` and `-sys` (pcre2-sys → pcre2, libz-sys → z), and mapped to a
# nixpkgs attribute by `attrs` below; a name not listed there is looked up as an attribute of its own
# name (dbus, gmp, ...). The one list of such names: add a library here, not a crate to overrides.nix.
# Attributes missing from the given pkgs are left out, as in overrides.nix.
let
  # links name → nixpkgs attribute (checked against nixpkgs by test/nix/native-libs.test.ts).
  attrs = {
    pcre2 = "pcre2";
    pcre = "pcre";
    git2 = "libgit2";
    ssh2 = "libssh2";
    zstd = "zstd";
    z = "zlib";
    bz2 = "bzip2";
    bzip2 = "bzip2";
    lzma = "xz";
    ssl = "openssl";
    openssl = "openssl";
    sqlite3 = "sqlite";
    curl = "curl";
    onig = "oniguruma";
    ffi = "libffi";
    xml2 = "libxml2";
    asound = "alsa-lib";
    sodium = "libsodium";
    seccomp = "libseccomp";
    pcap = "libpcap";
    archive = "libarchive";
    expat = "expat";
    freetype = "freetype";
    fontconfig = "fontconfig";
  };
  # The crates through which a build script asks pkg-config.
  askers = [ "pkg-config" "system-deps" ];
  libraryName = pkg:
    if pkg.links != null then pkg.links
    else let m = builtins.match "(lib)?(.+)[-_]sys" pkg.name; in if m == null then pkg.name else builtins.elemAt m 1;
in
{
  inherit attrs askers libraryName;
  # d: the data; unit: a build-script run. [ ] unless its build script depends on one of `askers`.
  inputsFor = pkgs: d: unit:
    let
      script = d.units.${unit.buildScript};
      asks = builtins.any (dep: builtins.elem d.packages.${d.units.${dep.unit}.package}.name askers) script.deps;
      name = libraryName d.packages.${unit.package};
      attr = attrs.${name} or name;
    in
    if !asks then [ ] else builtins.filter (p: p != null) [ (pkgs.pkg-config or null) (pkgs.${attr} or null) ];
}
