/**
 * The feature set `cargo metadata` reports: one unified set per package over the whole graph, every
 * platform and dependency kind at once (not the per-unit truth; that is src/resolve/). Members get their
 * default features, or all of them. It decides which optional dependency edges `resolve.nodes` shows.
 * A fixpoint over: `feat`, `dep:x`, `x/f` (enables optional `x`), `x?/f` (enables `x` too, but not the
 * feature `x`: Cargo's dependency resolver, unlike its feature resolver, ignores the `?`), a
 * dependency's `features` and `default-features`, and the implicit feature of an optional dependency.
 */
import type { Package, PackageId, Project } from "./model.ts";

export interface FeatureSelection {
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
}

export interface ActivatedFeatures {
  /** Features on per package (explicit and implicit ones), sorted. */
  features: Map<PackageId, string[]>;
  /** Whether dependency `index` of package `id` is active (non-optional, or its optional dep is on). */
  edgeActive(id: PackageId, index: number): boolean;
}

export function activateFeatures(project: Project, sel: FeatureSelection = {}): ActivatedFeatures {
  const on = new Map<PackageId, Set<string>>();
  const depsOn = new Map<PackageId, Set<string>>();
  const members = new Set(project.members);
  const setOf = (m: Map<PackageId, Set<string>>, id: PackageId) => {
    let s = m.get(id);
    if (!s) {
      s = new Set();
      m.set(id, s);
    }
    return s;
  };
  let changed = true;
  const add = (m: Map<PackageId, Set<string>>, id: PackageId, v: string) => {
    const s = setOf(m, id);
    if (!s.has(v)) {
      s.add(v);
      changed = true;
    }
  };
  const reach = (id: PackageId) => {
    if (!on.has(id)) {
      on.set(id, new Set());
      changed = true;
    }
  };

  for (const id of project.members) {
    const p = project.packages.get(id);
    if (!p) continue;
    reach(id);
    if (sel.allFeatures) {
      for (const f of Object.keys(p.features)) add(on, id, f);
      for (const d of p.dependencies) {
        if (!d.optional) continue;
        add(depsOn, id, d.name);
        if (!hasDepPrefix(p, d.name)) add(on, id, d.name);
      }
    } else if (!sel.noDefaultFeatures && p.features.default) add(on, id, "default");
  }

  const edges = (p: Package, name: string) =>
    p.dependencies
      .map((d, i) => ({ d, target: project.resolved.get(p.id)?.[i] ?? null }))
      .filter((e) => e.d.name === name && e.target !== null);

  while (changed) {
    changed = false;
    for (const [id, feats] of [...on.entries()]) {
      const p = project.packages.get(id);
      if (!p) continue;
      const enabledDeps = setOf(depsOn, id);
      const value = (v: string) => {
        if (v.startsWith("dep:")) add(depsOn, id, v.slice(4));
        else if (v.includes("/")) {
          const weak = v.includes("?/");
          const [dep, feat] = v.split(weak ? "?/" : "/");
          if (p.dependencies.some((d) => d.optional && d.name === dep)) {
            // Cargo's dependency resolver (which `cargo metadata` shows) is not weak-aware: `dep?/feat`
            // pulls the optional dependency in with `feat`, only without the implicit feature `dep`.
            add(depsOn, id, dep);
            if (!weak && !hasDepPrefix(p, dep)) add(on, id, dep);
          } else if (!weak && p.features[dep] !== undefined) add(on, id, dep);
          for (const e of edges(p, dep)) addFeature(e.target!, feat);
        } else add(on, id, v);
      };
      for (const f of [...feats]) {
        // A dependency's `features = ["x/f"]` arrives here as a value, not a feature name.
        if (f.includes("/") || f.startsWith("dep:")) {
          value(f);
          continue;
        }
        const values = p.features[f];
        if (values === undefined) {
          // The implicit feature of an optional dependency.
          if (p.dependencies.some((d) => d.optional && d.name === f)) add(depsOn, id, f);
          continue;
        }
        for (const v of values) value(v);
      }
      p.dependencies.forEach((d, i) => {
        const target = project.resolved.get(id)?.[i] ?? null;
        if (target === null || (d.kind === "dev" && !members.has(id))) return;
        if (d.optional && !enabledDeps.has(d.name)) return;
        reach(target);
        const tp = project.packages.get(target);
        if (d.defaultFeatures && tp?.features.default) add(on, target, "default");
        for (const f of d.features) addFeature(target, f);
      });
    }
  }

  function addFeature(target: PackageId, f: string) {
    reach(target);
    // `dep/feat` inside a dependency's feature list is a feature value of that dependency.
    add(on, target, f);
  }

  const features = new Map<PackageId, string[]>();
  for (const [id, s] of on) {
    features.set(id, [...s].filter((f) => !f.includes("/") && !f.startsWith("dep:")).sort());
  }
  return {
    features,
    edgeActive(id, index) {
      const p = project.packages.get(id);
      const d = p?.dependencies[index];
      if (!p || !d || !on.has(id)) return false;
      return !d.optional || (depsOn.get(id)?.has(d.name) ?? false);
    },
  };
}

/** Whether any feature of `p` names `dep:NAME` (then no implicit feature NAME exists). */
function hasDepPrefix(p: Package, name: string): boolean {
  return Object.values(p.features).some((vs) => vs.includes(`dep:${name}`));
}
