/**
 * Ties each manifest dependency of a package to the locked package Cargo chose for it. The candidates are
 * the entries of the package's own `dependencies` list in Cargo.lock; a manifest dependency picks the one
 * with its package name, a compatible source (path ↔ path, registry ↔ that registry or a `[patch]` for
 * it, git ↔ same repository and reference: Cargo's git source id is the canonical URL plus the branch, tag
 * or rev asked for, so two tags of one repository are two sources) and a version satisfying its requirement. Two versions of one crate are
 * told apart by the requirement; a dependency Cargo.lock does not list (an optional dependency nobody
 * enabled, a registry package's dev-dependency) resolves to null.
 */
import { type GitReference, parseSourceId } from "../sources/source-id.ts";
import { canonicalGitUrl, idSource, isPathSource } from "./ids.ts";
import {
  type CargoConfig,
  CRATES_IO_SOURCE,
  type Dependency,
  type LockedPackage,
  type SourceId,
} from "./model.ts";
import { compareVersions, satisfies } from "./semver.ts";
import type { Patch } from "./workspace.ts";

export interface MatchContext {
  config: Pick<CargoConfig, "registries">;
  patches: Patch[];
  /** The version of the package in a path dependency's directory, when the loader read it. */
  pathVersion?: (dir: string) => string | undefined;
  /** Cargo.lock's version: before 3, `branch = "master"` was written as the default branch. */
  lockVersion?: number;
}

/** The source a registry dependency names (before source replacement, as Cargo.lock records it). */
export function registrySourceOf(dep: Dependency, ctx: MatchContext): SourceId | null {
  if (dep.source.kind !== "registry") return null;
  if (dep.source.index) return prefixIndex(dep.source.index);
  const name = dep.source.registry;
  if (name === null || name === "crates-io") return CRATES_IO_SOURCE;
  const reg = ctx.config.registries[name];
  return reg ? prefixIndex(reg.index) : null;
}

function prefixIndex(index: string): SourceId {
  return index.startsWith("sparse+") || index.startsWith("registry+") ? index : `registry+${index}`;
}

/** The `[patch.KEY]` keys that patch a registry source. */
function patchKeysFor(source: SourceId, ctx: MatchContext): string[] {
  const keys: string[] = [];
  if (source === CRATES_IO_SOURCE) keys.push("crates-io", CRATES_IO_SOURCE.slice("registry+".length));
  for (const [name, reg] of Object.entries(ctx.config.registries)) {
    if (prefixIndex(reg.index) === source) keys.push(name, reg.index);
  }
  return keys;
}

/** Is `candidate` (a locked package) a source-compatible pick for `dep` declared by a package from `from`? */
export function sourceCompatible(
  dep: Dependency,
  from: SourceId | null,
  candidate: LockedPackage,
  ctx: MatchContext,
): boolean {
  const cand = candidate.source;
  switch (dep.source.kind) {
    case "path":
      // Path dependencies inside a git checkout share the checkout's source.
      if (from?.startsWith("git+")) return cand !== null && idSource(cand) === idSource(from);
      return isPathSource(cand);
    case "git": {
      if (!cand?.startsWith("git+")) return patchedBy(dep, cand, ctx, dep.source.url);
      return sameGitSource(dep.source, cand, ctx);
    }
    case "registry": {
      const want = registrySourceOf(dep, ctx);
      if (want === null) return false;
      if (cand === want) return true;
      return patchedBy(dep, cand, ctx, want, ...patchKeysFor(want, ctx));
    }
  }
}

type GitDepSource = Extract<Dependency["source"], { kind: "git" }>;

/** Is the locked git source `cand` the one a manifest's `git = URL` (with its branch, tag or rev) names? */
function sameGitSource(want: GitDepSource, cand: SourceId, ctx: MatchContext): boolean {
  const locked = parseSourceId(cand);
  if (canonicalGitUrl(locked.url) !== canonicalGitUrl(want.url)) return false;
  const ref = gitReference(want);
  if (sameReference(ref, locked.reference)) return true;
  // Lockfiles before version 3 wrote `branch = "master"` as the default branch.
  const oldLock = ctx.lockVersion !== undefined && ctx.lockVersion < 3;
  return (
    oldLock &&
    "branch" in ref &&
    ref.branch === "master" &&
    !!locked.reference &&
    "defaultBranch" in locked.reference
  );
}

function gitReference(src: GitDepSource): GitReference {
  if (src.branch !== undefined) return { branch: src.branch };
  if (src.tag !== undefined) return { tag: src.tag };
  if (src.rev !== undefined) return { rev: src.rev };
  return { defaultBranch: true };
}

function sameReference(a: GitReference, b: GitReference | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** Does a `[patch]` for one of `keys` replace `dep` with a package from `cand`? */
function patchedBy(dep: Dependency, cand: SourceId | null, ctx: MatchContext, ...keys: string[]): boolean {
  for (const p of ctx.patches) {
    if (!keys.includes(p.source) || p.dep.package !== dep.package) continue;
    if (p.dep.source.kind === "path" && isPathSource(cand)) return true;
    if (p.dep.source.kind === "git" && cand?.startsWith("git+") && sameGitSource(p.dep.source, cand, ctx))
      return true;
    if (p.dep.source.kind === "registry" && cand === registrySourceOf(p.dep, ctx)) return true;
  }
  return false;
}

/**
 * For each of `deps`, the index into `candidates` it resolves to, or null. `candidates` are the locked
 * packages the depending package's lock entry lists.
 */
export function matchDependencies(
  deps: Dependency[],
  from: SourceId | null,
  candidates: LockedPackage[],
  ctx: MatchContext,
): (number | null)[] {
  return deps.map((dep) => {
    // Two path packages of one name (two versions side by side) are told apart by the directory's version.
    const atPath = dep.source.kind === "path" ? ctx.pathVersion?.(dep.source.path) : undefined;
    const hits: number[] = [];
    candidates.forEach((c, i) => {
      if (c.name !== dep.package || !sourceCompatible(dep, from, c, ctx)) return;
      if (atPath === undefined || !isPathSource(c.source) || c.version === atPath) hits.push(i);
    });
    // Cargo ignores the requirement of path and git dependencies only when there is nothing to choose.
    const byReq = hits.filter((i) => reqAllows(dep.req, candidates[i].version));
    const pool = dep.source.kind === "registry" || byReq.length > 0 ? byReq : hits;
    if (pool.length === 0) return null;
    pool.sort((a, b) => compareVersions(candidates[b].version, candidates[a].version));
    return pool[0];
  });
}

function reqAllows(req: string, version: string): boolean {
  try {
    return satisfies(req, version);
  } catch {
    return false;
  }
}
