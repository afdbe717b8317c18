#!/usr/bin/env bash
# The whole test suite: type check, lint, then every *.test.ts under test/ with Node's own test runner.
# Tests that need Nix or the offline crate registry find them through scripts/env.sh (installed by
# scripts/setup.sh); without them those tests are skipped with a reason, never faked.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p . --noEmit
npx biome check .
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 --test-timeout=1800000 "${files[@]}"
