/**
 * The project model as `cargo metadata --format-version 1` shapes it, where the two share meaning:
 * packages (with dependencies, targets, features), workspace members, and the resolve graph (nodes with
 * their dependencies tied to locked package ids). Not included: per-node `features` (that needs the
 * feature resolver; see src/resolve/), `target_directory`, `publish`, `keywords`, `categories`.
 * Pure: a Project in, a plain object out; key order is fixed.
 */
import { type CfgExpr, formatCfgExpr } from "../platform/cfg.ts";
import { parseTargetSpec, type TargetSpec } from "../platform/platform.ts";
import { parseSourceId } from "../sources/source-id.ts";
import { canonicalGitUrl } from "./ids.ts";
import { isRenamed } from "./manifest.ts";
import { registrySourceOf } from "./match.ts";
import { type ActivatedFeatures, activateFeatures, type FeatureSelection } from "./metadata-features.ts";
import type { CargoConfig, Dependency, Package, PackageId, Project, SourceId, Target } from "./model.ts";
import { compareVersions, formatReq, parseReq } from "./semver.ts";
import { libName } from "./targets.ts";
import type { Patch } from "./workspace.ts";

export interface MetadataContext {
  config: Pick<CargoConfig, "registries">;
  patches?: Patch[];
  /** Features of the members (default: their default features), as `cargo metadata`'s flags. */
  features?: FeatureSelection;
  /** Manifest the project was loaded from; its package is `resolve.root` (default: the root manifest). */
  current?: string;
}

export function projectMetadata(project: Project, ctx: MetadataContext) {
  const mctx = { config: ctx.config, patches: ctx.patches ?? [] };
  const act = activateFeatures(project, ctx.features);
  // Like Cargo: only packages the selected features reach (with all features: every package Cargo.lock has).
  const pkgs = [...project.packages.values()].filter((p) => act.features.has(p.id)).sort(comparePackages);
  const current = ctx.current ?? project.rootManifest;
  const rootPkg = pkgs.find((p) => p.manifestPath === current && p.source.startsWith("path+"));
  return {
    packages: pkgs.map((p) => packageMetadata(p, mctx)),
    workspace_members: project.members,
    workspace_default_members: project.defaultMembers,
    resolve: {
      nodes: pkgs.map((p) => resolveNode(project, p, act)),
      root: rootPkg ? rootPkg.id : null,
    },
    workspace_root: project.root,
    version: 1,
    metadata: null,
  };
}

/** Cargo orders package ids by name, then version, then source. */
function comparePackages(a: Package, b: Package): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const v = compareVersions(a.version, b.version);
  if (v !== 0) return v;
  if (a.source.startsWith("git+") && b.source.startsWith("git+"))
    return compareGitSources(a.source, b.source);
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** Two git sources in Cargo's order: by reference (tags, branches, revs, the default branch; then its
 * value), then by canonical URL. */
