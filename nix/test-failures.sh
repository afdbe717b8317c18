# printFailures LOG: the "---- <test> stdout ----" sections of a Rust test harness's (or rustdoc --test's)
# log, blank lines dropped: each failing test's name, panic location and assertion message. Printed last
# by test-run.sh and doctest.sh, so the few log lines Nix shows on failure name them. Bash only.
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
