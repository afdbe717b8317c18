/**
 * Lowers the package graph to units (Cargo's `core/compiler/unit_dependencies.rs`): which target of which
 * package is compiled in which mode, for which platform, with which features, depending on which units.
 * Internally a unit's kind is `"host"` or a triple (with no `--target`, the host triple stands for the
 * target side, as Cargo's "explicit host kind"); `finish.ts` turns this into the printed graph.
 */
import type { LinksOverrides } from "../cargo/links-overrides.ts";
import type { Dependency, Package, PackageId, Target } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import type { Cfg } from "../platform/cfg.ts";
import type { PlatformMatcher, ResolvedFeatures } from "./features.ts";
import { type ProfileKey, profileFor, profileKeyString, runProfileFor } from "./profile.ts";
import type { ResolveGraph } from "./resolve-graph.ts";
import {
  buildScript,
  crateName,
  forHost,
  isBench,
  isBin,
  isCustomBuild,
  isExample,
  isLib,
  isLinkable,
  isProcMacro,
  isTest,
  libTarget,
  linkableTarget,
} from "./targets.ts";
import type { UnitMode } from "./unit-graph.ts";

/** `"host"` (Cargo's `CompileKind::Host`) or a target triple. */
export type Kind = string;
export const HOST: Kind = "host";

export interface UnitDraft {
  key: string;
  pkg: Package;
  target: Target;
  mode: UnitMode;
  kind: Kind;
  features: string[];
  profile: ProfileKey;
  deps: DepDraft[];
}

export interface DepDraft {
  unit: UnitDraft;
  externCrateName: string;
  public: boolean;
}

/** Cargo's `UnitFor`, reduced to what decides units: built for the host, and with host features. */
export interface UnitFor {
  host: boolean;
  hostFeatures: boolean;
}

export interface UnitBuilderInput {
  graph: ResolveGraph;
  features: ResolvedFeatures;
  hostTriple: string;
  matches: PlatformMatcher;
  /** `[target.<triple>.<links>]` of the config: those build scripts are not compiled nor run. */
  linksOverrides?: LinksOverrides;
  /** Rustflags' `--cfg` values of a kind: they join its cfg (src/resolve/rustflags.ts). */
  rustflagsCfg?: (kind: Kind) => readonly Cfg[];
}

const isAnyTest = (mode: UnitMode): boolean => mode === "test" || mode === "doctest";

export class UnitBuilder {
  /** Every unit, by key, once its dependencies are known (Cargo's `unit_dependencies`). */
  readonly units = new Map<string, UnitDraft>();
  /** Edges `parent>child` that exist only because of dev-dependencies. */
  private readonly devEdges = new Set<string>();
  private readonly allFeaturesCache = new Map<PackageId, Set<string>>();

  constructor(private readonly input: UnitBuilderInput) {}

  tripleOf(kind: Kind): string {
    return kind === HOST ? this.input.hostTriple : kind;
  }

  /** Creates (or finds) a unit; its dependencies are filled in by `depsOf`. */
  intern(
    pkg: Package,
    target: Target,
    mode: UnitMode,
    kind: Kind,
    features: string[],
    profile: ProfileKey,
  ): UnitDraft {
    const key = `${pkg.id}|${target.kind.join(",")}:${target.name}|${mode}|${kind}|${features.join(",")}|${profileKeyString(profile)}`;
    return this.units.get(key) ?? { key, pkg, target, mode, kind, features, profile, deps: [] };
  }

  private activated(pkg: Package, forHostFeatures: boolean): string[] {
    const f = this.input.features.activatedFeatures(pkg.id, forHostFeatures);
    if (f === null) {
      throw new Error(`feature resolver did not reach ${pkg.id} (${forHostFeatures ? "host" : "target"})`);
    }
    return f;
  }

  /**
   * Whether the resolver reached a package only on the host side: a build-dependency that is no member,
   * selected with `-p` (the checks of a path build-dependency). Cargo panics there ("did not find
   * features"); it is built as its dependents use it, for the host with host features, like a proc-macro.
   */
  hostOnly(id: PackageId): boolean {
    const { features } = this.input;
    return features.activatedFeatures(id, false) === null && features.activatedFeatures(id, true) !== null;
  }

  /** A root unit of `cargo build`/`cargo test` (Cargo's `UnitGenerator::new_units`). */
  root(pkg: Package, target: Target, mode: UnitMode, requested: Kind): UnitDraft {
    const host = isProcMacro(target) || this.hostOnly(pkg.id);
    const features = this.activated(pkg, host);
    // The profile is asked for the requested kind; the unit itself goes to the host if it must.
    const profile = profileFor(false, this.tripleOf(requested));
    const kind = forHost(target) || host ? HOST : requested;
    const unit = this.intern(pkg, target, mode, kind, features, profile);
    const unitFor: UnitFor = host ? { host: true, hostFeatures: true } : { host: false, hostFeatures: false };
    this.depsOf(unit, unitFor);
    return this.units.get(unit.key) as UnitDraft;
  }

