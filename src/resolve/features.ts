/**
 * Cargo's feature resolver (`core/resolver/features.rs`), over the locked package graph.
 *
 * Features are recorded per (package, FeaturesFor). With resolver "2"/"3", build-dependencies and
 * proc-macros, and everything below them, are resolved apart from normal dependencies (`forHost`);
 * dependencies for platforms not being built activate nothing; dev-dependencies count only when tests
 * or examples are built. With resolver "1" there is one namespace and every platform counts.
 */
import type { Dependency, PackageId } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import type { Cfg } from "../platform/cfg.ts";
import { type FeatureValue, parseFeatureValue } from "./feature-value.ts";
import type { ResolveGraph } from "./resolve-graph.ts";

/** Does a `[target.SPEC.*dependencies]` key hold for this triple? (`null` spec: always.) */
/** Whether a `[target.X]` key (null: none) applies to `triple`, whose cfg gains `extraCfg` (the
 * `--cfg` values of the rustflags its units are compiled with). */
const noCfg = (): readonly Cfg[] => [];

export type PlatformMatcher = (spec: string | null, triple: string, extraCfg?: readonly Cfg[]) => boolean;

export interface FeatureOpts {
  /** Build-dependencies and proc-macros do not share features with normal dependencies. */
  decoupleHostDeps: boolean;
  /** Dev-dependencies activate features only when dev units are built. */
  decoupleDevDeps: boolean;
  /** Dependencies for platforms not being built activate nothing. */
  ignoreInactiveTargets: boolean;
}

export function featureOpts(resolver: "1" | "2" | "3", hasDevUnits: boolean): FeatureOpts {
  if (resolver === "1")
    return { decoupleHostDeps: false, decoupleDevDeps: false, ignoreInactiveTargets: false };
  return { decoupleHostDeps: true, decoupleDevDeps: !hasDevUnits, ignoreInactiveTargets: true };
}

/** What the command line asks of one member: `--features`, `--all-features`, `--no-default-features`. */
export interface CliFeatures {
  features: FeatureValue[];
  allFeatures: boolean;
  usesDefaultFeatures: boolean;
}

export interface FeatureResolveInput {
  graph: ResolveGraph;
  opts: FeatureOpts;
  /** The selected members and the features the command line gives each. */
  members: { id: PackageId; cli: CliFeatures }[];
  hostTriple: string;
  /** Triples being built for normal (target) units; the host triple when no `--target`. */
  requestedTriples: string[];
  matches: PlatformMatcher;
  /** Rustflags' `--cfg` values of a kind (`host` or a triple): they join its cfg (src/resolve/rustflags.ts). */
  rustflagsCfg?: (kind: string) => readonly Cfg[];
}

/** The outcome: features and activated optional dependencies of each (package, forHost). */
export class ResolvedFeatures {
  constructor(
    private readonly opts: FeatureOpts,
    private readonly features: Map<string, Set<string>>,
    private readonly deps: Map<string, Set<string>>,
  ) {}

  private key(id: PackageId, forHost: boolean): string {
    return `${this.opts.decoupleHostDeps && forHost ? "H" : "N"}${id}`;
  }

  private readonly sorted = new Map<string, string[]>();

  /** Sorted, as Cargo reports them; null when the resolver never reached this package on that side. */
  activatedFeatures(id: PackageId, forHost: boolean): string[] | null {
    const key = this.key(id, forHost);
    let list = this.sorted.get(key);
    if (!list) {
      const set = this.features.get(key);
      if (!set) return null;
      list = [...set].sort();
      this.sorted.set(key, list);
    }
    return list;
  }

  isDepActivated(id: PackageId, forHost: boolean, depName: string): boolean {
    return this.deps.get(this.key(id, forHost))?.has(depName) ?? false;
  }
}

/** One step of the resolver: activate a package with feature values, or one feature value. */
type Task =
  | { kind: "pkg"; id: PackageId; forHost: boolean; fvs: FeatureValue[]; from: PackageId | null }
  | { kind: "fv"; id: PackageId; forHost: boolean; fv: FeatureValue; from: PackageId | null };

/** One dependency package as the feature resolver sees it; `pkg` null: not in Cargo.lock. */
interface FeatureEdge {
  pkg: PackageId | null;
  deps: { dep: Dependency; forHost: boolean }[];
}

export function resolveFeatures(input: FeatureResolveInput): ResolvedFeatures {
  return new FeatureResolver(input).run();
}

class FeatureResolver {
  private readonly graph: ResolveGraph;
  private readonly opts: FeatureOpts;
  private readonly trackForHost: boolean;
  private readonly activatedFeatures = new Map<string, Set<string>>();
  private readonly activatedDependencies = new Map<string, Set<string>>();
  private readonly processedDeps = new Set<string>();
  /** `dep?/feat` waiting for `dep` to be activated: key (pkg, forHost, dep) → features. */
  private readonly deferredWeak = new Map<string, Set<string>>();
  private readonly depsCache = new Map<string, FeatureEdge[]>();

