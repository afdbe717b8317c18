# Documentation as derivations (`cargo doc --no-deps`): each root of a `doc` check (a local lib or bin,
# see src/nix/data.ts) is documented by rustdoc from compile.nix's arguments for it (builder: doc.sh),
# against its dependencies' libraries of the normal build. A crate's docs start from a copy of its local
# dependencies' docs, and the roots are chained (each starts from the previous one), so the last one
# holds every crate with one search index, as Cargo's target/doc does: $out/share/doc/<crate>/index.html.
{ system, tools, d, units }:
let
  unitOf = k: d.units.${k};
  isLocalLib = k:
    let u = unitOf k; in
    d.packages.${u.package}.local && u.mode == "build" && !(builtins.elem "bin" u.kind)
    && !(builtins.elem "custom-build" u.kind);
  localLibDeps = k: builtins.filter isLocalLib (map (dep: dep.unit) (unitOf k).deps);

  mkDoc = key: prior:
    let
      unit = unitOf key;
      pkg = d.packages.${unit.package};
    in
    derivation (units.${key}.drvAttrs // {
      name = "rust-${pkg.name}-${pkg.version}-doc${if builtins.elem "bin" unit.kind then "-bin-${unit.targetName}" else ""}";
      args = [ "-e" ./doc.sh ];
      compileSh = ./compile.sh;
      rustdocArgsSh = ./rustdoc-args.sh;
      priorDocs = builtins.concatStringsSep " " (map toString prior);
      recordDeps = ""; # its output is no dependency: it keeps no references to the libraries
    });

  # The docs of one crate with its local dependencies', one derivation per unit.
  docOf = builtins.mapAttrs (k: _: mkDoc k (map (x: docOf.${x}) (localLibDeps k))) d.units;

  check = name: c:
    let
      last = builtins.foldl' (prev: k: mkDoc k (map (x: docOf.${x}) (localLibDeps k) ++ (if prev == null then [ ] else [ prev ])))
        null c.roots;
    in
    derivation {
      name = "crateflake-${name}";
      inherit system;
      builder = "${tools.bash}/bin/bash";
      PATH = "${tools.coreutils}/bin";
      docs = if last == null then "" else last;
      args = [ "-euc" ''mkdir -p "$out/share"; if [ -n "$docs" ]; then ln -s "$docs/share/doc" "$out/share/doc"; fi; true'' ];
    };
in
{ inherit docOf check; }
