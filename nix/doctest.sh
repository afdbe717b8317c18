# Builder of a doctest run (`cargo test`'s "Doc-tests"): compile.sh's arguments for the lib (its
# dependencies and dev-dependencies as --extern, the lib itself among them) given to `rustdoc --test`.
# As Cargo, rustdoc runs in the workspace root (a writable copy of the package's source at $workspaceDir
# in it) with the crate root relative to it, so doctests are named as Cargo names them
# (`crates/x/src/lib.rs - f (line 3)`), and runs the doctests in the package root (--test-run-directory);
# each of the check's test arguments is a --test-args. Output: $out/test.log; a failing doctest fails
# the build.
doctestRun() {
  rustdocArgs 1 "$@"
  local ws=$PWD/workspace
  local root=$ws${workspaceDir:+/$workspaceDir}
  for i in "${!rd[@]}"; do
    if [ "${rd[$i]}" = "$src/$crateSrc" ]; then rd[$i]=${workspaceDir:+$workspaceDir/}$crateSrc; fi
  done
  rd+=(--test-run-directory "$root")
  local a
  if [ -n "$testArgs" ]; then while IFS= read -r a; do rd+=(--test-args "$a"); done <<<"$testArgs"; fi
  local rustdoc=${realRustc%/rustc}/rustdoc
  if [ ! -x "$rustdoc" ]; then
    echo "crateflake: the toolchain has no rustdoc ($rustdoc): doctests cannot run" >&2
    exit 1
  fi
  mkdir -p "$root"
  cp -r "$src/." "$root"
  chmod -R u+w "$root"
  echo "crateflake: running doctests of $pkgName"
  local status=0 # rustdoc's, through pipefail (compile.sh)
  (cd "$ws" && CARGO_MANIFEST_DIR=$root CARGO_MANIFEST_PATH=$root/Cargo.toml "$rustdoc" --test "${rd[@]}") 2>&1 | tee "$out/test.log" || status=$?
  if [ "$status" != 0 ]; then
    {
      printFailures "$out/test.log"
      reportFailures "$out/test.log" "the doctests of $pkgName" "$status"
    } >&2
    exit 1
  fi
}
realRustc=$rustc
rustc=doctestRun
# shellcheck source=test-failures.sh
. "$testFailuresSh"
# shellcheck source=rustdoc-args.sh
. "$rustdocArgsSh"
# shellcheck source=compile.sh
. "$compileSh"
