/**
 * What one edge of the unit graph means: the dependency kind, the platform condition of the manifest
 * table it was declared in, and — for an optional dependency — the features of the dependent that turned
 * it on. The unit graph alone gives the kind; the rest comes from the Project's manifests when there is one.
 */
import type { Dependency, DepKind, Project } from "../cargo/model.ts";
import { matchesPlatform, type Platform, platformFor } from "../platform/platform.ts";
import type { GraphIndex } from "./units.ts";

/** normal / build / dev from the manifest; the others are edges Cargo adds between units. */
export type EdgeKind = DepKind | "build script" | "proc-macro" | "links" | "lib";

export interface EdgeInfo {
  from: number;
  to: number;
  kind: EdgeKind;
  /** The name the dependent uses for the dependency (`--extern NAME`). */
  externName: string;
  /** The dependency's key in the dependent's manifest, when the Project is known. */
  dependency: string | null;
  /** `cfg(...)` or a triple of the `[target.X.*dependencies]` table; null when unconditional or unknown. */
  platform: string | null;
  optional: boolean;
  /** Features of the dependent that enabled the optional dependency, sorted. */
  enabledBy: string[];
}

/** Describes the edge `graph.units[from].dependencies[edge]`. */
export function describeEdge(ix: GraphIndex, project: Project | null, from: number, edge: number): EdgeInfo {
  const units = ix.graph.units;
  const dep = units[from].dependencies[edge];
  const to = dep.index;
  const info: EdgeInfo = {
    from,
    to,
    kind: structuralKind(ix, from, to),
    externName: dep.extern_crate_name,
    dependency: null,
    platform: null,
    optional: false,
    enabledBy: [],
  };
  if (!project || info.kind === "build script" || info.kind === "links" || info.kind === "lib") return info;
  const decls = declarationsFor(ix, project, from, edge);
  if (decls.length === 0) return info;
  const kinds = new Set(decls.map((d) => d.kind));
  if (info.kind !== "proc-macro")
    info.kind = kinds.has("normal") ? "normal" : kinds.has("build") ? "build" : "dev";
  info.dependency = decls[0].name;
  // Unconditional if any declaration is; else the conditions, joined when several tables declare it.
  const platforms = decls.map((d) => d.platform);
  info.platform = platforms.includes(null) ? null : [...new Set(platforms as string[])].sort().join(" | ");
  info.optional = decls.every((d) => d.optional);
  if (info.optional) {
    const pkg = project.packages.get(units[from].pkg_id);
    const enabled = new Set<string>();
    for (const d of decls)
      for (const f of enablingFeatures(pkg?.features ?? {}, units[from].features, d.name)) enabled.add(f);
    info.enabledBy = [...enabled].sort();
  }
  return info;
}

function structuralKind(ix: GraphIndex, from: number, to: number): EdgeKind {
  const a = ix.roles[from];
  const b = ix.roles[to];
  const samePackage = ix.graph.units[from].pkg_id === ix.graph.units[to].pkg_id;
  if (b === "build-script-run" && a === "build-script-run" && !samePackage) return "links";
  if (b === "build-script-run" || b === "build-script") return "build script";
  if (b === "proc-macro") return "proc-macro";
  if (samePackage) return "lib";
  if (a === "build-script") return "build";
  if (a === "test" || a === "doctest" || a === "bench" || a === "example") return "dev";
  return "normal";
}

/**
 * The manifest entries of the dependent's package that this edge comes from: same resolved package, a
 * kind that fits the dependent unit, and (for renamed dependencies) the same extern name.
 */
export function declarationsFor(ix: GraphIndex, project: Project, from: number, edge: number): Dependency[] {
  const unit = ix.graph.units[from];
  const dep = unit.dependencies[edge];
  const toId = ix.graph.units[dep.index].pkg_id;
  const pkg = project.packages.get(unit.pkg_id);
  const resolved = project.resolved.get(unit.pkg_id);
  if (!pkg || !resolved) return [];
  const role = ix.roles[from];
  const kinds: string[] =
    role === "build-script"
      ? ["build"]
      : role === "test" || role === "doctest" || role === "bench" || role === "example"
        ? ["normal", "dev"]
        : ["normal"];
  const out = pkg.dependencies.filter((d, i) => {
    if (resolved[i] !== toId || !kinds.includes(d.kind)) return false;
    return d.name === d.package || d.name.replace(/-/g, "_") === dep.extern_crate_name;
  });
  if (out.length < 2 || out.every((d) => d.platform === null)) return out;
  // Declared in several `[target.X]` tables: keep those for the unit's platform (build scripts' on the host).
  const platform = platformOf(unit.platform ?? ix.hostTriple);
  if (!platform) return out;
  const here = out.filter((d) => {
    try {
      return matchesPlatform(d.platform, platform);
    } catch {
      return true;
    }
  });
  return here.length > 0 ? here : out;
}

const platforms = new Map<string, Platform | null>();
function platformOf(triple: string | null): Platform | null {
  if (triple === null) return null;
  if (!platforms.has(triple)) {
    try {
      platforms.set(triple, platformFor(triple));
    } catch {
      platforms.set(triple, null); // a triple without built-in data: conditions stay unjudged
    }
  }
  return platforms.get(triple) ?? null;
}

/**
 * Features in `active` that directly turn on the optional dependency `name`: `dep:name`, a non-weak
 * `name/feat`, or the implicit feature `name` (which exists when no feature uses `dep:name`).
 */
export function enablingFeatures(table: Record<string, string[]>, active: string[], name: string): string[] {
  const usesDepSyntax = Object.values(table).some((values) => values.includes(`dep:${name}`));
  const out: string[] = [];
  for (const f of active) {
    const values = table[f];
    if (values === undefined) {
      if (f === name && !usesDepSyntax) out.push(f);
      continue;
    }
    if (values.some((v) => v === `dep:${name}` || v.startsWith(`${name}/`))) out.push(f);
  }
  return out.sort();
}
