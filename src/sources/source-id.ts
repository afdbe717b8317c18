/**
 * Cargo's source ids as Cargo.lock spells them (`registry+URL`, `sparse+URL`, `git+URL?ref#commit`,
 * `path+file://DIR`), parsed, plus the ids of the sources `.cargo/config.toml` can name (local registry,
 * directory). Mirrors `cargo::core::SourceId`.
 */
import { UserError } from "../errors.ts";

export type SourceKind = "registry" | "sparse" | "git" | "path" | "local-registry" | "directory";

export type GitReference = { branch: string } | { tag: string } | { rev: string } | { defaultBranch: true };

export interface ParsedSourceId {
  kind: SourceKind;
  /** The URL without the `KIND+` prefix, query or fragment (for `sparse`, without `sparse+`). */
  url: string;
  /** Git only: what the manifest asked for. */
  reference?: GitReference;
  /** Git only: the locked commit (`#COMMIT`). */
  precise?: string;
}

export const CRATES_IO_GIT_INDEX = "https://github.com/rust-lang/crates.io-index";
export const CRATES_IO_SPARSE_INDEX = "https://index.crates.io/";

export function parseSourceId(id: string): ParsedSourceId {
  const plus = id.indexOf("+");
  if (plus < 0) throw new UserError(`unsupported source \`${id}\` (expected KIND+URL)`);
  const kind = id.slice(0, plus);
  const rest = id.slice(plus + 1);
  switch (kind) {
    case "registry":
    case "path":
      return { kind, url: rest };
    case "sparse":
      return { kind, url: rest };
    case "git": {
      const hash = rest.indexOf("#");
      const precise = hash >= 0 ? rest.slice(hash + 1) : undefined;
      const noFrag = hash >= 0 ? rest.slice(0, hash) : rest;
      const q = noFrag.indexOf("?");
      const url = q >= 0 ? noFrag.slice(0, q) : noFrag;
      const params = new URLSearchParams(q >= 0 ? noFrag.slice(q + 1) : "");
      let reference: GitReference = { defaultBranch: true };
      const branch = params.get("branch");
      const tag = params.get("tag");
      const rev = params.get("rev");
      if (branch !== null) reference = { branch };
      else if (tag !== null) reference = { tag };
      else if (rev !== null) reference = { rev };
      return { kind: "git", url, reference, precise };
    }
    default:
      throw new UserError(`unsupported source kind \`${kind}\` in \`${id}\``);
  }
}

/** Is this the crates.io index, in either protocol? */
export function isCratesIo(p: ParsedSourceId): boolean {
  return (
    (p.kind === "registry" && trimSlash(p.url) === CRATES_IO_GIT_INDEX) ||
    (p.kind === "sparse" && trimSlash(p.url) === trimSlash(CRATES_IO_SPARSE_INDEX))
  );
}

/** The identity of a source for matching config entries: kind, URL (no trailing `/`, no `.git`), reference. */
export function sourceKey(p: ParsedSourceId): string {
  let url = trimSlash(p.url);
  if (p.kind === "git") url = url.replace(/\.git$/, "");
  const ref = p.reference && !("defaultBranch" in p.reference) ? JSON.stringify(p.reference) : "";
  return `${p.kind}+${url}${ref}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
