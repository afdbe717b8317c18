# Builder of one crate's docs (`cargo doc --no-deps`): compile.sh's arguments (see compile.nix) given to
# rustdoc, into $out/share/doc after copying in the docs of $priorDocs (its local dependencies and the
# crates documented before it): rustdoc merges its crate into the search index and crate list it finds
# there, as it does in Cargo's target/doc.
docRustc() {
  rustdocArgs 0 "$@"
  mkdir -p "$out/share/doc"
  for p in $priorDocs; do cp -r "$p/share/doc/." "$out/share/doc/"; done
  chmod -R u+w "$out/share/doc"
  "${realRustc%/rustc}/rustdoc" "${rd[@]}" -o "$out/share/doc"
}
realRustc=$rustc
rustc=docRustc
# shellcheck source=rustdoc-args.sh
. "$rustdocArgsSh"
# shellcheck source=compile.sh
. "$compileSh"
