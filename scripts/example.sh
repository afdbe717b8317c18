#!/usr/bin/env bash
# The main job on the bundled example (examples/cats: a workspace with a shared library, a tokio binary
# and a wasm-bindgen cdylib): `crateflake init` on a copy, `nix build .#all` offline, then run `app`
# against a local HTTP server and load the `.wasm` with Node's WebAssembly API.
# There is no nixpkgs offline, so the flake's nixpkgs and rust-overlay inputs are overridden with the
# small stand-ins in test/stand-in/ (rustup's stable rustc natively, Debian's rustc 1.63 for wasm32).
# usage: scripts/example.sh [WORKDIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
WORK=${1:-$(mktemp -d /tmp/crateflake-example.XXXXXX)}
rm -rf "$WORK/cats"; mkdir -p "$WORK"; cp -r "$ROOT/examples/cats" "$WORK/cats"
cd "$WORK/cats"

echo "== crateflake init $WORK/cats"
"$ROOT/scripts/crateflake" init .
cat crateflake.toml

echo "== nix build .#all"
. "$ROOT/../shared/nix/offline.env"
nix build .#all \
  --override-input nixpkgs "path:$ROOT/test/stand-in/nixpkgs" \
  --override-input rust-overlay "path:$ROOT/test/stand-in/rust-overlay"
ls -l result/bin result/lib

echo "== run app against a local server"
node "$ROOT/scripts/cats-server.mjs" result/bin/app
echo "== load the wasm"
node -e '
  const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
  const names = WebAssembly.Module.exports(m).map((e) => e.name);
  if (!names.includes("cat_url")) { console.error("cat_url is not exported"); process.exit(1); }
  console.log("wasm exports cat_url (" + names.length + " exports)");
' result/lib/wasm.wasm
