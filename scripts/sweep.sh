#!/usr/bin/env bash
# The sweep (issue 17): every library crate Debian 12 ships as librust-*-dev, each as the one dependency
# of a probe package, built by crateflake with Nix and by `cargo build` (bench/sweep.ts). Idempotent and
# resumable; run as root.
#  1. Downloads every librust-*-dev package with `apt-get download` into $SWEEP/debs and unpacks the
#     crate sources under $SWEEP/root (not into /usr/share/cargo/registry, which the tests' registry is
#     made from). Installs nothing: a C library a -sys crate needs is missing alike for both sides.
#  2. Packs Debian's installed crate sources and the unpacked ones into one cargo local registry at
#     $SWEEP/registry (../shared/rust/make-local-registry.py, as scripts/corpus.sh does); rebuilt only
#     when the set of sources changed.
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
for deb in "$SWEEP"/debs/librust-*.deb; do
  base=$(basename "$deb")
  [ -f "$SWEEP/unpacked/$base.done" ] && continue
  dpkg-deb -x "$deb" "$SWEEP/root"
  touch "$SWEEP/unpacked/$base.done"
done

# 2. The local registry: Debian's installed sources first, an unpacked one of the same name and version
#    replaces it.
src="$SWEEP/sources"
rm -rf "$src"; mkdir -p "$src"
for d in /usr/share/cargo/registry/*/ "$SWEEP"/root/usr/share/cargo/registry/*/; do
  [ -d "$d" ] && ln -sfn "${d%/}" "$src/"
done
REG="$SWEEP/registry"
want="$(find "$src" -mindepth 1 -maxdepth 1 -printf '%f %l\n' | sort | sha256sum | cut -c1-16)-$(sha256sum < "$SHARED/rust/make-local-registry.py" | cut -c1-16)"
if ! [ -f "$REG/.crateflake-stamp" ] || [ "$(cat "$REG/.crateflake-stamp")" != "$want" ]; then
  rm -rf "$REG.tmp"; mkdir -p "$REG.tmp"
  # A crate whose manifest today's cargo cannot read is left out (make-local-registry.py stops at the
  # first failure, so such crates are found first and named in $SWEEP/unreadable.txt).
  : > "$SWEEP/unreadable.txt"
  for d in "$src"/*; do
    cargo metadata --no-deps --offline --format-version 1 --manifest-path "$d/Cargo.toml" >/dev/null 2>&1 \
      || { echo "$(basename "$d")" >> "$SWEEP/unreadable.txt"; rm "$d"; }
  done
  CARGO=$(command -v cargo) python3 "$SHARED/rust/make-local-registry.py" "$REG.tmp" --all "$src" >&2
  echo "$want" > "$REG.tmp/.crateflake-stamp"
  rm -rf "$REG"; mv "$REG.tmp" "$REG"
fi
[ "${1:-}" = "--prepare-only" ] && { echo "$SWEEP"; exit 0; }

# 3. The probes.
cd "$HERE/.."
exec node --import tsx bench/sweep.ts "$@"
