# Builder of a doctest run (`cargo test`'s "Doc-tests"): compile.sh's arguments for the lib (its
# dependencies and dev-dependencies as --extern, the lib itself among them) given to `rustdoc --test`,
# run in a writable copy of the package root. Output: $out/test.log; a failing doctest fails the build.
doctestRustc() {
  rustdocArgs 1 "$@"
  # The crate root relative to the package root it runs in, so doctests are named as Cargo names them.
  for i in "${!rd[@]}"; do if [ "${rd[$i]}" = "$src/$crateSrc" ]; then rd[$i]=$crateSrc; fi; done
  local rustdoc=${realRustc%/rustc}/rustdoc
  if [ ! -x "$rustdoc" ]; then
    echo "crateflake: the toolchain has no rustdoc ($rustdoc): doctests cannot run" >&2
    exit 1
  fi
  cp -r "$src" package
  chmod -R u+w package
  echo "crateflake: running doctests of $pkgName"
  if ! (cd package && CARGO_MANIFEST_DIR=$PWD "$rustdoc" --test "${rd[@]}") 2>&1 | tee "$out/test.log"; then
    {
      echo "crateflake: doctests of $pkgName failed:"
      printFailures "$out/test.log"
    } >&2
    exit 1
  fi
}
realRustc=$rustc
rustc=doctestRustc
# shellcheck source=test-failures.sh
. "$testFailuresSh"
# shellcheck source=rustdoc-args.sh
. "$rustdocArgsSh"
# shellcheck source=compile.sh
. "$compileSh"
