#!/usr/bin/env bash
# Installs Debian's chromium for the headless-browser test of `crateflake graph --format html`
# (test/explain/html-browser.test.ts drives it with playwright-core at /usr/bin/chromium).
# Idempotent: does nothing when chromium is already there. scripts/setup.sh calls it.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
