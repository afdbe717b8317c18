# The programs stdenv puts on every nixpkgs builder's PATH (its initialPath) besides coreutils, bash, tar
# and gzip, which every crateflake builder has: a build-script run gets them too, since a build script
# may run a configure script and make (jemalloc-sys: sed, grep, awk, make), as it can under Cargo on a
# developer's machine. nixpkgs attribute names; one missing from the given pkgs is left out.
[ "findutils" "diffutils" "gnused" "gnugrep" "gawk" "gnumake" "bzip2" "xz" "gnupatch" ]
