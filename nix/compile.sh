# Builder of one rustc invocation (see compile.nix for the variables it reads). Runs under `bash -e`.
set -euo pipefail
# A registry crate arrives as its `.crate` archive (see default.nix): unpack it here, as Cargo unpacks it
# into registry/src/NAME-VERSION, instead of in a derivation of its own.
if [ -f "$src" ]; then
  mkdir -p "$pkgName-$pkgVersion"
  tar -xzf "$src" --strip-components=1 --no-same-owner -C "$pkgName-$pkgVersion"
  src=$PWD/$pkgName-$pkgVersion
fi
export PATH HOME="$TMPDIR" CARGO_CRATE_NAME="$crateName" CARGO_MANIFEST_DIR="$src" CARGO_MANIFEST_PATH="$src/Cargo.toml"

args=(--crate-name "$crateName" --edition="$edition" "$src/$crateSrc")
# Split on spaces without glob expansion: a crate type comes from a manifest.
read -r -a crateTypeList <<<"$crateTypes"
for t in "${crateTypeList[@]}"; do args+=(--crate-type "$t"); done
args+=(--emit=link)
case " $crateTypes " in *" proc-macro "*) args+=(-C prefer-dynamic) ;; esac

# Profile flags, spelled as Cargo spells them (only what differs from rustc's defaults).
[ "$optLevel" = 0 ] || args+=(-C "opt-level=$optLevel")
case "$debuginfo" in
  0 | false | none | "") ;;
  1 | limited) args+=(-C debuginfo=1) ;;
  2 | true | full) args+=(-C debuginfo=2) ;;
  *) args+=(-C "debuginfo=$debuginfo") ;;
esac
# The package's [lints] (one flag a line), where Cargo puts them: after debuginfo. rustdoc keeps them.
while IFS= read -r f; do [ -z "$f" ] || args+=("$f"); done <<<"$lints"
defaultAssertions=false; [ "$optLevel" = 0 ] && defaultAssertions=true
[ "$debugAssertions" = "$defaultAssertions" ] || { [ "$debugAssertions" = true ] && args+=(-C debug-assertions=on) || args+=(-C debug-assertions=off); }
[ "$overflowChecks" = "$debugAssertions" ] || { [ "$overflowChecks" = true ] && args+=(-C overflow-checks=on) || args+=(-C overflow-checks=off); }
[ "$panic" != abort ] || args+=(-C panic=abort)
# Cargo's LTO decision for this unit (src/resolve/lto.ts); object code only is the default profile's.
case "$lto" in
  run) args+=(-C lto) ;;
  run=*) args+=(-C "lto=${lto#run=}") ;;
  off) args+=(-C lto=off) ;;
  only-object) args+=(-C embed-bitcode=no) ;;
  only-bitcode) args+=(-C linker-plugin-lto) ;;
esac
[ -z "$codegenUnits" ] || args+=(-C "codegen-units=$codegenUnits")
# Cargo's strip decision for this unit (src/resolve/profile.ts): `debuginfo` when nothing it links has
# debuginfo, so that the standard library's does not end up in a release binary.
[ "$strip" = none ] || args+=(-C "strip=$strip")

while IFS= read -r f; do [ -z "$f" ] || args+=(--cfg "feature=\"$f\""); done <<<"$features"

mkdir -p "$out/nix-support"
case "$unitKind" in
  bin | build-script)
    mkdir -p "$out/bin"
    args+=(-C "metadata=$metadata" -o "$out/bin/$binName") ;;
  *)
    mkdir -p "$out/lib"
    args+=(-C "metadata=$metadata" -C "extra-filename=-$metadata" --out-dir "$out/lib") ;;
esac
[ -z "$target" ] || args+=(--target "$target")