function compareGitSources(a: SourceId, b: SourceId): number {
  const key = (s: SourceId) => {
    const p = parseSourceId(s);
    const ref = p.reference ?? { defaultBranch: true };
    const [rank, value] =
      "tag" in ref ? [0, ref.tag] : "branch" in ref ? [1, ref.branch] : "rev" in ref ? [2, ref.rev] : [3, ""];
    return [rank, value, canonicalGitUrl(p.url)] as const;
  };
  const [ka, kb] = [key(a), key(b)];
  if (ka[0] !== kb[0]) return ka[0] - kb[0];
  for (const i of [1, 2] as const) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

function packageMetadata(p: Package, ctx: { config: Pick<CargoConfig, "registries">; patches: Patch[] }) {
  const isPath = p.source.startsWith("path+");
  return {
    name: p.name,
    version: p.version,
    id: p.id,
    license: p.license,
    license_file: p.licenseFile,
    description: p.description,
    source: isPath ? null : p.source,
    dependencies: p.dependencies.map((d) => dependencyMetadata(d, p, ctx)),
    targets: p.targets.map(targetMetadata),
    features: featuresWithImplicit(p),
    manifest_path: p.manifestPath,
    authors: p.authors,
    readme: p.readme,
    repository: p.repository,
    homepage: p.homepage,
    edition: p.edition,
    links: p.links,
    rust_version: p.rustVersion,
  };
}

function dependencyMetadata(
  d: Dependency,
  from: Package,
  ctx: { config: Pick<CargoConfig, "registries">; patches: Patch[] },
) {
  let source: string | null = null;
  let registry: string | null = null;
  // A path dependency inside a git checkout is a package of that same git source to Cargo.
  const inGit = d.source.kind === "path" && from.source.startsWith("git+");
  if (inGit) {
    source = from.source;
  } else if (d.source.kind === "registry") {
    source = registrySourceOf(d, ctx);
    if (d.source.registry && d.source.registry !== "crates-io")
      registry = source?.replace(/^registry\+/, "") ?? null;
  } else if (d.source.kind === "git") {
    const ref = d.source.branch
      ? `?branch=${d.source.branch}`
      : d.source.tag
        ? `?tag=${d.source.tag}`
        : d.source.rev
          ? `?rev=${d.source.rev}`
          : "";
    source = `git+${d.source.url}${ref}`;
  }
  return {
    name: d.package,
    source,
    req: displayReq(d.req),
    kind: d.kind === "normal" ? null : d.kind,
    rename: isRenamed(d) ? d.name : null,
    optional: d.optional,
    uses_default_features: d.defaultFeatures,
    features: d.features,
    target: d.platform === null ? null : displayPlatform(d.platform),
    registry,
    ...(d.source.kind === "path" && !inGit ? { path: d.source.path } : {}),
  };
}

/** A requirement as Cargo prints it (`1` → `^1`); left as written when it does not parse. */
export function displayReq(req: string): string {
  try {
    return formatReq(parseReq(req));
  } catch {
    return req;
  }
}

function targetMetadata(t: Target) {
  return {
    kind: t.kind,
    crate_types: t.crateTypes,
    name: t.name,
    src_path: t.srcPath,
    edition: t.edition,
    ...(t.requiredFeatures.length > 0 ? { "required-features": t.requiredFeatures } : {}),
    doc: t.doc,
    doctest: t.doctest,
    test: t.test,
  };
}

/**
 * `[features]` plus the implicit feature of each optional dependency that no feature names as `dep:NAME`,
 * as current Cargo reports them. Keys sorted.
 */
export function featuresWithImplicit(p: Package): Record<string, string[]> {
  const features: Record<string, string[]> = { ...p.features };
  const explicitDep = new Set(
    Object.values(p.features)
      .flat()
      .filter((v) => v.startsWith("dep:"))
      .map((v) => v.slice(4)),
  );
  for (const d of p.dependencies) {
    if (!d.optional || explicitDep.has(d.name) || features[d.name]) continue;
    features[d.name] = [`dep:${d.name}`];
  }
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(features).sort()) out[k] = features[k];
  return out;
}

function resolveNode(project: Project, p: Package, act: ActivatedFeatures) {
  const resolved = project.resolved.get(p.id) ?? [];
  const byPkg = new Map<PackageId, { kind: string | null; target: string | null }[]>();
  const names = new Map<PackageId, string | null>();
  p.dependencies.forEach((d, i) => {
    const id = resolved[i];
    if (!id || !act.edgeActive(p.id, i)) return;
    const kinds = byPkg.get(id) ?? [];
    const kind = d.kind === "normal" ? null : d.kind;
    const target = d.platform === null ? null : displayPlatform(d.platform);
    if (!kinds.some((k) => k.kind === kind && k.target === target)) kinds.push({ kind, target });
    byPkg.set(id, kinds);
    if (!names.has(id)) names.set(id, externName(project, d, id));
  });
  const ids = [...byPkg.keys()].sort(compareIds(project));
  return {
    id: p.id,
    dependencies: ids,
    deps: ids
      .filter((id) => names.get(id) !== null)
      .map((id) => ({
        name: names.get(id)!,
        pkg: id,
        dep_kinds: byPkg.get(id)!.sort(compareDepKinds),
      })),
    features: act.features.get(p.id) ?? [],
  };
}

