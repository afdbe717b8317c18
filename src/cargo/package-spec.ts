/**
 * Cargo's package id specifications (`cargo help pkgid`): `name`, `name@version`, `name:version` (the old
 * spelling), and the URL forms `URL#name@version`, `URL#version`, `URL` (the name is the URL's last path
 * segment). A partial version (`1`, `1.2`) matches as a prefix; a URL must name the package's source.
 */
import type { Package } from "./model.ts";

interface PackageSpec {
  name: string;
  version: string | null;
  url: string | null;
}

export function parsePackageSpec(spec: string): PackageSpec {
  const hash = spec.indexOf("#");
  if (hash < 0 && !spec.includes("://")) return nameAndVersion(spec, null);
  const url = hash < 0 ? spec : spec.slice(0, hash);
  const fragment = hash < 0 ? "" : spec.slice(hash + 1);
  const lastSegment =
    url
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .split("/")
      .pop() ?? "";
  if (/^\d/.test(fragment)) return { name: lastSegment, version: fragment, url };
  if (fragment === "") return { name: lastSegment, version: null, url };
  return nameAndVersion(fragment, url);
}

function nameAndVersion(s: string, url: string | null): PackageSpec {
  const at = s.search(/[@:]/);
  return at < 0 ? { name: s, version: null, url } : { name: s.slice(0, at), version: s.slice(at + 1), url };
}

/** Whether `spec` names `pkg`. */
export function packageSpecMatches(spec: string, pkg: Pick<Package, "name" | "version" | "source">): boolean {
  const s = parsePackageSpec(spec);
  if (s.name !== pkg.name) return false;
  if (s.version !== null && pkg.version !== s.version && !pkg.version.startsWith(`${s.version}.`))
    return false;
  return s.url === null || bareUrl(s.url) === bareUrl(pkg.source);
}

/** A source URL without its kind (`registry+`, `path+`, ...), query and fragment. */
function bareUrl(u: string): string {
  return u
    .replace(/^[a-z]+\+/, "")
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "");
}
