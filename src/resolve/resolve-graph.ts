/**
 * The package graph Cargo's dependency resolver hands to the feature resolver and the unit builder
 * (`Resolve::deps`): for each package, its dependency declarations grouped by the locked package they
 * resolve to. Versions come from Cargo.lock only (`Project.resolved`); a declaration the lock does not
 * list was never activated. Dev-dependencies exist only for workspace members, as in Cargo.
 */
import type { Dependency, Package, PackageId, Project } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { buildFeatureMap, type FeatureMap } from "./feature-value.ts";
import { packageIsProcMacro } from "./targets.ts";

/** The declarations of one package that point at one other package. */
export interface DepEdge {
  pkg: PackageId;
  deps: Dependency[];
}

/** Declarations Cargo.lock does not resolve (fine while nothing activates them). */
export interface UnlockedDep {
  pkg: null;
  deps: Dependency[];
}

export class ResolveGraph {
  readonly members: Set<PackageId>;
  private readonly edges = new Map<PackageId, DepEdge[]>();
  private readonly unlockedDeps = new Map<PackageId, Dependency[]>();
  private readonly featureMaps = new Map<PackageId, FeatureMap>();
  private readonly procMacro = new Map<PackageId, boolean>();

  constructor(readonly project: Project) {
    this.members = new Set(project.members);
  }

  package(id: PackageId): Package {
    const p = this.project.packages.get(id);
    if (!p) throw new UserError(`package \`${id}\` is in the dependency graph but was not loaded`);
    return p;
  }

  deps(id: PackageId): DepEdge[] {
    let list = this.edges.get(id);
    if (list) return list;
    const pkg = this.package(id);
    const resolved = this.project.resolved.get(id) ?? [];
    const isMember = this.members.has(id);
    const byPkg = new Map<PackageId, DepEdge>();
    list = [];
    const unlocked: Dependency[] = [];
    pkg.dependencies.forEach((dep, i) => {
      if (dep.kind === "dev" && !isMember) return;
      const target = resolved[i];
      if (!target) {
        unlocked.push(dep);
        return;
      }
      let edge = byPkg.get(target);
      if (!edge) {
        edge = { pkg: target, deps: [] };
        byPkg.set(target, edge);
        list?.push(edge);
      }
      edge.deps.push(dep);
    });
    this.edges.set(id, list);
    this.unlockedDeps.set(id, unlocked);
    return list;
  }

  /** The declarations of a package that Cargo.lock does not resolve. */
  unlocked(id: PackageId): Dependency[] {
    this.deps(id);
    return this.unlockedDeps.get(id) ?? [];
  }

  /** Activating a declaration the lock does not resolve: Cargo would have to change Cargo.lock. */
  notLocked(id: PackageId, dep: Dependency): UserError {
    return new UserError(
      `\`${this.describe(id)}\` needs its dependency \`${dep.name}\` (${dep.package} ${dep.req}), which Cargo.lock does not list; run \`cargo generate-lockfile\` and try again`,
      this.project.lockfile.path,
    );
  }

  /** Every declaration of `from` that resolves to `to` (Cargo's `dependencies_listed`). */
  listed(from: PackageId, to: PackageId): Dependency[] {
    return this.deps(from).find((e) => e.pkg === to)?.deps ?? [];
  }

  featureMap(id: PackageId): FeatureMap {
    let map = this.featureMaps.get(id);
    if (!map) {
      map = buildFeatureMap(this.package(id));
      this.featureMaps.set(id, map);
    }
    return map;
  }

  isProcMacro(id: PackageId): boolean {
    let v = this.procMacro.get(id);
    if (v === undefined) {
      v = packageIsProcMacro(this.package(id));
      this.procMacro.set(id, v);
    }
    return v;
  }

  /** `name v1.2.3`, as Cargo names a package in messages. */
  describe(id: PackageId): string {
    const p = this.package(id);
    return `${p.name} v${p.version}`;
  }
}
