# deps.sh for a linking unit (binary, cdylib, proc-macro, build script, test) of a pipelined build
# (src/nix/pipelining.ts): the libraries below it compiled against metadata derivations, whose outputs
# hold only a .rmeta, so the records walked lead there. The full derivations of the pipelined libraries
# in its closure ($fullLibs, one a line, from evaluation) are added last: their .rlib (and .rmeta, of
# the same command) then lie in rustc's -L dependency= directory, as in Cargo's target/*/deps.
# shellcheck source=deps.sh
. "$plainDepsSh"
plainWalk=$(declare -f walkDeps)
eval "plain${plainWalk}"
walkDeps() {
  plainwalkDeps "$@"
  local f
  while IFS= read -r f; do if [ -n "$f" ]; then depLibs+=("$f"); fi; done <<<"$fullLibs"
}
