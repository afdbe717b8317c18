/**
 * Package ids and source ids in Cargo's spelling, so that ids compare equal to `cargo metadata` and
 * `--unit-graph` output: `SOURCE#NAME@VERSION`, with `NAME@` left out when the source URL's last path
 * segment already is the name (Cargo's `PackageIdSpec` display).
 */
import { pathToFileURL } from "node:url";
import type { PackageId, SourceId } from "./model.ts";

export function pathSourceId(dir: string): SourceId {
  return `path+${pathToFileURL(dir).href.replace(/\/$/, "")}`;
}

/**
 * The source as it appears in a package id: a git source without its `#commit`, its query values
 * percent-encoded (`?branch=feat%2Fx`), as Cargo's `PackageIdSpec` writes the URL.
 */
export function idSource(source: SourceId): string {
  if (!source.startsWith("git+")) return source;
  return source.replace(/#.*$/, "").replace(/\?(.*)$/, (_, query: string) => {
    const encoded = query
      .split("&")
      .map((kv) =>
        kv
          .split("=")
          .map((x) => encodeURIComponent(decodeURIComponent(x)))
          .join("="),
      )
      .join("&");
    return `?${encoded}`;
  });
}

export function packageId(source: SourceId, name: string, version: string): PackageId {
  const s = idSource(source);
  const url = s.replace(/^[a-z]+\+/, "").replace(/[?#].*$/, "");
  // Cargo compares with the URL's last path segment, empty after a trailing `/`.
  const last = url.split("/").pop();
  return last === name ? `${s}#${version}` : `${s}#${name}@${version}`;
}

export function isPathSource(source: SourceId | null): boolean {
  return source === null || source.startsWith("path+");
}

/**
 * A git URL in the form Cargo compares them (its `CanonicalUrl`): no trailing slash, no `.git` suffix,
 * lower-case host; a github.com URL is https and lower-case throughout, as GitHub ignores case.
 */
export function canonicalGitUrl(url: string): string {
  let u = url.replace(/\/+$/, "");
  u = u.replace(/^([a-z+]+:\/\/)([^/]+)/i, (_, scheme: string, host: string) => scheme + host.toLowerCase());
  if (/^[a-z+]+:\/\/github\.com(\/|$)/i.test(u)) u = u.replace(/^[a-z+]+:/i, "https:").toLowerCase();
  return u.replace(/\.git$/, "");
}
