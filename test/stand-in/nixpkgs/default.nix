# A stand-in for the small part of nixpkgs that crateflake's generated flake uses, for offline tests on a
# Debian machine: each package is a derivation of links to (or wrappers around) what is installed in
# /usr, /bin and /root/.cargo. It is NOT nixpkgs: builds that use it are only as pure as the host.
# Interface kept from nixpkgs: `import nixpkgs { system; overlays; }`, overlays as `final: prev: { ... }`.
{ system ? builtins.currentSystem, overlays ? [ ], ... }:
let
  sh = "/bin/sh";
  mk = name: script: derivation {
    inherit name system;
    builder = sh;
    args = [ "-ec" script ];
    PATH = "/usr/bin:/bin";
  };
  # Link the programs a Debian package installs under /bin or /usr/bin (from dpkg's file list).
  debian = name: deb: mk name ''
    mkdir -p $out/bin
    for f in $(grep -hE '^(/usr)?/s?bin/[^/]+$' /var/lib/dpkg/info/${deb}.list /var/lib/dpkg/info/${deb}:amd64.list 2>/dev/null); do
      [ -e "$f" ] && ln -sf "$f" $out/bin/
    done
  '';
  pkgConfigFiles = name: pcs: mk "${name}-standin" ''
    mkdir -p $out/lib/pkgconfig
    for pc in ${builtins.concatStringsSep " " pcs}; do ln -s /usr/lib/x86_64-linux-gnu/pkgconfig/$pc.pc $out/lib/pkgconfig/; done
  '';
  # rustup's stable toolchain behind a wrapper (rustup's proxies need RUSTUP_HOME/CARGO_HOME).
  rustupWrapper = tool: ''
    printf '#!/bin/sh\nexport RUSTUP_HOME=/root/.rustup CARGO_HOME=/root/.cargo RUSTUP_TOOLCHAIN=stable\nexec /root/.cargo/bin/${tool} "$@"\n' > $out/bin/${tool}
    chmod +x $out/bin/${tool}
  '';
  # rustc and rustdoc link to the toolchain's own binaries, as nixpkgs' are binaries: rustup's proxy costs
  # tens of milliseconds a call, which the benchmarks would count against every derivation.
  rustupLink = tool: ''
    ln -s "$(RUSTUP_HOME=/root/.rustup CARGO_HOME=/root/.cargo /root/.cargo/bin/rustup which --toolchain stable ${tool})" $out/bin/${tool}
  '';
  base = self: {
    inherit system;
    lib = { };
    bash = mk "bash-standin" "mkdir -p $out/bin; ln -s /bin/bash $out/bin/bash; ln -s /bin/bash $out/bin/sh";
    # `nix develop` starts the interactive shell from nixpkgs' bashInteractive.
    bashInteractive = self.bash;
    coreutils = debian "coreutils-standin" "coreutils";
    gnutar = debian "gnutar-standin" "tar";
    gzip = debian "gzip-standin" "gzip";
    gnused = debian "gnused-standin" "sed";
    # The rest of stdenv's tools (nix/stdenv-tools.nix). Debian's awk is mawk, behind an alternative.
    findutils = debian "findutils-standin" "findutils";
    diffutils = debian "diffutils-standin" "diffutils";
    gnugrep = debian "gnugrep-standin" "grep";
    gawk = mk "gawk-standin" "mkdir -p $out/bin; ln -s /usr/bin/awk $out/bin/awk";
    gnumake = debian "gnumake-standin" "make";
    bzip2 = debian "bzip2-standin" "bzip2";
    xz = debian "xz-standin" "xz-utils";
    gnupatch = debian "gnupatch-standin" "patch";
    # Debian's python3 (pyo3's build scripts run it; libpython3.X-dev has the library they link).
    python3 = debian "python3-standin" "python3-minimal";
    gcc = mk "gcc-standin" ''
      mkdir -p $out/bin
      for t in cc gcc c++ g++ cpp ar ld as nm ranlib strip; do [ -e /usr/bin/$t ] && ln -s /usr/bin/$t $out/bin/$t; done
    '';
    stdenv = {
      cc = self.gcc;
      hostPlatform = { inherit system; isDarwin = builtins.match ".*-darwin" system != null; };
    };
    # macOS's SDK and libraries, for evaluating darwin units on this machine (test/nix/darwin.test.ts):
    # empty trees in nixpkgs' layout, never built for use. `apple-sdk` as current nixpkgs has it (its
    # `sdkroot`), `darwin.apple_sdk` as older nixpkgs had it (an SDK and separate frameworks).
    apple-sdk = let sdk = mk "apple-sdk-standin" "mkdir -p $out/Platforms/MacOSX.platform/Developer/SDKs/MacOSX.sdk"; in
      sdk // { sdkroot = "${sdk}/Platforms/MacOSX.platform/Developer/SDKs/MacOSX.sdk"; };
    libiconv = self.darwin.libiconv;
    darwin = {
      libiconv = mk "libiconv-standin" "mkdir -p $out/lib";
      libresolv = mk "libresolv-standin" "mkdir -p $out/lib";
      apple_sdk = {
        MacOSX-SDK = mk "MacOSX-SDK-standin" "mkdir -p $out/System/Library/Frameworks";
        frameworks = builtins.listToAttrs (map (name: {
          inherit name;
          value = mk "apple-framework-${name}-standin" "mkdir -p $out/Library/Frameworks/${name}.framework";
        }) [ "CoreFoundation" "Security" "SystemConfiguration" "CoreServices" "IOKit" "Foundation" "AppKit" "CoreGraphics" ]);
      };
    };
    pkg-config = mk "pkg-config-standin" "mkdir -p $out/bin; ln -s /usr/bin/pkg-config $out/bin/pkg-config";
    pkgconf = mk "pkgconf-standin" "mkdir -p $out/bin; ln -s /usr/bin/pkgconf $out/bin/pkgconf";
    # C libraries as Debian's -dev packages install them: their .pc files (which point at /usr's headers
    # and libraries), for build scripts that ask pkg-config (scripts/setup.sh installs the packages).
    openssl = pkgConfigFiles "openssl" [ "openssl" "libssl" "libcrypto" ];
    pcre2 = pkgConfigFiles "pcre2" [ "libpcre2-8" "libpcre2-16" "libpcre2-32" "libpcre2-posix" ];
    # The corpus's -sys crates (scripts/corpus.sh installs the -dev packages).
    libgit2 = pkgConfigFiles "libgit2" [ "libgit2" ];
    zlib = pkgConfigFiles "zlib" [ "zlib" ];
    # libgpg-error-dev comes with Debian's gnupg stack; libgpgme-dev is not installed (a missing library alike).
    libgpg-error = pkgConfigFiles "libgpg-error" [ "gpg-error" ];
    oniguruma = pkgConfigFiles "oniguruma" [ "oniguruma" ];
    # As nixpkgs' curl: curl-config (which curl-sys's build script runs) in the dev output's bin/.
    curl = pkgConfigFiles "curl" [ "libcurl" ] // {
      dev = mk "curl-standin-dev" "mkdir -p $out/bin; ln -s /usr/bin/curl-config $out/bin/curl-config";
    };
    libssh2 = pkgConfigFiles "libssh2" [ "libssh2" ];
    nghttp2 = pkgConfigFiles "nghttp2" [ "libnghttp2" ];
    libpcap = pkgConfigFiles "libpcap" [ "libpcap" ];
    # nixpkgs' libseccomp has its shared library in the `lib` output (seccomp-sys's override links it).
    libseccomp = let d = mk "libseccomp-standin" "mkdir -p $out/lib; ln -s /usr/lib/x86_64-linux-gnu/libseccomp.so* $out/lib/"; in d // { lib = d; };
    rustc = mk "rustc-standin-stable" ''
      mkdir -p $out/bin
      ${rustupLink "rustc"}
      ${rustupLink "rustdoc"}
    '';
    # nixpkgs' `clippy`: clippy-driver and cargo-clippy of the same release as `rustc` (here rustup's
    # stable, which ships them).
    clippy = mk "clippy-standin-stable" ''
      mkdir -p $out/bin
      ${rustupWrapper "clippy-driver"}
      ${rustupWrapper "cargo-clippy"}
    '';
    cargo = mk "cargo-standin-stable" ''
      mkdir -p $out/bin
      ${rustupWrapper "cargo"}
    '';
  };
  apply = f: overlay: self: let prev = f self; in prev // overlay self prev;
  fixed = builtins.foldl' apply base overlays;
  final = fixed final;
in
final
