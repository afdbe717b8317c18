# macOS: what stdenv's setup hooks give a darwin build, for crateflake's raw derivations (no hooks run).
# NEVER RUN ON A MAC: only evaluated, for aarch64-darwin, against the stand-in (test/nix/darwin.test.ts).
#
# - `env`, for every unit of a darwin system (default.nix's toolchain environment, the dev shell):
#   * current nixpkgs (24.11 on): `apple-sdk`, the darwin stdenv's default SDK. Its setup hook exports
#     DEVELOPER_DIR=<sdk> and SDKROOT=<sdk>/Platforms/MacOSX.platform/Developer/SDKs/MacOSX.sdk, which
#     clang and the linker take as the sysroot: headers, libSystem and every framework (so
#     `cargo:rustc-link-lib=framework=…` and `#[link(kind = "framework")]` need nothing more). We set both.
#   * older nixpkgs: `darwin.apple_sdk`: SDKROOT is its `MacOSX-SDK` when it has one (the 11.0 SDK);
#     its frameworks are separate packages (`darwin.apple_sdk.frameworks.<Name>`), see `frameworks`.
#   * libiconv on LIBRARY_PATH (clang passes each entry as -L): Rust's std links -liconv on Apple
#     targets, and apple-sdk propagates nixpkgs' libiconv (and libresolv, added too) to every build.
# - `overrides`: default crate overrides (merged by overrides.nix) for common -sys crates that link
#   frameworks. With apple-sdk they are empty (the SDK has every framework); with the older SDK they
#   add the framework packages as the cc-wrapper's setup hook would: -F (NIX_LDFLAGS) and -iframework
#   (NIX_CFLAGS_COMPILE), with the wrapper's host-role variables that make it read them. Only the units
#   of that crate get them: a binary whose link needs a framework the SDK lacks needs the same override
#   for its own package (crateOverridesFor: `app = darwin.frameworks [ "Security" ];`).
# Empty (`env = { }`, `overrides = { }`) on every other system, so Linux derivations do not change.
pkgs:
let
  system = pkgs.stdenv.hostPlatform.system or pkgs.system or "";
  isDarwin = builtins.match ".*-darwin" system != null;
  darwin = pkgs.darwin or { };
  appleSdk = pkgs.apple-sdk or null;
  oldSdk = darwin.apple_sdk or null;
  present = builtins.filter (p: p != null);
  libiconv = darwin.libiconv or pkgs.libiconv or null;
  libs = present [ libiconv (darwin.libresolv or null) ];
  lib = p: "${p.lib or p.out or p}/lib";
  nonEmpty = attrs: builtins.removeAttrs attrs (builtins.filter (n: attrs.${n} == { }) (builtins.attrNames attrs));

  env =
    (if appleSdk != null then {
      DEVELOPER_DIR = "${appleSdk}";
      SDKROOT = appleSdk.sdkroot or "${appleSdk}/Platforms/MacOSX.platform/Developer/SDKs/MacOSX.sdk";
    } else if oldSdk != null && oldSdk ? MacOSX-SDK then {
      SDKROOT = "${oldSdk.MacOSX-SDK}";
    } else { })
    // (if libs == [ ] then { } else { LIBRARY_PATH = builtins.concatStringsSep ":" (map lib libs); });

  # The wrappers read NIX_LDFLAGS / NIX_CFLAGS_COMPILE only for the roles set by their setup hooks,
  # named by the target's config (`arm64-apple-darwin` → arm64_apple_darwin).
  salt = pkgs.stdenv.cc.suffixSalt or (builtins.replaceStrings [ "-" "." ] [ "_" "_" ]
    (pkgs.stdenv.hostPlatform.config or (if system == "aarch64-darwin" then "arm64-apple-darwin" else "x86_64-apple-darwin")));
  # The override for a crate that links `names` (framework names, e.g. [ "Security" ]).
  frameworks = names:
    let fws = if appleSdk != null || oldSdk == null then [ ] else present (map (n: oldSdk.frameworks.${n} or null) names); in
    if fws == [ ] then { } else {
      nativeBuildInputs = fws;
      env = {
        NIX_LDFLAGS = toString (map (f: "-F${f}/Library/Frameworks") fws);
        NIX_CFLAGS_COMPILE = toString (map (f: "-iframework ${f}/Library/Frameworks") fws);
        "NIX_CC_WRAPPER_TARGET_HOST_${salt}" = "1";
        "NIX_BINTOOLS_WRAPPER_TARGET_HOST_${salt}" = "1";
      };
    };
in
if !isDarwin then { env = { }; overrides = { }; inherit frameworks; } else {
  inherit env frameworks;
  # Only the crates that get something (none with apple-sdk): a listed crate loses native-libs.nix's
  # pkg-config inputs, so an empty override is left out.
  overrides = nonEmpty (builtins.mapAttrs (_: frameworks) {
    core-foundation-sys = [ "CoreFoundation" ];
    security-framework-sys = [ "Security" "CoreFoundation" ];
    system-configuration-sys = [ "SystemConfiguration" "CoreFoundation" ];
    fsevent-sys = [ "CoreServices" ];
    io-kit-sys = [ "IOKit" "CoreFoundation" ];
    core-graphics = [ "CoreGraphics" "CoreFoundation" ];
    cocoa-foundation = [ "Foundation" ];
    cocoa = [ "AppKit" "Foundation" ];
  });
}
