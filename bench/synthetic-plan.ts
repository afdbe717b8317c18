/**
 * The shape of a synthetic crate graph (pure, seeded): which crates exist, in which layer, and what each
 * depends on. Shaped like a real dependency tree: crates depend on 3-8 crates of lower layers (most from
 * the layer just below), some dependencies are optional behind features, some crates have a build script
 * with build-dependencies, a few have `[target.'cfg(windows)'.dependencies]` (on crates nothing else
 * uses, like winapi), a few crates exist in two semver-incompatible versions (one crate even uses both,
 * under a rename), and features propagate `std` down the tree as `dep/std` and `dep?/std`.
 * Layers make the graph acyclic; every package is reachable from the workspace, so Cargo.lock holds
 * exactly `packageCount` registry packages.
 */
import { Random } from "./random.ts";

export type DepKind = "normal" | "build" | "dev";

export interface SynDep {
  /** The package name in the registry. */
  package: string;
  /** The name the dependent uses (`package = ...` when it differs). */
  rename: string | null;
  /** The exact version this edge was drawn to; `req` matches it and no other version of `package`. */
  version: string;
  req: string;
  kind: DepKind;
  optional: boolean;
  /** A `cfg(...)` expression, or null for every platform. */
  target: string | null;
  defaultFeatures: boolean;
  features: string[];
  /** The feature of the dependent that turns on an optional dependency (`dep:x` style), or null. */
  viaFeature: string | null;
}

export interface SynCrate {
  name: string;
  version: string;
  layer: number;
  edition: "2018" | "2021";
  deps: SynDep[];
  /** [features] as written in Cargo.toml, keys sorted. */
  features: Record<string, string[]>;
  buildScript: boolean;
}

export interface SynPlan {
  crates: SynCrate[];
  /** Deps of the workspace's `app` member: every crate of the top layer. */
  rootDeps: SynDep[];
  layers: number;
}

export interface SynOptions {
  /** Registry packages (name, version pairs) the lockfile will hold. */
  crates: number;
  seed: number;
}

interface Node {
  name: string;
  version: string;
  layer: number;
  /** Windows-only crates are reached only through `cfg(windows)` edges. */
  windowsOnly: boolean;
  dependents: number;
}

export function crateName(i: number): string {
  const n = String(i).padStart(5, "0");
  // Some names with underscores: Cargo treats `-` and `_` alike in places, and crate (lib) names differ.
  return i % 7 === 3 ? `syn_${n}` : `syn-${n}`;
}

/** The Rust identifier a dependency is known by in code. */
export function externName(dep: { package: string; rename: string | null }): string {
  return (dep.rename ?? dep.package).replace(/-/g, "_");
}

function caretReq(version: string, rng: Random): string {
  const [major, minor] = version.split(".");
  if (rng.chance(0.1)) return `~${major}.${minor}`;
  return major === "0" ? `^0.${minor}` : `^${major}.${minor}`;
}

function secondVersion(version: string): string {
  const [major, minor] = version.split(".").map(Number);
  return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
}

