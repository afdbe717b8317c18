# Builder of a unit of a pipelined build (src/nix/pipelining.ts, nix/default.nix): compile.sh, read from
# $compileSh and changed here in two places, so that compile.sh, and with it every derivation built
# without pipelining, stays as it is:
# - a dependency's library may be a metadata derivation's `.rmeta` (looked for after rlib, so, dylib, dll);
# - rustc gets `--emit=$emit`: `metadata,link` for both derivations of a pipelined library, `link` else.
# Both derivations of a pipelined library run the very same rustc command, as Cargo runs one, so that the
# .rmeta its dependents compile against and the .rlib binaries link carry the same SVH; the metadata
# derivation ($pipelinePart = metadata) stops rustc once the .rmeta is written (rustc writes it, by a
# rename, before code generation: what Cargo waits for) and keeps only that file.
text=$(<"$compileSh")
patch() {
  local changed=${text/"$1"/"$2"}
  if [ "$changed" = "$text" ]; then
    echo "crateflake: compile-pipelined.sh: compile.sh has no \`$1\` any more: update compile-pipelined.sh" >&2
    exit 1
  fi
  text=$changed
}
patch 'for ext in rlib so dylib dll; do' 'for ext in rlib so dylib dll rmeta; do'
patch 'args+=(--emit=link)' 'args+=(--emit="$emit")'

metadataRustc() {
  local rmeta=$out/lib/lib$crateName-$metadata.rmeta pid f
  "$realRustc" "$@" &
  pid=$!
  while [ ! -e "$rmeta" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  if [ -e "$rmeta" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" || true
  else
    wait "$pid" # rustc failed (or ended without metadata: below)
  fi
  if [ ! -e "$rmeta" ]; then echo "crateflake: rustc wrote no $rmeta" >&2; exit 1; fi
  # Code generation's unfinished files.
  for f in "$out"/lib/*; do if [ "$f" != "$rmeta" ]; then rm -rf "$f"; fi; done
}
if [ "$pipelinePart" = metadata ]; then
  realRustc=$rustc
  rustc=metadataRustc
fi
eval "$text"
true # a builtin last (see clippy.nix)
