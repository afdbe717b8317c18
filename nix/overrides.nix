# Per-crate overrides: extra native inputs (their bin/ joins PATH, their lib/pkgconfig PKG_CONFIG_PATH)
# and environment variables for every unit of a package, keyed by package name. Users pass their own as
# `crateOverrides`, merged over these defaults; a value can also be a function of { unit, pkg }.
pkgs:
let
  optional = names: builtins.filter (p: p != null) (map (n: pkgs.${n} or null) names);
in
# On darwin, the crates that link Apple frameworks (darwin.nix; none with nixpkgs' apple-sdk).
(import ./darwin.nix pkgs).overrides // {
  openssl-sys = { nativeBuildInputs = optional [ "pkg-config" "openssl" ]; env.OPENSSL_NO_VENDOR = "1"; };
  libz-sys = { nativeBuildInputs = optional [ "pkg-config" "zlib" ]; };
  libsqlite3-sys = { nativeBuildInputs = optional [ "pkg-config" "sqlite" ]; };
  curl-sys = { nativeBuildInputs = optional [ "pkg-config" "curl" ]; };
  # seccomp-sys's build script does not ask pkg-config: it links `seccomp` from the directory in
  # LIBSECCOMP_LIB_PATH (else the linker's default search, where Nix's linker finds nothing).
  # pyo3's build scripts run the Python interpreter they find on PATH (as under Cargo) to learn its
  # version and where libpython is (found by the sweep: "no Python 3.x interpreter found").
  pyo3-build-config = { nativeBuildInputs = optional [ "python3" ]; };
  pyo3-ffi = { nativeBuildInputs = optional [ "python3" ]; };
  pyo3 = { nativeBuildInputs = optional [ "python3" ]; };
  # libgpg-error-sys's and gpgme-sys's build scripts run `pkgconf` themselves, not through the pkg-config
  # crate, so native-libs.nix does not see them ask (found by the sweep: "pkgconf: command not found").
  libgpg-error-sys = { nativeBuildInputs = optional [ "pkgconf" "libgpg-error" ]; };
  gpgme-sys = { nativeBuildInputs = optional [ "pkgconf" "gpgme" "libgpg-error" "libassuan" ]; };
  seccomp-sys = if pkgs ? libseccomp then { env.LIBSECCOMP_LIB_PATH = "${pkgs.libseccomp.lib or pkgs.libseccomp}/lib"; } else { };
}
