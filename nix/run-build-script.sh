# Builder that runs a compiled build script with Cargo's environment and records its `cargo:`
# instructions for the units of its package (see run-build-script.nix for the variables it reads).
set -euo pipefail
export PATH HOME="$TMPDIR"

upper() { local s=${1^^}; printf '%s' "${s//-/_}"; }

host=
while read -r k v; do if [ "$k" = host: ]; then host=$v; fi; done <"$compilerInfo/version"
export HOST="$host" TARGET="${target:-$host}" RUSTC="$rustc" RUSTDOC="${rustc%/rustc}/rustdoc"
export OUT_DIR="$out/out" NUM_JOBS="${NIX_BUILD_CORES:-1}" OPT_LEVEL="$optLevel" PROFILE="$profileDir"
# The rustflags of the units the script builds for (one a line), joined by 0x1f as Cargo encodes them.
encoded=
while IFS= read -r f; do [ -z "$f" ] || encoded=${encoded:+$encoded$'\x1f'}$f; done <<<"$rustflags"
export CARGO_ENCODED_RUSTFLAGS="$encoded" CARGO_MANIFEST_DIR="$src" CARGO_MANIFEST_PATH="$src/Cargo.toml"
case "$debuginfo" in 0 | false | none | "") export DEBUG=false ;; *) export DEBUG=true ;; esac
[ -z "$links" ] || export CARGO_MANIFEST_LINKS="$links"
mkdir -p "$OUT_DIR" "$out/nix-support"

# Feature and links names may hold `.` or `+` (Cargo allows them), which bash cannot `export`: such
# variables reach the build script through `env` instead.
scriptEnv=()
featureList=
while IFS= read -r f; do
  [ -n "$f" ] || continue
  scriptEnv+=("CARGO_FEATURE_$(upper "$f")=1")
  featureList=${featureList:+$featureList,}$f
done <<<"$features"
export CARGO_CFG_FEATURE="$featureList"
[ "$debugAssertions" != true ] || export CARGO_CFG_DEBUG_ASSERTIONS=

# CARGO_CFG_*: the target's cfg values as this very compiler reports them (compiler-info.nix).
declare -A cfg=()
while IFS= read -r line; do
  key=${line%%=*}
  [ "$key" = feature ] && continue
  if [ "$key" = "$line" ]; then cfg[$key]=${cfg[$key]-}
  else value=${line#*=}; value=${value#\"}; value=${value%\"}; cfg[$key]=${cfg[$key]:+${cfg[$key]},}$value; fi
done <"$compilerInfo/cfg"
for key in "${!cfg[@]}"; do export "CARGO_CFG_$(upper "$key")=${cfg[$key]}"; done

# DEP_<LINKS>_<KEY> from the direct dependencies that declare `links`.
while IFS= read -r dep; do
  [ -n "$dep" ] || continue
  depLinks=${dep%%=*} depOut=${dep#*=}
  while IFS= read -r kv; do
    [ -z "$kv" ] || scriptEnv+=("DEP_$(upper "$depLinks")_$(upper "${kv%%=*}")=${kv#*=}")
  done <"$depOut/nix-support/metadata"
done <<<"$linksDeps"

cd "$src"
if [ -n "$buildScript" ]; then
  # As Cargo: the script's stderr is kept, not shown, and a failed script's stdout and stderr are printed
  # after one line naming the package, so that what it said about the failure is in the Nix log.
  status=0
  env "${scriptEnv[@]}" "$buildScript/bin/build-script-build" >"$out/nix-support/output" 2>"$TMPDIR/stderr" || status=$?
  if [ "$status" != 0 ]; then
    printf 'error: failed to run custom build command for `%s v%s`\n\nCaused by:\n' "$pkgName" "$pkgVersion" >&2
    printf "  process didn't exit successfully: \`%s\` (exit status: %s)\n" "$buildScript/bin/build-script-build" "$status" >&2
    indent() { while IFS= read -r l || [ -n "$l" ]; do printf '  %s\n' "$l"; done <"$1" >&2; }
    printf '  --- stdout\n' >&2; indent "$out/nix-support/output"
    printf '\n  --- stderr\n' >&2; indent "$TMPDIR/stderr"
    exit "$status"
  fi
else # overridden by .cargo/config.toml
  printf '%s' "$buildScriptOutput" >"$out/nix-support/output"
fi

: >"$out/nix-support/rustc-args"; : >"$out/nix-support/rustc-env"; : >"$out/nix-support/link-search"
: >"$out/nix-support/link-args"; : >"$out/nix-support/metadata"
ns=$out/nix-support
lib() { # -l value, and -L values: `KIND=NAME` stays one argument
  printf '%s\n%s\n' -l "$1" >>"$ns/rustc-args"
}
linkArg() { printf '%s %s\n' "$1" "$2" >>"$ns/link-args"; }
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    cargo::*) rest=${line#cargo::} new=1 ;;
    cargo:*) rest=${line#cargo:} new= ;;
    *) continue ;;
  esac
  key=${rest%%=*} value=${rest#*=}
  [ "$key" = "$rest" ] && continue
  case "$key" in
    rustc-cfg) printf '%s\n%s\n' --cfg "$value" >>"$ns/rustc-args" ;;
    rustc-check-cfg | rerun-if-changed | rerun-if-env-changed) ;;
    rustc-env) echo "$value" >>"$ns/rustc-env" ;;
    rustc-link-lib) lib "$value" ;;
    rustc-link-search) echo "$value" >>"$ns/link-search" ;;
    rustc-flags)
      read -r -a flags <<<"$value"; i=0
      while [ $i -lt ${#flags[@]} ]; do
        f=${flags[$i]}
        case "$f" in
          -l) i=$((i + 1)); lib "${flags[$i]}" ;;
          -l*) lib "${f#-l}" ;;
          -L) i=$((i + 1)); echo "${flags[$i]}" >>"$ns/link-search" ;;
          -L*) echo "${f#-L}" >>"$ns/link-search" ;;
        esac
        i=$((i + 1))
      done ;;
    # Link arguments as `TARGETS ARG` lines, TARGETS being what compile.nix's linkArgTargets names.
    rustc-link-arg) linkArg all "$value" ;;
    rustc-cdylib-link-arg) linkArg cdylib "$value" ;;
    rustc-link-arg-bins | rustc-link-arg-tests | rustc-link-arg-examples | rustc-link-arg-benches)
      linkArg "${key#rustc-link-arg-}" "$value" ;;
    rustc-link-arg-bin)
      [ "${value#*=}" != "$value" ] || { echo "error: $pkgName@$pkgVersion: invalid instruction \`cargo:rustc-link-arg-bin=$value\`: expected BIN=ARG" >&2; exit 1; }
      linkArg "bin=${value%%=*}" "${value#*=}" ;;
    warning) echo "warning: $pkgName@$pkgVersion: $value" >&2 ;;
    error) echo "error: $pkgName@$pkgVersion: $value" >&2; exit 1 ;;
    metadata) if [ -n "$new" ]; then echo "$value" >>"$ns/metadata"; fi ;;
    *) if [ -z "$new" ]; then echo "$key=$value" >>"$ns/metadata"; fi ;;
  esac
done <"$ns/output"