  constructor(private readonly input: FeatureResolveInput) {
    this.graph = input.graph;
    this.opts = input.opts;
    this.trackForHost = this.opts.decoupleHostDeps || this.opts.ignoreInactiveTargets;
  }

  run(): ResolvedFeatures {
    for (const { id, cli } of this.input.members) {
      const fvs = this.fvsFromRequested(id, cli);
      if (this.trackForHost && this.graph.isProcMacro(id)) {
        // A proc-macro member is also activated for normal units (its tests, bins).
        this.push({ kind: "pkg", id, forHost: false, fvs, from: null });
        this.drain();
        this.push({ kind: "pkg", id, forHost: true, fvs, from: null });
      } else {
        this.push({ kind: "pkg", id, forHost: false, fvs, from: null });
      }
      this.drain();
    }
    return new ResolvedFeatures(this.opts, this.activatedFeatures, this.activatedDependencies);
  }

  /**
   * Cargo's resolver recurses (activate_pkg → activate_fv → ...); here the same steps are tasks on a
   * stack, taken in the same depth-first order, so that deep graphs do not exhaust the call stack.
   * Activation only ever adds, and deferred weak features are picked up whichever comes first, so the
   * result is Cargo's.
   */
  private readonly tasks: Task[] = [];

  private push(t: Task): void {
    this.tasks.push(t);
  }

