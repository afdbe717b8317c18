# Staleness: the data records the sha256 of the manifests and lockfiles it was made from; evaluation
# fails with a clear message as soon as one of them differs (or is gone). Returns true otherwise.
{ root, inputs }:
builtins.foldl'
  (ok: path:
    let file = root + "/${path}"; in
    if builtins.pathExists file && builtins.hashFile "sha256" file == inputs.${path} then ok
    else throw "crateflake: ${path} changed since the Nix data was generated; run crateflake generate")
  true
  (builtins.attrNames inputs)
