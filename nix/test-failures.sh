# What a failing test run prints last (test-run.sh, doctest.sh), so the few log lines Nix shows on
# failure (10 by default, `nix log` has the rest) name the check, the failing tests and their messages:
# printFailures's sections, then reportFailures's one line. Bash only.

# printFailures LOG: the "---- <test> stdout ----" sections of a Rust test harness's (or rustdoc --test's)
# log, blank lines dropped: each failing test's name, panic location and assertion message.
printFailures() {
  local on=0 line
  while IFS= read -r line; do
    case "$line" in
      "---- "*" ----") on=1 ;;
      "failures:") on=0 ;;
    esac
    if [ "$on" = 1 ] && [ -n "$line" ] && [[ $line != *RUST_BACKTRACE* ]]; then printf '%s\n' "$line"; fi
  done <"$1" | tail -n 40
}

# reportFailures LOG WHAT STATUS: one line, `<check>: N of M tests failed in WHAT: names` (the first five
# names), from the harness's `test NAME ... FAILED` and `test result:` lines; a harness that printed no
# result (`harness = false`, a crash) is named with its exit status. $checkName is the check's name
# (test.nix), empty for a doctest unit built outside a check.
reportFailures() {
  local log=$1 what=$2 status=$3 line passed=0 failed=0 names=() counted=
  while IFS= read -r line; do
    case "$line" in
      "test "*" ... FAILED") line=${line#test }; names+=("${line% ... FAILED}") ;;
      "test result: "*)
        if [[ $line =~ ([0-9]+)\ passed\;\ ([0-9]+)\ failed ]]; then
          passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2])) counted=1
        fi ;;
    esac
  done <"$log"
  local list="" i
  for i in "${!names[@]}"; do
    if [ "$i" = 5 ]; then list+=", and $((${#names[@]} - 5)) more"; break; fi
    list+=${list:+, }${names[$i]}
  done
  if [ -n "$counted" ] && [ "$failed" != 0 ]; then
    printf '%s: %s of %s tests failed in %s: %s\n' "${checkName:-crateflake}" "$failed" "$((passed + failed))" "$what" "$list"
  else
    printf '%s: %s failed (exit %s)\n' "${checkName:-crateflake}" "$what" "$status"
  fi
}
