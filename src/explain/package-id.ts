/**
 * Reading a package id for display: name, version and the kind of source, in both spellings Cargo has
 * used in unit graphs (`SOURCE#NAME@VERSION` / `SOURCE#VERSION` since 1.77, `NAME VERSION (SOURCE)` before).
 */
import type { PackageId } from "../cargo/model.ts";

export type SourceKind = "registry" | "path" | "git" | "other";

export interface PackageIdParts {
  name: string;
  version: string;
  /** The source as written in the id (`registry+URL`, `path+file:///DIR`, `git+URL?...`). */
  source: string;
  sourceKind: SourceKind;
}

export function parsePackageId(id: PackageId): PackageIdParts {
  const old = /^(\S+) (\S+) \((.*)\)$/.exec(id);
  if (old) return { name: old[1], version: old[2], source: old[3], sourceKind: sourceKind(old[3]) };
  const hash = id.lastIndexOf("#");
  if (hash < 0) return { name: id, version: "", source: "", sourceKind: "other" };
  const source = id.slice(0, hash);
  const fragment = id.slice(hash + 1);
  const at = fragment.lastIndexOf("@");
  if (at >= 0) {
    return {
      name: fragment.slice(0, at),
      version: fragment.slice(at + 1),
      source,
      sourceKind: sourceKind(source),
    };
  }
  // `NAME@` is left out when the URL's last path segment is the name.
  const url = source.replace(/^[a-z]+\+/, "").replace(/[?#].*$/, "");
  const name = url.replace(/\/+$/, "").split("/").pop() ?? "";
  return { name, version: fragment, source, sourceKind: sourceKind(source) };
}

export function sourceKind(source: string): SourceKind {
  if (source.startsWith("registry+") || source.startsWith("sparse+")) return "registry";
  if (source.startsWith("path+")) return "path";
  if (source.startsWith("git+")) return "git";
  return "other";
}

/** What `cargo tree` prints after the version: the directory of a path package, the URL of a git one. */
export function sourceLabel(parts: PackageIdParts): string | null {
  switch (parts.sourceKind) {
    case "path":
      return decodeURIComponent(parts.source.replace(/^path\+file:\/\//, ""));
    case "git":
      return parts.source.replace(/^git\+/, "");
    case "registry":
      return parts.source.includes("github.com/rust-lang/crates.io-index") ||
        parts.source.includes("index.crates.io")
        ? null
        : parts.source.replace(/^(registry|sparse)\+/, "");
    default:
      return parts.source || null;
  }
}