  /** Cargo's `deps_of`, depth first in the same order, with an explicit stack (deep graphs). */
  private depsOf(root: UnitDraft, rootFor: UnitFor): void {
    const stack: [UnitDraft, UnitFor][] = [[root, rootFor]];
    while (stack.length > 0) {
      const [unit, unitFor] = stack.pop() as [UnitDraft, UnitFor];
      if (this.units.has(unit.key)) continue;
      const deps = this.computeDeps(unit, unitFor);
      unit.deps = deps.map((d) => d.dep);
      this.units.set(unit.key, unit);
      for (let i = deps.length - 1; i >= 0; i--) {
        const d = deps[i] as { dep: DepDraft; unitFor: UnitFor };
        stack.push([d.dep.unit, d.unitFor]);
      }
    }
  }

  private newDep(
    parent: UnitDraft,
    pkg: Package,
    target: Target,
    unitFor: UnitFor,
    kind: Kind,
    mode: UnitMode,
    profile?: ProfileKey,
  ): { dep: DepDraft; unitFor: UnitFor } {
    const features = this.activated(pkg, unitFor.hostFeatures);
    const unit = this.intern(
      pkg,
      target,
      mode,
      kind,
      features,
      profile ?? profileFor(unitFor.host, this.tripleOf(kind)),
    );
    return {
      dep: { unit, externCrateName: this.externCrateName(parent.pkg, pkg, target), public: false },
      unitFor,
    };
  }

  /** Cargo's `extern_crate_name_and_dep_name`: the rename of the dependency, else the target's crate name. */
  private externCrateName(from: Package, to: Package, target: Target): string {
    if (from.id === to.id) return crateName(target);
    const names = new Set(
      this.input.graph
        .listed(from.id, to.id)
        .map((d) =>
          d.renamed === true || d.name !== d.package ? d.name.replaceAll("-", "_") : crateName(target),
        ),
    );
    if (names.size > 1) {
      throw new UserError(
        `the crate \`${this.input.graph.describe(from.id)}\` depends on crate \`${this.input.graph.describe(to.id)}\` multiple times with different names`,
        from.manifestPath,
      );
    }
    return names.values().next().value ?? crateName(target);
  }

  /** `with_dependency`: proc-macros and build scripts move to the host, and host features stick. */
  private withDependency(unitFor: UnitFor, parent: UnitDraft, depTarget: Target): UnitFor {
    return {
      host: unitFor.host || forHost(depTarget),
      hostFeatures: unitFor.hostFeatures || isCustomBuild(parent.target) || isProcMacro(depTarget),
    };
  }

  private computeDeps(unit: UnitDraft, unitFor: UnitFor): { dep: DepDraft; unitFor: UnitFor }[] {
    if (unit.mode === "run-custom-build") {
      // A build script the config overrides has no dependencies (links deps are still added later).
      if (this.overridden(unit)) return [];
      // Running a build script needs the script compiled (for the host); links deps come later.
      const scriptFor: UnitFor = { host: true, hostFeatures: unitFor.hostFeatures };
      return [this.newDep(unit, unit.pkg, unit.target, scriptFor, HOST, "build")];
    }
    const ret: { dep: DepDraft; unitFor: UnitFor }[] = [];
    for (const { pkg: depId, deps } of this.stateDeps(unit, unitFor)) {
      const depPkg = this.input.graph.package(depId);
      const depLib = libTarget(depPkg);
      if (!depLib) continue;
      const depUnitFor = this.withDependency(unitFor, unit, depLib);
      const kind = forHost(depLib) ? HOST : unit.kind;
      const d = this.newDep(unit, depPkg, depLib, depUnitFor, kind, "build");
      ret.push(d);
      if (deps.every((x) => x.kind === "dev")) this.devEdges.add(`${unit.key}>${d.dep.unit.key}`);
    }
    if (isCustomBuild(unit.target)) return ret;
    const script = buildScript(unit.pkg);
    if (script) {
      const scriptFor: UnitFor = { host: true, hostFeatures: unitFor.hostFeatures };
      ret.push(
        this.newDep(
          unit,
          unit.pkg,
          script,
          scriptFor,
          unit.kind,
          "run-custom-build",
          runProfileFor(unit.profile),
        ),
      );
    }
    if (isLib(unit.target) && unit.mode !== "doctest") return ret;
    const lib = linkableTarget(unit.pkg);
    if (lib) {
      ret.push(
        this.newDep(
          unit,
          unit.pkg,
          lib,
          this.withDependency(unitFor, unit, lib),
          forHost(lib) ? HOST : unit.kind,
          "build",
        ),
      );
    }
    if (isAnyTest(unit.mode) && (isTest(unit.target) || isBench(unit.target))) {
      // Integration tests and benches need the package's binaries built.
      const all = this.allFeatures(unit.pkg.id);
      for (const t of unit.pkg.targets) {
        if (!isBin(t) || !t.requiredFeatures.every((f) => all.has(f))) continue;
        ret.push(
          this.newDep(
            unit,
            unit.pkg,
            t,
            { host: false, hostFeatures: false },
            forHost(t) ? HOST : unit.kind,
            "build",
          ),
        );
      }
    }
    return ret;
  }

