#!/usr/bin/env bash
# The corpus of real applications (issue 17): Debian's Rust programs packaged as crate sources
# (librust-<app>-dev), each with its whole dependency tree. Idempotent and resumable; run as root.
#  1. Downloads the applications' librust-*-dev packages and their dependencies with apt and unpacks
#     the crate sources under $CORPUS/debs (not into /usr/share/cargo/registry, so the tests' registry,
#     made from that directory by ../shared/rust/setup.sh, stays as it is); installs the other packages
#     they depend on (C libraries behind -sys crates: libonig-dev, libgit2-dev, ...) with apt.
#  2. Packs Debian's installed crate sources and the unpacked ones into one cargo local registry at
#     $CORPUS/registry, as ../shared/rust/setup.sh does (make-local-registry.py); rebuilt only when the
#     set of sources changed.
#  3. Unpacks each application's own .crate into $CORPUS/apps/<app> and locks it offline with rustup's
#     cargo against that registry (.cargo/config.toml replaces crates-io).
# usage: scripts/corpus.sh [APP...]   default: every application of the corpus (below)
# env:   CRATEFLAKE_CORPUS (default /var/tmp/crateflake-corpus)
# Prints the corpus directory on its last line.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${CRATEFLAKE_SHARED:-$(cd "$HERE/../.." && pwd)/shared}
CORPUS=${CRATEFLAKE_CORPUS:-/var/tmp/crateflake-corpus}
# Debian 12 crate names of the applications (bench/corpus.ts says how each one is run).
ALL_APPS="hexyl cbindgen bat cargo pulldown-cmark xml-rs sniffglue filespooler"
# Applications that upstream are Cargo workspaces: the members Debian packages as separate crates,
# assembled beside the root package by scripts/corpus-workspace.py.
workspace_members() { case "$1" in cargo) echo "cargo-platform cargo-util crates-io" ;; esac; }
APPS=${*:-$ALL_APPS}
export DEBIAN_FRONTEND=noninteractive
export PATH=/root/.cargo/bin:$PATH RUSTUP_HOME=${RUSTUP_HOME:-/root/.rustup} CARGO_HOME=${CARGO_HOME:-/root/.cargo}
# The stable toolchain, not a crate's own rust-toolchain file (sha1collisiondetection pins 1.46.0).
export RUSTUP_TOOLCHAIN=${RUSTUP_TOOLCHAIN:-stable}
mkdir -p "$CORPUS/debs/archives/partial" "$CORPUS/unpacked" "$CORPUS/apps"
# One run at a time (a test and the runner may start it together).
exec 9>"$CORPUS/.lock"
flock 9

# 1. Packages. apt downloads what is not installed yet (installed crate sources are already in
#    /usr/share/cargo/registry); each downloaded librust deb is unpacked once, the others installed.
#    Done once per application ($CORPUS/debs/.<app>.done).
pkgs=""
for app in $APPS; do [ -f "$CORPUS/debs/.$app.done" ] || pkgs="$pkgs librust-$app-dev"; done
if [ -n "$pkgs" ]; then
  if ! apt-get install -y -qq --download-only -o Dir::Cache::archives="$CORPUS/debs/archives" $pkgs >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --download-only -o Dir::Cache::archives="$CORPUS/debs/archives" $pkgs >/dev/null
  fi
  # C libraries that -sys crates ask pkg-config for, which Debian's crate packages do not depend on.
  system="libonig-dev"
  for deb in "$CORPUS"/debs/archives/*.deb; do
    [ -e "$deb" ] || continue
    base=$(basename "$deb")
    case "$base" in
      librust-*)
        [ -f "$CORPUS/unpacked/$base.done" ] && continue
        dpkg-deb -x "$deb" "$CORPUS/debs/root"
        touch "$CORPUS/unpacked/$base.done"
        ;;
      *) system="$system ${base%%_*}" ;;
    esac
  done
  missing=$(for p in $system; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
  if [ -n "$missing" ]; then apt-get install -y -qq --no-install-recommends $missing >/dev/null; fi
  for app in $APPS; do touch "$CORPUS/debs/.$app.done"; done
fi

# 2. The local registry: every crate source, Debian's installed ones first (an unpacked one of the same
#    name and version replaces it).
src="$CORPUS/sources"
rm -rf "$src"; mkdir -p "$src"
for d in /usr/share/cargo/registry/*/ "$CORPUS"/debs/root/usr/share/cargo/registry/*/; do
  [ -d "$d" ] && ln -sfn "${d%/}" "$src/"
done
REG="$CORPUS/registry"
want="$(find "$src" -mindepth 1 -maxdepth 1 -printf '%f %l\n' | sort | sha256sum | cut -c1-16)-$(sha256sum < "$SHARED/rust/make-local-registry.py" | cut -c1-16)"
if ! [ -f "$REG/.crateflake-stamp" ] || [ "$(cat "$REG/.crateflake-stamp")" != "$want" ]; then
  rm -rf "$REG.tmp"; mkdir -p "$REG.tmp"
  CARGO=$(command -v cargo) python3 "$SHARED/rust/make-local-registry.py" "$REG.tmp" --all "$src" >&2
  echo "$want" > "$REG.tmp/.crateflake-stamp"
  rm -rf "$REG"; mv "$REG.tmp" "$REG"
  rm -f "$CORPUS"/apps/.*.locked   # the registry changed: lock again
fi

# 3. One project per application: its newest .crate unpacked, locked offline against the registry.
for app in $APPS; do
  dir="$CORPUS/apps/$app"
  [ -f "$CORPUS/apps/.$app.locked" ] && continue
  crate=$(ls "$REG"/"$app"-[0-9]*.crate | sort -V | tail -1)
  rm -rf "$dir"; mkdir -p "$dir"
  tar -xzf "$crate" -C "$dir" --strip-components=1
  members=$(workspace_members "$app")
  if [ -n "$members" ]; then python3 "$HERE/corpus-workspace.py" "$dir" "$REG" $members; fi
  mkdir -p "$dir/.cargo"
  cat > "$dir/.cargo/config.toml" <<TOML
[source.crates-io]
replace-with = "corpus"

[source.corpus]
local-registry = "$REG"

[net]
offline = true
TOML
  # Debian does not package every dev-dependency (cbindgen's serial_test) or version of it: such a dev-dependency is
  # dropped from the manifest, as Debian's own packaging does, and named in $dir/.corpus-dropped.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if err=$(cd "$dir" && cargo generate-lockfile --offline -q 2>&1); then break; fi
    # Missing altogether, or only in a version the requirement does not accept (bat's nix 0.24 dev-dependency
    # when the machine has nix 0.26).
    missing=$(sed -n -e 's/^error: no matching package named `\(.*\)` found$/\1/p' \
      -e 's/^error: failed to select a version for the requirement `\([^ ]*\) = .*$/\1/p' <<<"$err")
    dropped=""
    for manifest in "$dir/Cargo.toml" $(for m in $members; do echo "$dir/crates/$m/Cargo.toml"; done); do
      if [ -n "$missing" ] && python3 "$HERE/corpus-drop-dev-dep.py" "$manifest" "$missing"; then dropped=1; fi
    done
    if [ -z "$dropped" ]; then echo "$err" >&2; exit 1; fi
    echo "$missing" >> "$dir/.corpus-dropped"
  done
  [ -f "$dir/Cargo.lock" ]
  touch "$CORPUS/apps/.$app.locked"
done
echo "$CORPUS"
