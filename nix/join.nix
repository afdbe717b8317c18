# A symlink join of built units or outputs: $out/bin/* and $out/lib/* link to theirs. Stands in for
# nixpkgs' symlinkJoin, with only bash and coreutils.
{ system, tools, name, paths }:
derivation {
  inherit name system;
  builder = "${tools.bash}/bin/bash";
  PATH = "${tools.coreutils}/bin";
  paths = builtins.concatStringsSep " " (map toString paths);
  args = [ "-euc" ''
    mkdir -p "$out"
    for p in $paths; do
      for d in bin lib; do
        [ -d "$p/$d" ] || continue
        mkdir -p "$out/$d"
        for f in "$p/$d"/*; do if [ -e "$f" ]; then ln -sf "$f" "$out/$d/"; fi; done
      done
    done
  '' ];
}