# The direct dependencies: `--extern NAME=` its library, the one lib<crate>-<metadata>.* in its output's
# lib/ (rlib first, as Cargo; a cdylib's uplifted lib<crate>.so has no `-`).
depDirs=() externArgs=()
while IFS= read -r e; do
  [ -n "$e" ] || continue
  name=${e%%=*} dir=${e#*=} file=
  for ext in rlib so dylib dll; do
    for f in "$dir"/lib/lib*-*."$ext"; do if [ -e "$f" ]; then file=$f; break 2; fi; done
  done
  [ -n "$file" ] || { echo "crateflake: no library in $dir/lib" >&2; exit 1; }
  depDirs+=("$dir")
  externArgs+=(--extern "$name=$file")
done <<<"$externs"

# The closure of the dependencies, from their outputs' records (deps.sh); a library records its own.
# shellcheck source=deps.sh
. "$depsSh"
walkDeps "$buildScriptRun" "${depDirs[@]}"
if [ -n "$recordDeps" ]; then
  for d in "${depDirs[@]}"; do printf '%s\n' "$d"; done >"$out/nix-support/deps"
  printf '%s\n' "$buildScriptRun" >"$out/nix-support/build-script-run"
fi

# rustc finds indirect dependencies through -L dependency=: one directory of links to the whole closure
# (made by one `ln`; a file name met twice keeps its last target, as linking them one by one would).
mkdir -p deps
declare -A depFiles=()
for d in "${depLibs[@]}"; do for f in "$d"/lib/*; do if [ -e "$f" ]; then depFiles[${f##*/}]=$f; fi; done; done
if [ ${#depFiles[@]} -gt 0 ]; then ln -s -t deps -- "${depFiles[@]}"; fi
args+=(-L dependency="$PWD/deps" "${externArgs[@]}")
case " $crateTypes " in *" proc-macro "*) args+=(--extern proc_macro) ;; esac
[ -z "$capLints" ] || args+=(--cap-lints "$capLints")
# Cargo's rustflags (one a line) come last of its own arguments, before what build scripts add;
# rustdoc-args.sh drops them again (Cargo gives rustdoc RUSTDOCFLAGS instead).
rustflagsAt=${#args[@]}
while IFS= read -r f; do [ -z "$f" ] || args+=("$f"); done <<<"$rustflags"
rustflagsEnd=${#args[@]}

# What the package's build script said (cfgs, env, link flags), and the link search paths of the
# build scripts of every dependency (Cargo passes those to every dependent rustc).
if [ -n "$buildScriptRun" ]; then
  export OUT_DIR="$buildScriptRun/out"
  while IFS= read -r a; do [ -z "$a" ] || args+=("$a"); done <"$buildScriptRun/nix-support/rustc-args"
  while IFS= read -r kv; do [ -z "$kv" ] || export "$kv"; done <"$buildScriptRun/nix-support/rustc-env"
  # `TARGETS ARG` lines: the link arguments of the targets that $linkArgTargets names (see compile.nix).
  while IFS= read -r line; do
    case " $linkArgTargets " in *" ${line%% *} "*) args+=(-C "link-arg=${line#* }") ;; esac
  done <"$buildScriptRun/nix-support/link-args"
fi
for r in "${linkRuns[@]}"; do
  while IFS= read -r l; do [ -z "$l" ] || args+=(-L "$l"); done <"$r/nix-support/link-search"
done

# Keep store paths of sources and build directories out of the output.
# (rustc applies the last matching prefix: an unpacked crate lies inside $PWD)
args+=(--remap-path-prefix "$PWD=/crateflake/build" --remap-path-prefix "$src=/crateflake/$pkgName-$pkgVersion")
[ -z "$buildScriptRun" ] || args+=(--remap-path-prefix "$buildScriptRun=/crateflake/$pkgName-$pkgVersion-build")

# The command line, for comparison with Cargo's, with store hashes cut so it keeps no references.
for a in "${args[@]}"; do
  if [[ $a == "$PWD"* ]]; then a="<build>${a#"$PWD"}"
  elif [[ $a == *="$PWD"* && ${a#*=} == "$PWD"* ]]; then a="${a%%=*}=<build>${a#*="$PWD"}"; fi
  while [[ $a =~ ^(.*)${NIX_STORE:-/nix/store}/[0-9a-z]{32}-(.*)$ ]]; do a="${BASH_REMATCH[1]}<store>/${BASH_REMATCH[2]}"; done
  printf '%s\n' "$a"
done >"$out/nix-support/rustc-args"
# The only call of $rustc: the check builders (test-compile.sh, doctest.sh, clippy.sh, doc.sh) source this
# file with $rustc naming a bash function that rewrites these arguments for rustc --test, rustdoc or
# clippy-driver.
"$rustc" "${args[@]}"

# Cargo "uplifts" cdylibs without the hash: lib<name>.so, <name>.wasm.
case " $crateTypes " in *" cdylib "*)
  for f in "$out"/lib/*"-$metadata".{so,dylib,wasm,dll}; do
    if [ -e "$f" ]; then mv "$f" "${f/-$metadata./.}"; fi
  done ;;
esac
