# Builder that runs one test harness, as `cargo test` does: laid out as Cargo's workspace (a writable copy
# of the package's source at $workspaceDir in it), the harness running as
# target/<profile>/deps/<crate>-<metadata> beside the package's binaries in target/<profile>/ (suites find
# them from `current_exe()`), in the package root, with CARGO_MANIFEST_DIR, CARGO_MANIFEST_PATH,
# CARGO_PKG_* and CARGO_BIN_EXE_<name> set. The harness's output is the build log and $out/test.log; a
# failing test fails the derivation, and its failures are printed again last, then one line naming the
# check and the failing tests (test-failures.sh), so the tail of the log Nix shows names them.
set +e -uo pipefail # the harness may fail: its status is read below
# shellcheck source=test-failures.sh
. "$testFailuresSh"
export PATH HOME="$TMPDIR"
mkdir -p "$out"
ws=$PWD/workspace
root=$ws${workspaceDir:+/$workspaceDir}
mkdir -p "$root" "$ws/target/$profileDir/deps" || exit 1
cp -r "$src/." "$root" && chmod -R u+w "$root" || exit 1
# Copies, not links: current_exe() is the link's target.
harnessExe=$ws/target/$profileDir/deps/$exeName
cp "$exe" "$harnessExe" || exit 1
while IFS= read -r b; do
  [ -n "$b" ] || continue
  cp "${b#*=}" "$ws/target/$profileDir/${b%%=*}" || exit 1
  export "CARGO_BIN_EXE_${b%%=*}=$ws/target/$profileDir/${b%%=*}"
done <<<"$bins"
cd "$root" || exit 1
mkdir -p target/tmp # CARGO_TARGET_TMPDIR, relative to the package root (test.nix)
export CARGO_MANIFEST_DIR=$PWD CARGO_MANIFEST_PATH=$PWD/Cargo.toml
# shellcheck source=deps.sh
. "$depsSh"
walkDeps "" "$harness"
libs=
for r in "${linkRuns[@]}"; do
  while IFS= read -r l; do if [ -n "$l" ]; then libs=$libs${libs:+:}${l#*=}; fi; done <"$r/nix-support/link-search"
done
if [ -n "$libs" ]; then export LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; fi
args=()
if [ -n "$testArgs" ]; then mapfile -t args <<<"$testArgs"; fi
echo "crateflake: running $testName"
"$harnessExe" "${args[@]}" 2>&1 | tee "$out/test.log"
status=${PIPESTATUS[0]}
if [ "$status" != 0 ]; then
  {
    printFailures "$out/test.log"
    reportFailures "$out/test.log" "$testName" "$status"
  } >&2
  exit 1
fi
