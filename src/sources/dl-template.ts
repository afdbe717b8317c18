/**
 * The download URL of a `.crate`: the registry's `config.json` `dl` value with Cargo's markers replaced
 * (`{crate}`, `{version}`, `{prefix}`, `{lowerprefix}`, `{sha256-checksum}`), or, with no marker,
 * `DL/{crate}/{version}/download`. Pure.
 */

const MARKERS = ["{crate}", "{version}", "{prefix}", "{lowerprefix}", "{sha256-checksum}"];

/** crates.io's CDN path, what Cargo's redirect ends at and what nixpkgs fetches. */
export function cratesIoDownloadUrl(name: string, version: string): string {
  return `https://static.crates.io/crates/${name}/${name}-${version}.crate`;
}

export function expandDlTemplate(dl: string, name: string, version: string, sha256: string): string {
  const template = MARKERS.some((m) => dl.includes(m))
    ? dl
    : `${dl.replace(/\/+$/, "")}/{crate}/{version}/download`;
  const prefix = indexPrefix(name);
  return template
    .replaceAll("{crate}", name)
    .replaceAll("{version}", version)
    .replaceAll("{prefix}", prefix)
    .replaceAll("{lowerprefix}", prefix.toLowerCase())
    .replaceAll("{sha256-checksum}", sha256);
}

/** The index directory of a crate name: `1`, `2`, `3/a`, or `ab/cd` (Cargo's `make_dep_prefix`). */
export function indexPrefix(name: string): string {
  if (name.length <= 2) return String(name.length);
  if (name.length === 3) return `3/${name[0]}`;
  return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
}
