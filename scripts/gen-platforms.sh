#!/usr/bin/env bash
# Writes src/platform/targets.json: the cfg values Cargo sees for every built-in target triple, from
# rustup's stable rustc (which answers without the target's std installed). Cargo asks
# `rustc --print=cfg --target T --crate-type bin ... --crate-type proc-macro` (all crate types at once,
# so e.g. musl's `crt-static` target feature is absent: rustc turns it off for proc-macros) and then
# drops the `proc_macro` name; we do the same. Lines stay in rustc's order (Cargo joins CARGO_CFG_*
# values in that order). Re-run after a toolchain update; test/platform checks the file against rustc.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTUP_HOME="${RUSTUP_HOME:-/root/.rustup}" CARGO_HOME="${CARGO_HOME:-/root/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
rustc="rustc +stable"

triples=(
  aarch64-apple-darwin
  aarch64-unknown-linux-gnu
  aarch64-unknown-linux-musl
  wasm32-unknown-unknown
  wasm32-wasip1
  wasm32-wasip2
  x86_64-apple-darwin
  x86_64-pc-windows-gnu
  x86_64-pc-windows-msvc
  x86_64-unknown-linux-gnu
  x86_64-unknown-linux-musl
)

# Cargo's query (src/cargo/core/compiler/build_context/target_info.rs).
crate_types=(--crate-type bin --crate-type rlib --crate-type dylib --crate-type cdylib --crate-type staticlib --crate-type proc-macro)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "${triples[@]}"; do
  # No RUSTFLAGS: Cargo asks rustc with the user's RUSTFLAGS only, and the built-in data is the default.
  RUSTFLAGS= $rustc --print cfg --target "$t" "${crate_types[@]}" | { grep -vx proc_macro || true; } >"$tmp/$t"
done
$rustc --version >"$tmp/.version"

node - "$tmp" "${triples[@]}" >src/platform/targets.json <<'JS'
const { readFileSync } = require("node:fs");
const [dir, ...triples] = process.argv.slice(2);
const targets = {};
for (const t of [...triples].sort()) {
  targets[t] = readFileSync(`${dir}/${t}`, "utf8").split("\n").filter((l) => l !== "");
}
const rustc = readFileSync(`${dir}/.version`, "utf8").trim();
process.stdout.write(`${JSON.stringify({ generatedBy: "scripts/gen-platforms.sh", rustc, query: "rustc --print=cfg --target T --crate-type bin --crate-type rlib --crate-type dylib --crate-type cdylib --crate-type staticlib --crate-type proc-macro, without proc_macro", targets }, null, 2)}\n`);
JS
echo "wrote src/platform/targets.json (${#triples[@]} targets, $($rustc --version))" >&2
