# crateflake's Nix library: one derivation per unit of the generated data (src/nix/data.ts), compiled by
# rustc alone, with no stdenv (raw `derivation`s with bash builders; works on Nix 2.8 and current Nix).
#
# Arguments:
#   toolchains      { default = <derivation with bin/rustc>; "wasm32-unknown-unknown" = ...; }, keyed as
#                   the data's outputs' `toolchain`. All units of an output, proc-macros included, are
#                   compiled by that output's toolchain, so proc-macros are loaded by their own compiler.
#   pkgs            { bash, coreutils, cc (C compiler/linker with bin/cc), gnutar, gzip } and whatever the
#                   crate overrides name (pkg-config, openssl, ...): nixpkgs, or stand-ins in tests.
#   data            the data file (a path) or its parsed value.
#   root            the flake root (a path): path sources and the staleness check hang off it.
#   system          the Nix system to build on.
#   crateOverrides  { <package name> = { nativeBuildInputs ? [ ]; env ? { }; } or ({ unit, pkg }: ...); },
#                   merged over overrides.nix.
#   clippy          a derivation with bin/clippy-driver of the default toolchain's release (pkgs.clippy).
#   clippyArgs      lint flags for the clippy checks, e.g. [ "-D" "warnings" ].
#
# Returns { units; sources; outputs; all; shell; checks; doc? }: `units.<key>` one derivation per unit,
# `outputs.<name>` a join of an output's roots ($out/bin/<bin>, $out/lib/<name>.wasm), `all` the join of
# every output, `shell` a dev shell with the toolchains, `checks.<name>` the data's checks (tests,
# clippy, docs: test.nix, clippy.nix, doc.nix) and `doc` the `doc` check's documentation, when planned.
{ toolchains, pkgs, data, root, system ? builtins.currentSystem, crateOverrides ? { }
, clippy ? pkgs.clippy or (throw "crateflake: no clippy (pass `clippy`, or pkgs with a `clippy` package) for the clippy checks")
, clippyArgs ? [ ]
}:
let
  d = if builtins.isAttrs data then data else builtins.fromJSON (builtins.readFile data);
  version = if d.version == 1 then true
    else throw "crateflake: the Nix data has version ${toString d.version}; this library reads version 1 (run crateflake generate)";
  fresh = import ./check-inputs.nix { inherit root; inputs = d.inputs; };
  tools = pkgs // { cc = pkgs.cc or pkgs.stdenv.cc; };

  overrides = import ./overrides.nix pkgs // crateOverrides;
  overrideFor = unit: pkg:
    let
      o = overrides.${pkg.name} or { };
      v = if builtins.isFunction o then o { inherit unit pkg; } else o;
    in { nativeBuildInputs = v.nativeBuildInputs or [ ]; env = v.env or { }; };

  toolchainFor = name:
    toolchains.${name} or (throw "crateflake: no toolchain `${name}` given (toolchains has: ${builtins.concatStringsSep ", " (builtins.attrNames toolchains)})");

  sources = builtins.mapAttrs (_: pkg: import ./source.nix { inherit system tools root pkg; }) d.packages;

  mkUnit = key: unit:
    let
      pkg = d.packages.${unit.package};
      common = {
        inherit system tools key unit pkg;
        toolchain = toolchainFor unit.toolchain;
        src = sources.${unit.package};
        override = overrideFor unit pkg;
      };
    in
    if unit.mode == "run-custom-build" then
      import ./run-build-script.nix (common // {
        buildScript = units.${unit.buildScript};
        linksDeps = map (k: { links = d.packages.${d.units.${k}.package}.links; run = units.${k}; }) unit.linksDeps;
      })
    else
      let
        # An integration test's binaries (CARGO_BIN_EXE_*, see test.nix) are not externs.
        libDeps = builtins.filter (dep: !(builtins.elem "bin" d.units.${dep.unit}.kind)) unit.deps;
        compiled = import ./compile.nix (common // {
          externs = map (dep: {
            name = dep.extern;
            prefix = "${units.${dep.unit}}/lib/lib${d.units.${dep.unit}.crateName}-${d.units.${dep.unit}.metadata}";
          }) libDeps;
          # Only the direct ones: the transitive dependencies are found at build time (deps.sh).
          deps = map (dep: units.${dep.unit}) libDeps;
          buildScriptRun = if unit.buildScriptRun == null then null else units.${unit.buildScriptRun};
        });
      in
      if unit.mode == "test" then tests.compile key unit compiled
      else if unit.mode == "doctest" then tests.doctest key unit compiled
      else compiled;

  units = builtins.mapAttrs mkUnit d.units;

  join = name: paths: import ./join.nix { inherit system tools name paths; };

  tests = import ./test.nix { inherit system tools d units sources; };
  lints = import ./clippy.nix { inherit system tools d units clippy clippyArgs; };
  docs = import ./doc.nix { inherit system tools d units; };
  checkOf = name: c:
    if c.kind == "test" then tests.check name c
    else if c.kind == "clippy" then lints.check name c
    else if c.kind == "doc" then docs.check name c
    else throw "crateflake: check ${name} has unknown kind ${c.kind}";
  checks = builtins.mapAttrs checkOf (d.checks or { });
  outputs = builtins.mapAttrs (name: o: join name (map (k: units.${k}) o.roots)) d.outputs;
in
assert version && fresh;
{
  inherit units sources outputs checks;
  all = join "all" (builtins.attrValues outputs);
  shell = import ./shell.nix { inherit system tools toolchains; };
} // (if checks ? doc then { inherit (checks) doc; } else { })