  /** Pushes tasks so that they are taken in the order given. */
  private pushAll(ts: Task[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.tasks.push(ts[i] as Task);
  }

  private drain(): void {
    for (let t = this.tasks.pop(); t !== undefined; t = this.tasks.pop()) {
      if (t.kind === "pkg") this.activatePkg(t.id, t.forHost, t.fvs, t.from);
      else this.activateFv(t.id, t.forHost, t.fv, t.from);
    }
  }

  /** Storage key: with host deps coupled, both sides share one entry. */
  private saveKey(id: PackageId, forHost: boolean): string {
    return `${this.opts.decoupleHostDeps && forHost ? "H" : "N"}${id}`;
  }

  private activatePkg(id: PackageId, forHost: boolean, fvs: FeatureValue[], from: PackageId | null): void {
    const key = this.saveKey(id, forHost);
    if (!this.activatedFeatures.has(key)) this.activatedFeatures.set(key, new Set());
    const next: Task[] = fvs.map((fv) => ({ kind: "fv", id, forHost, fv, from }));
    const processed = `${forHost ? "H" : "N"}${id}`;
    if (!this.processedDeps.has(processed)) {
      this.processedDeps.add(processed);
      for (const edge of this.deps(id, forHost)) {
        for (const { dep, forHost: depForHost } of edge.deps) {
          // Optional dependencies are activated by the features that name them.
          if (dep.optional) continue;
          next.push(this.activation(id, edge.pkg, dep, depForHost));
        }
      }
    }
    this.pushAll(next);
  }

  private activateFv(id: PackageId, forHost: boolean, fv: FeatureValue, from: PackageId | null): void {
    switch (fv.kind) {
      case "feature":
        this.activateRec(id, forHost, fv.name, from);
        return;
      case "dep":
        this.activateDependency(id, forHost, fv.dep);
        return;
      case "dep-feature":
        this.activateDepFeature(id, forHost, fv.dep, fv.feature, fv.weak);
        return;
    }
  }

  private activateRec(id: PackageId, forHost: boolean, feature: string, from: PackageId | null): void {
    const key = this.saveKey(id, forHost);
    let enabled = this.activatedFeatures.get(key);
    if (!enabled) {
      enabled = new Set();
      this.activatedFeatures.set(key, enabled);
    }
    if (enabled.has(feature)) return;
    const fvs = this.graph.featureMap(id).get(feature);
    if (!fvs) throw this.missingFeature(id, feature, from);
    enabled.add(feature);
    this.pushAll(fvs.map((fv) => ({ kind: "fv", id, forHost, fv, from: id })));
  }
  private missingFeature(id: PackageId, feature: string, from: PackageId | null): UserError {
    const pkg = this.graph.package(id);
    if (from === null || from === id) {
      const hidden = pkg.dependencies.some((d) => d.optional && d.name === feature)
        ? ` (an optional dependency with that name exists, but the \`features\` table includes it with the "dep:" syntax so it does not have an implicit feature with that name)`
        : "";
      // Cargo's two wordings: "feature" for a hidden optional dependency, else "the feature".
      const the = hidden ? "" : "the ";
      return new UserError(
        `package \`${this.graph.describe(id)}\` does not have ${the}feature \`${feature}\`${hidden}`,
        // Asked for by the package's own [features] table: that manifest is where to look.
        from === id ? pkg.manifestPath : undefined,
      );
    }
    return new UserError(
      `package \`${this.graph.describe(from)}\` depends on \`${pkg.name}\` with feature \`${feature}\` but \`${pkg.name}\` does not have that feature`,
      this.graph.package(from).manifestPath,
    );
  }

  private activateDependency(id: PackageId, forHost: boolean, depName: string): void {
    const save = this.saveKey(id, forHost);
    let set = this.activatedDependencies.get(save);
    if (!set) {
      set = new Set();
      this.activatedDependencies.set(save, set);
    }
    set.add(depName);
    const weakKey = `${forHost ? "H" : "N"}${id}\0${depName}`;
    const toEnable = this.deferredWeak.get(weakKey);
    this.deferredWeak.delete(weakKey);
    const next: Task[] = [];
    for (const edge of this.deps(id, forHost)) {
      for (const { dep, forHost: depForHost } of edge.deps) {
        if (dep.name !== depName) continue;
        if (edge.pkg === null) throw this.graph.notLocked(id, dep);
        for (const f of toEnable ?? []) {
          next.push({ kind: "fv", id: edge.pkg, forHost: depForHost, fv: parseFeatureValue(f), from: id });
        }
        next.push(this.activation(id, edge.pkg, dep, depForHost));
      }
    }
    this.pushAll(next);
  }

  private activateDepFeature(
    id: PackageId,
    forHost: boolean,
    depName: string,
    feature: string,
    weak: boolean,
  ): void {
    const next: Task[] = [];
    for (const edge of this.deps(id, forHost)) {
      for (const { dep, forHost: depForHost } of edge.deps) {
        if (dep.name !== depName) continue;
        if (dep.optional) {
          const active = this.activatedDependencies.get(this.saveKey(id, forHost))?.has(depName) ?? false;
          if (weak && !active) {
            // Weak and not (yet) activated: remember, in case something enables it later.
            const weakKey = `${forHost ? "H" : "N"}${id}\0${depName}`;
            let set = this.deferredWeak.get(weakKey);
            if (!set) {
              set = new Set();
              this.deferredWeak.set(weakKey, set);
            }
            set.add(feature);
            continue;
          }
          if (edge.pkg === null) throw this.graph.notLocked(id, dep);
          next.push({ kind: "fv", id, forHost, fv: { kind: "dep", dep: depName }, from: id });
          // `dep/feat` also turns on the implicit feature `dep`, unless `dep:` hid it.
          if (!weak && this.graph.featureMap(id).has(depName)) {
            next.push({ kind: "fv", id, forHost, fv: { kind: "feature", name: depName }, from: id });
          }
        }
        if (edge.pkg === null) throw this.graph.notLocked(id, dep);
        next.push({
          kind: "fv",
          id: edge.pkg,
          forHost: depForHost,
          fv: parseFeatureValue(feature),
          from: id,
        });
      }
    }
    this.pushAll(next);
  }

  /** Activating the package a dependency declaration of `from` resolves to (`to`: null if not locked). */
  private activation(from: PackageId, to: PackageId | null, dep: Dependency, forHost: boolean): Task {
    if (to === null) throw this.graph.notLocked(from, dep);
    return { kind: "pkg", id: to, forHost, fvs: this.fvsFromDependency(to, dep), from };
  }

  private fvsFromDependency(depId: PackageId, dep: Dependency): FeatureValue[] {
    const result = dep.features.map(parseFeatureValue);
    if (dep.defaultFeatures && this.graph.featureMap(depId).has("default")) {
      result.push({ kind: "feature", name: "default" });
    }
    return result;
  }

  private fvsFromRequested(id: PackageId, cli: CliFeatures): FeatureValue[] {
    const map = this.graph.featureMap(id);
    const result = [...cli.features];
    if (cli.usesDefaultFeatures && map.has("default")) result.push({ kind: "feature", name: "default" });
    if (cli.allFeatures) for (const name of map.keys()) result.push({ kind: "feature", name });
    return result;
  }

  /** The dependencies of a package on one side, minus inactive platforms and decoupled dev-deps. */
  private deps(id: PackageId, forHost: boolean): FeatureEdge[] {
    const cacheKey = `${forHost ? "H" : "N"}${id}`;
    const cached = this.depsCache.get(cacheKey);
    if (cached) return cached;
    const { matches, hostTriple, requestedTriples, rustflagsCfg = noCfg } = this.input;
    const out: FeatureEdge[] = [];
    const unlocked = this.graph.unlocked(id);
    const edges: { pkg: PackageId | null; deps: Dependency[] }[] = [
      ...this.graph.deps(id),
      ...(unlocked.length > 0 ? [{ pkg: null, deps: unlocked }] : []),
    ];
    for (const edge of edges) {
      const deps: { dep: Dependency; forHost: boolean }[] = [];
      for (const dep of edge.deps) {
        if (dep.platform !== null && this.opts.ignoreInactiveTargets) {
          const active =
            dep.kind === "build" || forHost
              ? matches(dep.platform, hostTriple, rustflagsCfg("host"))
              : requestedTriples.some((t) => matches(dep.platform, t, rustflagsCfg(t)));
          if (!active) continue;
        }
        if (this.opts.decoupleDevDeps && dep.kind === "dev") continue;
        const depForHost =
          forHost ||
          (this.trackForHost &&
            (dep.kind === "build" || (edge.pkg !== null && this.graph.isProcMacro(edge.pkg))));
        deps.push({ dep, forHost: depForHost });
      }
      if (deps.length > 0) out.push({ pkg: edge.pkg, deps });
    }
    this.depsCache.set(cacheKey, out);
    return out;
  }
}