  /** Whether the config replaces this unit's build-script run (for its platform's triple). */
  overridden(unit: UnitDraft): boolean {
    const links = unit.pkg.links;
    return links !== null && this.input.linksOverrides?.[this.tripleOf(unit.kind)]?.[links] !== undefined;
  }

  /** The dependencies of a unit's package that this unit uses (Cargo's `State::deps`). */
  private stateDeps(unit: UnitDraft, unitFor: UnitFor): { pkg: PackageId; deps: Dependency[] }[] {
    const { graph, features, matches, rustflagsCfg } = this.input;
    const triple = this.tripleOf(unit.kind);
    const script = isCustomBuild(unit.target);
    const devOk = isTest(unit.target) || isExample(unit.target) || isAnyTest(unit.mode);
    const out: { pkg: PackageId; deps: Dependency[] }[] = [];
    for (const edge of graph.deps(unit.pkg.id)) {
      const deps = edge.deps.filter(
        (dep) =>
          script === (dep.kind === "build") &&
          (dep.kind !== "dev" || devOk) &&
          (dep.platform === null || matches(dep.platform, triple, rustflagsCfg?.(unit.kind))) &&
          (!dep.optional || features.isDepActivated(unit.pkg.id, unitFor.hostFeatures, dep.name)),
      );
      if (deps.length > 0) out.push({ pkg: edge.pkg, deps });
    }
    return out;
  }

  /** Cargo's `resolve_all_features`: the package's features plus `dep/feat` of its dependencies. */
  allFeatures(id: PackageId): Set<string> {
    let set = this.allFeaturesCache.get(id);
    if (set) return set;
    const { graph, features } = this.input;
    set = new Set(features.activatedFeatures(id, this.hostOnly(id)) ?? []);
    for (const edge of graph.deps(id)) {
      const procMacro = graph.isProcMacro(edge.pkg);
      for (const dep of edge.deps) {
        for (const f of features.activatedFeatures(edge.pkg, procMacro || dep.kind === "build") ?? []) {
          set.add(`${dep.name}/${f}`);
        }
      }
    }
    this.allFeaturesCache.set(id, set);
    return set;
  }

  /**
   * Cargo's `connect_run_custom_build_deps`: running a build script waits for the build-script runs of
   * the `links` packages its package depends on (not through dev-dependencies).
   */
  connectRunCustomBuildDeps(): void {
    const reverse = new Map<string, UnitDraft[]>();
    for (const unit of this.units.values()) {
      for (const d of unit.deps) {
        if (d.unit.mode !== "run-custom-build") continue;
        const list = reverse.get(d.unit.key) ?? [];
        list.push(unit);
        reverse.set(d.unit.key, list);
      }
    }
    const additions: [UnitDraft, DepDraft[]][] = [];
    for (const unit of this.units.values()) {
      if (unit.mode !== "run-custom-build") continue;
      const parents = reverse.get(unit.key);
      if (!parents) continue;
      const add = new Map<string, DepDraft>();
      for (const parent of parents) {
        for (const other of parent.deps) {
          if (
            other.unit.pkg.id === unit.pkg.id ||
            !isLinkable(other.unit.target) ||
            other.unit.pkg.links === null
          ) {
            continue;
          }
          if (this.devEdges.has(`${parent.key}>${other.unit.key}`)) continue;
          const run = (this.units.get(other.unit.key) as UnitDraft).deps.find(
            (d) => d.unit.mode === "run-custom-build",
          );
          if (run) add.set(`${run.unit.key}|${run.externCrateName}`, run);
        }
      }
      if (add.size > 0) additions.push([unit, [...add.values()]]);
    }
    for (const [unit, deps] of additions) unit.deps.push(...deps);
  }
}
