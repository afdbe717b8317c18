# Builder of a test harness (`cargo test`'s `--test` compile of a lib, bin, integration test or example):
# compile.sh itself (see compile.nix for its variables, test.nix for what it overrides), with rustc given
# `--test` instead of the target's crate types (unless the target has `harness = false`).
testRustc() {
  # harness = false: a plain binary that is its own test runner.
  if [ "$harness" = 0 ]; then "$realRustc" "$@"; return; fi
  local a=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --crate-type) shift 2 ;;
      -C) if [ "$2" = prefer-dynamic ]; then shift 2; else a+=("$1" "$2"); shift 2; fi ;;
      *) a+=("$1"); shift ;;
    esac
  done
  printf '%s\n' --test >>"$out/nix-support/rustc-args"
  "$realRustc" --test "${a[@]}"
}
realRustc=$rustc
rustc=testRustc
# shellcheck source=compile.sh
. "$compileSh"
