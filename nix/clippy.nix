# Clippy as derivations (`cargo clippy`): each root of a `clippy` check (a local lib or bin of a normal
# build, see src/nix/data.ts) is compile.nix's rustc invocation run by clippy-driver instead
# (builder: clippy.sh), with the dependencies' libraries of that very build: nothing is rebuilt.
# clippy-driver must come from the same Rust release as the toolchain (nixpkgs' `clippy` and `rustc`,
# or one rust-overlay toolchain with the clippy component), and is loaded with that toolchain's sysroot.
# `clippyArgs`: lint flags after the crate's own, e.g. [ "-D" "warnings" ].
# The check's $out/clippy.log gathers every crate's messages.
{ system, tools, d, units, clippy, clippyArgs ? [ ] }:
let
  lint = checkName: key:
    let
      unit = d.units.${key};
      pkg = d.packages.${unit.package};
      c = units.${key};
    in
    derivation (c.drvAttrs // {
      name = "rust-${pkg.name}-${pkg.version}-clippy${if builtins.elem "bin" unit.kind then "-bin-${unit.targetName}" else ""}";
      args = [ "-e" ./clippy.sh ];
      compileSh = ./compile.sh;
      clippyDriver = "${clippy}/bin/clippy-driver";
      clippyArgs = builtins.concatStringsSep "\n" clippyArgs;
      recordDeps = ""; # its output is no dependency: it keeps no references to the libraries
      inherit checkName; # named in the line a failure prints last (clippy.sh)
    });

  check = name: c:
    derivation {
      name = "crateflake-check-${name}";
      inherit system;
      builder = "${tools.bash}/bin/bash";
      PATH = "${tools.coreutils}/bin";
      results = builtins.concatStringsSep " " (map (k: toString (lint name k)) c.roots);
      args = [ "-euc" ''
        mkdir -p "$out"
        for r in $results; do cat "$r/clippy.log" >>"$out/clippy.log"; done
        touch "$out/clippy.log"
        cat "$out/clippy.log"
        # A last builtin: bash would exec a last external command, and coreutils close their output
        # before exiting, which Nix 2.8 takes for the end of the build and kills it (signal 9).
        true
      '' ];
    };
in
{ inherit lint check; }
