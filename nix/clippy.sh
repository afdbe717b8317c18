# Builder of one clippy run: compile.sh's rustc invocation (see compile.nix) given to clippy-driver with
# --emit=metadata (lints, no code) and the configured lint flags (`-D warnings`, ...). Its messages are
# the build log and $out/clippy.log; an error (or a warning under -D warnings) fails the derivation.
clippyRustc() {
  local a=()
  for x in "$@"; do
    case "$x" in --emit=link) a+=(--emit=metadata) ;; *) a+=("$x") ;; esac
  done
  while IFS= read -r f; do if [ -n "$f" ]; then a+=("$f"); fi; done <<<"$clippyArgs"
  local sysroot status=0
  sysroot=$("$realRustc" --print sysroot)
  "$clippyDriver" --sysroot "$sysroot" "${a[@]}" 2>"$out/clippy.log" || status=$?
  cat "$out/clippy.log" >&2
  if [ "$status" != 0 ]; then
    # Again last, so the few log lines Nix shows on failure name each error and where it is, then one
    # line naming the check.
    local line errors=0
    while IFS= read -r line; do
      case "$line" in
        "error: aborting"*) ;;
        "error"*) errors=$((errors + 1)) && printf '%s\n' "$line" >&2 ;;
        *"--> "*) printf '%s\n' "$line" >&2 ;;
      esac
    done <"$out/clippy.log"
    echo "$checkName: clippy found $errors error(s) in $crateName ($pkgName $pkgVersion)" >&2
  fi
  return "$status"
}
realRustc=$rustc
rustc=clippyRustc
mkdir -p "$out"
# shellcheck source=compile.sh
. "$compileSh"
