#!/usr/bin/env bash
# Installs everything the tests and the example need on a fresh Debian machine, offline but for the npm
# registry and Debian's packages: npm dependencies, Nix 2.8 (nix-bin), and the offline Rust environment
# of ../shared/rust (Debian's crate sources as a local registry, Debian's rustc with wasm32 std, lld,
# openssl headers), the C libraries the -sys tests link and the corpus's hexyl (scripts/corpus.sh).
# Idempotent: fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${CRATEFLAKE_SHARED:-$(cd .. && pwd)/shared}
export DEBIAN_FRONTEND=noninteractive

if ! command -v nix >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nix-bin git ca-certificates >/dev/null
fi
# Builds run as root without a daemon; nix-bin's default store lives in /nix.
mkdir -p /nix/var/nix

# The semver crate's sources (the semver tests compile it as an oracle); pcre2 and pcre2-sys with the
# system's PCRE2, libcurl with curl-config (test/nix/native-libs.test.ts); openssh-server for
# test/distributed/remote-builder.test.ts (it starts its own sshd on a loopback port). Installed before
# ../shared/rust/setup.sh, which rebuilds the local registry when /usr/share/cargo/registry changed.
missing=$(for p in librust-semver-dev librust-pcre2-dev libpcre2-dev libcurl4-gnutls-dev openssh-server; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

bash "$SHARED/rust/setup.sh" >/dev/null
# The corpus's smallest application (test/corpus/hexyl.test.ts): Debian's hexyl sources in their own
# registry under /var/tmp/crateflake-corpus, locked offline (about a minute the first time).
bash scripts/corpus.sh hexyl >/dev/null
bash scripts/install-browser.sh >/dev/null
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
echo "setup done: nix $(nix --version | awk '{print $NF}'), registry ${CRATEFLAKE_TEST_REGISTRY:-/var/tmp/crateflake-registry}"