export function planSynthetic(opts: SynOptions): SynPlan {
  const rng = new Random(opts.seed * 2654435761 + opts.crates);
  const total = Math.max(opts.crates, 12);
  const layers = Math.max(3, Math.min(16, Math.round(Math.log2(total) * 1.3)));
  const twoVersions = Math.max(1, Math.round(total * 0.03));
  const windowsOnly = Math.max(1, Math.round(total * 0.01));
  const names = total - twoVersions;

  // Bottom-heavy layers, as in real trees: many small leaf crates, few top-level ones.
  const weights = Array.from({ length: layers }, (_, i) => layers - i + layers / 2);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.max(1, Math.floor((names * w) / wsum)));
  widths[0] += names - widths.reduce((a, b) => a + b, 0);

  const byLayer: Node[][] = Array.from({ length: layers }, () => []);
  let index = 0;
  for (let layer = 0; layer < layers; layer++) {
    for (let j = 0; j < widths[layer]; j++) {
      const major = rng.chance(0.6) ? 0 : rng.int(1, 3);
      const version = `${major}.${rng.int(0, 12)}.${rng.int(0, 20)}`;
      byLayer[layer].push({ name: crateName(index++), version, layer, windowsOnly: false, dependents: 0 });
    }
  }
  // The last `windowsOnly` leaf crates are reached only from Windows.
  for (const node of byLayer[0].slice(-windowsOnly)) node.windowsOnly = true;
  // Second versions of some crates below the top layer (not of Windows-only ones).
  const candidates = byLayer
    .slice(0, -1)
    .flat()
    .filter((n) => !n.windowsOnly);
  const doubled = new Set<Node>();
  while (doubled.size < Math.min(twoVersions, candidates.length)) doubled.add(rng.pick(candidates));
  for (const node of [...doubled]) {
    byLayer[node.layer].push({ ...node, version: secondVersion(node.version), dependents: 0 });
  }

  const common = byLayer.map((nodes) => nodes.filter((n) => !n.windowsOnly));
  const crates = new Map<Node, SynCrate>();
  const edge = (
    from: SynCrate,
    to: Node,
    kind: DepKind,
    extra: Partial<SynDep> = {},
    explicitFeature = false,
  ): SynDep => {
    // A second version of a crate the dependent already uses comes in under a rename.
    const rename = from.deps.some((d) => d.package === to.name && d.version !== to.version)
      ? `${to.name.replace(/-/g, "_")}_v${to.version.replace(/\./g, "_")}`
      : null;
    const dep: SynDep = {
      package: to.name,
      rename,
      version: to.version,
      req: caretReq(to.version, rng),
      kind,
      optional: false,
      target: null,
      defaultFeatures: true,
      features: [],
      viaFeature: null,
      ...extra,
    };
    if (explicitFeature) dep.viaFeature = `with-${rename ?? to.name}`;
    from.deps.push(dep);
    if (kind !== "dev" && !dep.optional) to.dependents++;
    return dep;
  };
  const hasEdgeTo = (c: SynCrate, n: Node) => c.deps.some((d) => d.package === n.name);
  const pickBelow = (layer: number): Node => {
    const from = rng.chance(0.6) ? layer - 1 : rng.int(0, layer - 1);
    return rng.pick(common[from]);
  };

  for (let layer = 0; layer < layers; layer++) {
    for (const node of byLayer[layer]) {
      const c: SynCrate = {
        name: node.name,
        version: node.version,
        layer,
        edition: rng.chance(0.7) ? "2021" : "2018",
        deps: [],
        features: {},
        buildScript: false,
      };
      crates.set(node, c);
      if (layer === 0) continue;
      // Even a tiny project has one build script and one optional dependency (the first crate of layer 1).
      const first = node === byLayer[layer][0] && layer === 1;
      const fanOut = rng.int(3, 8);
      for (let tries = 0; c.deps.length < fanOut && tries < fanOut * 4; tries++) {
        const to = pickBelow(layer);
        const sameName = c.deps.find((d) => d.package === to.name);
        // Both versions of one crate from one dependent: allowed (with a rename), but rare.
        if (sameName && (sameName.version === to.version || !rng.chance(0.05))) continue;
        if (rng.chance(0.12) || (first && c.deps.length === 0)) {
          edge(c, to, "normal", { optional: true }, rng.chance(0.5));
        } else if (rng.chance(0.2)) {
          edge(c, to, "normal", { defaultFeatures: false, features: rng.chance(0.5) ? ["std"] : [] });
        } else {
          edge(c, to, "normal");
        }
      }
      if (rng.chance(0.04)) {
        const to = rng.pick(common[0]);
        if (!hasEdgeTo(c, to))
          edge(c, to, "normal", { target: rng.chance(0.5) ? "cfg(unix)" : "cfg(not(windows))" });
      }
      if (rng.chance(0.08) || first) {
        c.buildScript = true;
        const n = rng.int(1, 2);
        for (let k = 0; k < n; k++) {
          const to = pickBelow(layer);
          // The same package as a normal and a build dependency is common (one name, one version).
          const clash = c.deps.some(
            (d) => d.package === to.name && (d.version !== to.version || d.kind === "build"),
          );
          if (!clash) edge(c, to, "build");
        }
      }
      if (rng.chance(0.1)) {
        const to = pickBelow(layer);
        if (!hasEdgeTo(c, to)) edge(c, to, "dev");
      }
    }
  }

  // Windows-only crates: each gets a `[target.'cfg(windows)'.dependencies]` edge from a random crate.
  for (const node of byLayer[0].filter((n) => n.windowsOnly)) {
    const from = crates.get(rng.pick(byLayer[rng.int(1, layers - 1)]))!;
    edge(from, node, "normal", { target: "cfg(windows)" });
  }
  // Every other package must be reachable through an unconditional edge, so the lockfile holds them all:
  // an orphan becomes a plain dependency of a crate one or two layers up.
  // (In the rare case every crate above already names it, the workspace depends on it directly.)
  const rootExtra: Node[] = [];
  for (let layer = 0; layer < layers - 1; layer++) {
    for (const node of byLayer[layer]) {
      if (node.dependents > 0 || node.windowsOnly) continue;
      const free = (span: number) =>
        byLayer
          .slice(layer + 1, layer + 1 + span)
          .flat()
          .map((n) => crates.get(n)!)
          .filter((c) => !hasEdgeTo(c, node));
      const near = free(2);
      const far = near.length > 0 ? near : free(layers);
      if (far.length > 0) edge(rng.pick(far), node, "normal");
      else rootExtra.push(node);
    }
  }

  for (const c of crates.values()) c.features = featuresOf(c, rng);
  const rootNodes: Node[] = [];
  const rootNames = new Set<string>();
  for (const n of [...byLayer[layers - 1], ...rootExtra]) {
    if (rootNames.has(n.name)) continue;
    rootNames.add(n.name);
    rootNodes.push(n);
  }
  const rootDeps: SynDep[] = rootNodes.map((n) => ({
    package: n.name,
    rename: null,
    version: n.version,
    req: caretReq(n.version, rng),
    kind: "normal",
    optional: false,
    target: null,
    defaultFeatures: true,
    features: [],
    viaFeature: null,
  }));
  const all = [...crates.values()].sort((a, b) =>
    a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1,
  );
  return { crates: all, rootDeps, layers };
}

/** `default = ["std", ...]`, `std` passing itself down, and one feature per explicit optional dep. */
function featuresOf(c: SynCrate, rng: Random): Record<string, string[]> {
  const features: Record<string, string[]> = {};
  const std: string[] = [];
  const defaults = ["std"];
  for (const d of c.deps) {
    if (d.kind !== "normal" || d.target !== null) continue;
    const key = d.rename ?? d.package;
    if (d.optional) {
      std.push(`${key}?/std`);
      if (d.viaFeature) features[d.viaFeature] = [`dep:${key}`];
      if (rng.chance(0.3)) defaults.push(d.viaFeature ?? key);
    } else if (!d.defaultFeatures) {
      std.push(`${key}/std`);
    }
  }
  features.default = defaults.sort();
  features.std = std.sort();
  return Object.fromEntries(Object.entries(features).sort(([a], [b]) => (a < b ? -1 : 1)));
}
