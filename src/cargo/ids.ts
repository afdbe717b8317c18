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
  const last = url.replace(/\/+$/, "").split("/").pop();
  return last === name ? `${s}#${version}` : `${s}#${name}@${version}`;
}

export function isPathSource(source: SourceId | null): boolean {
  return source === null || source.startsWith("path+");
}

/** `git+URL?branch=x#commit` → `{ url, query, commit }`. */
export function parseGitSource(source: SourceId): { url: string; ref: string | null; commit: string | null } {
  const m = /^git\+([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(source);
  if (!m) return { url: source, ref: null, commit: null };
  return { url: m[1], ref: m[2] ?? null, commit: m[3] ?? null };
}

/** A git URL in the form Cargo compares them: no trailing slash, no `.git` suffix, lower-case host. */
export function canonicalGitUrl(url: string): string {
  let u = url.replace(/\/+$/, "").replace(/\.git$/, "");
  u = u.replace(/^([a-z+]+:\/\/)([^/]+)/i, (_, scheme: string, host: string) => scheme + host.toLowerCase());
  return u;
}