/** The name the dependent uses for the dependency's lib (null when it has no lib target). */
function externName(project: Project, d: Dependency, id: PackageId): string | null {
  const dep = project.packages.get(id);
  const lib = dep?.targets.find((t) => t.kind.some((k) => LIB_KINDS.has(k)));
  if (!lib) return null;
  return isRenamed(d) ? libName(d.name) : lib.name;
}

const LIB_KINDS = new Set(["lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"]);

function compareIds(project: Project) {
  return (a: PackageId, b: PackageId) => {
    const pa = project.packages.get(a);
    const pb = project.packages.get(b);
    if (pa && pb) return comparePackages(pa, pb);
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/** Cargo's `DepKindInfo` order: normal, dev, build; no platform first, then `Platform`'s order. */
function compareDepKinds(a: { kind: string | null; target: string | null }, b: typeof a): number {
  const order = (k: string | null) => (k === null ? 0 : k === "dev" ? 1 : 2);
  if (order(a.kind) !== order(b.kind)) return order(a.kind) - order(b.kind);
  if (a.target === null || b.target === null) return a.target === b.target ? 0 : a.target === null ? -1 : 1;
  return comparePlatforms(a.target, b.target);
}

/** A `[target.X]` key as Cargo prints it: `cfg(...)` re-formatted (`target_os = "x"`, `, `), triples as is. */
export function displayPlatform(p: string): string {
  const spec = platformSpec(p);
  if (!spec) return p;
  return spec.kind === "triple" ? spec.triple : `cfg(${formatCfgExpr(spec.expr)})`;
}

function platformSpec(p: string): TargetSpec | null {
  try {
    return parseTargetSpec(p);
  } catch {
    return null;
  }
}

/** `cargo-platform`'s derived order: triples before cfgs; not < all < any < value; names before pairs. */
export function comparePlatforms(a: string, b: string): number {
  const sa = platformSpec(a);
  const sb = platformSpec(b);
  if (!sa || !sb) return strcmp(a, b);
  if (sa.kind === "triple" || sb.kind === "triple") {
    if (sa.kind === "triple" && sb.kind === "triple") return strcmp(sa.triple, sb.triple);
    return sa.kind === "triple" ? -1 : 1;
  }
  return compareCfg(sa.expr, sb.expr);
}

const CFG_RANK: Record<CfgExpr["kind"], number> = { not: 0, all: 1, any: 2, cfg: 3, bool: 4 };

function compareCfg(a: CfgExpr, b: CfgExpr): number {
  if (a.kind !== b.kind) return CFG_RANK[a.kind] - CFG_RANK[b.kind];
  if (a.kind === "not" && b.kind === "not") return compareCfg(a.of, b.of);
  if ((a.kind === "all" && b.kind === "all") || (a.kind === "any" && b.kind === "any")) {
    for (let i = 0; i < Math.min(a.of.length, b.of.length); i++) {
      const c = compareCfg(a.of[i], b.of[i]);
      if (c !== 0) return c;
    }
    return a.of.length - b.of.length;
  }
  if (a.kind === "bool" && b.kind === "bool") return Number(a.value) - Number(b.value);
  if (a.kind === "cfg" && b.kind === "cfg") {
    const xPair = a.cfg.value !== undefined;
    const yPair = b.cfg.value !== undefined;
    if (xPair !== yPair) return xPair ? 1 : -1;
    return strcmp(a.cfg.name, b.cfg.name) || strcmp(a.cfg.value ?? "", b.cfg.value ?? "");
  }
  return 0;
}

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
