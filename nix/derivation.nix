# `derivation` for the thousands of units and sources: the same store derivation, but a smaller value.
# Nix's own `derivation` (corepkgs/derivation.nix) copies every attribute twice into its result (about
# 50 per unit), which was ~15% of evaluation time at 1,000 crates. This one-output version keeps what
# Nix (nix build, nix-build, flakes) and the library read: type, name, system, outPath, drvPath,
# outputName, outputs, out, all, and the attributes themselves as `drvAttrs`.
attrs:
let
  strict = builtins.derivationStrict attrs;
  self = {
    type = "derivation";
    inherit (attrs) name system;
    outPath = strict.out;
    drvPath = strict.drvPath;
    outputName = "out";
    outputs = [ "out" ];
    out = self;
    all = [ self ];
    drvAttrs = attrs;
  };
in
self
