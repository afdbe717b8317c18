# The transitive dependencies of a unit, walked at build time (sourced by compile.sh and test-run.sh).
# Evaluation names only a unit's direct dependencies: computing every unit's closure there is quadratic
# in the number of crates. Instead each library records in its output (compile.sh, `recordDeps`)
#   nix-support/deps              its direct dependencies' outputs, one a line, in the data's order;
#   nix-support/build-script-run  its package's build-script run output, or nothing.
# These store paths are references of the library's output, so Nix makes the whole closure (libraries
# and runs) available to every build that has the library as an input.
#
# walkDeps RUN DEP...: the closure of a unit whose build-script run is RUN (or "") and whose direct
# dependencies are the outputs DEP..., in two arrays:
#   depLibs   every dependency output reached (their lib/ files make rustc's `-L dependency=` directory);
#   linkRuns  RUN and the build-script runs of the dependencies, ordered as Cargo orders their
#             rustc-link-search flags: the unit's own first, then each dependency's, depth first, each
#             run once.
walkDeps() {
  local run=$1 dep
  shift
  declare -gA depSeen=() runSeen=()
  depLibs=() linkRuns=()
  addLinkRun "$run"
  for dep in "$@"; do visitDep "$dep"; done
}

addLinkRun() {
  if [ -n "$1" ] && [ -z "${runSeen[$1]-}" ]; then
    runSeen[$1]=1
    linkRuns+=("$1")
  fi
}

visitDep() {
  local dep=$1 run= kids kid
  [ -z "${depSeen[$dep]-}" ] || return 0
  depSeen[$dep]=1
  depLibs+=("$dep")
  # Both records always exist (a missing one fails the build under `set -e`); the first is one line.
  read -r run <"$dep/nix-support/build-script-run"
  addLinkRun "$run"
  mapfile -t kids <"$dep/nix-support/deps"
  for kid in "${kids[@]}"; do visitDep "$kid"; done
}
