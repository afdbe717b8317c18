{
  # A stand-in for oxalica/rust-overlay (offline tests only): `rust-bin.stable.latest.default` is
  # Debian's rustc 1.63 and cargo 1.65 from /usr/bin, which has the wasm32-unknown-unknown std and
  # rust-lld. `.override { targets = [ ... ]; extensions = [ ... ]; }` checks that Debian ships the std of
  # each requested target and, as rust-overlay does, fails on an extension not in `availableComponents`:
  # Debian packages no clippy, rust-analyzer or rust-src for this rustc, so those are not available.
  description = "Stand-in for rust-overlay backed by Debian's rustc (offline tests only)";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs }: {
    overlays.default = final: prev:
      let
        toolchain = { targets ? [ ], extensions ? [ ] }:
          let
            missing = builtins.filter (e: !(availableComponents ? ${e})) extensions;
          in
          if missing != [ ] then throw "Component ${builtins.head missing} is not available (stand-in rust-overlay)"
          else derivation {
            name = "rust-standin-debian-1.63";
            system = final.system;
            builder = "/bin/sh";
            PATH = "/usr/bin:/bin";
            targets = builtins.concatStringsSep " " targets;
            args = [ "-ec" ''
              for t in $targets; do
                [ -d /usr/lib/rustlib/$t/lib ] || { echo "Debian's rustc has no std for $t" >&2; exit 1; }
              done
              mkdir -p $out/bin
              for t in rustc rustdoc cargo rust-lld; do ln -s /usr/bin/$t $out/bin/$t; done
            '' ];
          };
        # rust-overlay's passthru: component name → derivation (here the whole toolchain).
        availableComponents = builtins.listToAttrs (map (name: { inherit name; value = toolchain { }; })
          [ "cargo" "rust-std" "rustc" ]);
        withOverride = args: toolchain args // {
          inherit availableComponents;
          override = more: withOverride (args // more);
        };
      in
      {
        rust-bin.stable.latest.default = withOverride { };
      };
  };
}
