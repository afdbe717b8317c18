#!/usr/bin/env bash
# The sweep (issue 17): every library crate Debian 12 ships as librust-*-dev, each as the one dependency
# of a probe package, built by crateflake with Nix and by `cargo build` (bench/sweep.ts). Idempotent and
# resumable; run as root.
#  1. Downloads every librust-*-dev package with `apt-get download` into $SWEEP/debs and unpacks the
#     crate sources under $SWEEP/root (not into /usr/share/cargo/registry, which the tests' registry is
#     made from). Installs nothing: a C library a -sys crate needs is missing alike for both sides.
#  2. Packs Debian's installed crate sources and the unpacked ones into one cargo local registry at
#     $SWEEP/registry (../shared/rust/make-local-registry.py, as scripts/corpus.sh does, in three
#     shards at once); rebuilt only when the set of sources changed.
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

# 2. The local registry: Debian's installed sources first, an unpacked one of the same name and version
#    replaces it.
src="$SWEEP/sources"
rm -rf "$src"; mkdir -p "$src"
# One ln call (a process per crate is minutes on a loaded machine); a later argument replaces an earlier.
ln -sfn -t "$src" /usr/share/cargo/registry/* "$SWEEP"/root/usr/share/cargo/registry/*
REG="$SWEEP/registry"
want="$(find "$src" -mindepth 1 -maxdepth 1 -printf '%f %l\n' | sort | sha256sum | cut -c1-16)-$(sha256sum < "$SHARED/rust/make-local-registry.py" | cut -c1-16)"
if ! [ -f "$REG/.crateflake-stamp" ] || [ "$(cat "$REG/.crateflake-stamp")" != "$want" ]; then
  rm -rf "$REG.tmp" "$SWEEP/shards"; mkdir -p "$REG.tmp/index"
  # Three shards by the name's first letter (every version of a crate in one shard, so each shard's
  # index files are whole), packed side by side, then merged. A crate whose manifest today's cargo
  # cannot read is skipped (make-local-registry.py prints SKIP; listed in $SWEEP/skipped.txt).
  python3 - "$src" "$SWEEP/shards" <<'PY'
import os, sys
src, shards = sys.argv[1:]
for n in sorted(os.listdir(src)):
    d = os.path.join(shards, f"src{ord(n[0].lower()) % 3}")
    os.makedirs(d, exist_ok=True)
    os.symlink(os.readlink(os.path.join(src, n)), os.path.join(d, n))
PY
  for i in 0 1 2; do
    CARGO=$(command -v cargo) python3 "$SHARED/rust/make-local-registry.py" "$SWEEP/shards/reg$i" --all "$SWEEP/shards/src$i" 2>"$SWEEP/shards/log$i" &
  done
  wait
  for i in 0 1 2; do
    grep -q '^local-registry ' "$SWEEP/shards/log$i" || { cat "$SWEEP/shards/log$i" >&2; exit 1; }
    mv "$SWEEP/shards/reg$i"/*.crate "$REG.tmp/"
    cp -r "$SWEEP/shards/reg$i/index/." "$REG.tmp/index/"
  done
  cat "$SWEEP"/shards/log? | grep SKIP >"$SWEEP/skipped.txt" || true
  rm -rf "$SWEEP/shards"
  echo "$want" > "$REG.tmp/.crateflake-stamp"
  rm -rf "$REG"; mv "$REG.tmp" "$REG"
fi
[ "${1:-}" = "--prepare-only" ] && { echo "$SWEEP"; exit 0; }

# 3. The probes.
cd "$HERE/.."
exec node --import tsx bench/sweep.ts "$@"
