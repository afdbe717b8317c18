#!/usr/bin/env bash
# The sweep (issue 17): every library crate Debian 12 ships as librust-*-dev, each as the one dependency
# of a probe package, built by crateflake with Nix and by `cargo build` (bench/sweep.ts). Idempotent and
# resumable; run as root.
#  1. Downloads every librust-*-dev package with `apt-get download` into $SWEEP/debs and unpacks the
#     crate sources under $SWEEP/root (not into /usr/share/cargo/registry, which the tests' registry is
#     made from). Installs nothing: a C library a -sys crate needs is missing alike for both sides.
#  2. Packs Debian's installed crate sources and the unpacked ones into one cargo local registry at
#     $SWEEP/registry (../shared/rust/make-local-registry.py's packing, as scripts/corpus.sh does,
#     through scripts/sweep-registry.py: three at once, incremental); redone when the sources changed.
#  3. Runs `node --import tsx bench/sweep.ts` with the arguments given (nice -n 10 is the caller's).
# usage: scripts/sweep.sh [--prepare-only] [SWEEP.TS ARGS...]
# env:   CRATEFLAKE_SWEEP (default /var/tmp/crateflake-sweep)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${CRATEFLAKE_SHARED:-$(cd "$HERE/../.." && pwd)/shared}
SWEEP=${CRATEFLAKE_SWEEP:-/var/tmp/crateflake-sweep}
export CRATEFLAKE_SWEEP=$SWEEP
export DEBIAN_FRONTEND=noninteractive
export PATH=/root/.cargo/bin:$PATH RUSTUP_HOME=${RUSTUP_HOME:-/root/.rustup} CARGO_HOME=${CARGO_HOME:-/root/.cargo}
mkdir -p "$SWEEP/debs" "$SWEEP/root" "$SWEEP/unpacked"
exec 9>"$SWEEP/.lock"
flock 9

# 1. Every librust-*-dev package (real ones; apt-cache search omits virtual feature packages).
if ! [ -f "$SWEEP/debs/.done" ]; then
  apt-get update -qq
  apt-cache search --names-only '^librust-.*-dev$' | cut -d' ' -f1 | sort > "$SWEEP/packages.txt"
  # One package at a time after a failed batch, so one unavailable package loses only itself.
  (cd "$SWEEP/debs" && xargs -n 100 sh -c 'apt-get download -qq "$@" 2>/dev/null || for p; do apt-get download -qq "$p" || echo "$p" >> ../download-failed.txt; done' sh < "$SWEEP/packages.txt")
  touch "$SWEEP/debs/.done"
fi
# Three at a time: each is a small archive, the time is dpkg-deb's start-up.
for deb in "$SWEEP"/debs/librust-*.deb; do
  [ -f "$SWEEP/unpacked/${deb##*/}.done" ] || printf '%s\0' "$deb"
done | xargs -0 -r -P 3 -n 1 sh -c 'dpkg-deb -x "$1" "$0/root" && touch "$0/unpacked/$(basename "$1").done"' "$SWEEP"
# A few Debian sources hold symlinks to files the package does not ship (LICENSE files): dropped, as
# `cargo package` would not find them either.
find "$SWEEP/root" -xtype l -delete

# 2. The local registry: Debian's installed sources first, an unpacked one of the same name and version
#    replaces it.
src="$SWEEP/sources"
rm -rf "$src"; mkdir -p "$src"
# One ln call (a process per crate is minutes on a loaded machine); a later argument replaces an earlier.
ln -sfn -t "$src" /usr/share/cargo/registry/* "$SWEEP"/root/usr/share/cargo/registry/*
REG="$SWEEP/registry"
want="$(find "$src" -mindepth 1 -maxdepth 1 -printf '%f %l\n' | sort | sha256sum | cut -c1-16)-$(sha256sum < "$SHARED/rust/make-local-registry.py" | cut -c1-16)"
if ! [ -f "$REG/.crateflake-stamp" ] || [ "$(cat "$REG/.crateflake-stamp")" != "$want" ]; then
  rm -f "$REG/.crateflake-stamp"
  # Packed on three processes, each crate once ($SWEEP/packed remembers them: a rerun packs what is
  # new); a crate that cannot be packed is skipped and listed in $SWEEP/skipped.txt.
  CARGO=$(command -v cargo) python3 "$HERE/sweep-registry.py" "$SHARED/rust/make-local-registry.py" \
    "$REG" "$SWEEP/packed" "$src" 2>"$SWEEP/registry.log"
  grep SKIP "$SWEEP/registry.log" >"$SWEEP/skipped.txt" || true
  echo "$want" > "$REG/.crateflake-stamp"
fi
[ "${1:-}" = "--prepare-only" ] && { echo "$SWEEP"; exit 0; }

# 3. The probes.
cd "$HERE/.."
exec node --import tsx bench/sweep.ts "$@"
