# Builder that runs one test harness, as `cargo test` does: in the package root (here a writable copy
# of the package's source), with CARGO_MANIFEST_DIR and the CARGO_PKG_* variables. The harness's output
# is the build log and $out/test.log; a failing test fails the derivation, and its failures are printed
# again last, so the tail of the log Nix shows names the failing test and its assertion.
set +e -uo pipefail # the harness may fail: its status is read below
# shellcheck source=test-failures.sh
. "$testFailuresSh"
export PATH HOME="$TMPDIR"
mkdir -p "$out"
cp -r "$src" package
chmod -R u+w package
cd package
mkdir -p target/tmp
export CARGO_MANIFEST_DIR=$PWD
# shellcheck source=deps.sh
. "$depsSh"
walkDeps "" "$harness"
libs=
for r in "${linkRuns[@]}"; do
  while IFS= read -r l; do if [ -n "$l" ]; then libs=$libs${libs:+:}${l#*=}; fi; done <"$r/nix-support/link-search"
done
if [ -n "$libs" ]; then export LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; fi
echo "crateflake: running $testName"
"$exe" $testArgs 2>&1 | tee "$out/test.log"
status=${PIPESTATUS[0]}
if [ "$status" != 0 ]; then
  {
    echo "crateflake: $testName failed (exit $status):"
    printFailures "$out/test.log"
  } >&2
  exit 1
fi
