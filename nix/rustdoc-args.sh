# rustc's arguments, as compile.sh builds them, turned into rustdoc's (sourced by doc.sh and doctest.sh):
# rustdoc takes the same crate name, edition, crate types, cfgs, externs, -L and lint flags, but neither
# --emit, -o/--out-dir, --remap-path-prefix, -C extra-filename (Cargo passes -C metadata to it), nor the
# rustflags.
# rustdocArgs KEEP_CODEGEN ARGS...: fills the array `rd`; KEEP_CODEGEN=1 keeps the other -C flags
# (doctests are compiled and linked like the crate; docs are not).
rustdocArgs() {
  local keep=$1
  shift
  # Not the rustflags (compile.sh records where they are): Cargo passes them to rustc only.
  if [ "${rustflagsEnd:-0}" -gt "${rustflagsAt:-0}" ]; then
    local all=("$@")
    set -- "${all[@]:0:rustflagsAt}" "${all[@]:rustflagsEnd}"
  fi
  rd=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --emit=*) shift ;;
      -o | --out-dir | --remap-path-prefix) shift 2 ;;
      -C)
        case "$2" in
          metadata=*) rd+=("$1" "$2") ;;
          extra-filename=* | prefer-dynamic) ;;
          *) if [ "$keep" = 1 ]; then rd+=("$1" "$2"); fi ;;
        esac
        shift 2 ;;
      *) rd+=("$1"); shift ;;
    esac
  done
}
