/**
 * Why a feature is on: the chain of causes from the roots' requested features through `[features]`
 * tables (`a = ["b"]`), dependency declarations (`features = [...]`, default features) and `dep/feat`
 * values of dependents — Cargo's feature resolver, read backwards over one unit graph.
 */
import type { Project } from "../cargo/model.ts";
import { declarationsFor, enablingFeatures } from "./edges.ts";
import type { GraphIndex } from "./units.ts";

export type FeatureCause =
  /** The unit is a root: `default` for its default features, otherwise `--features`. */
  | { kind: "root"; unit: number; feature: string }
  /**
   * Feature `by` of the same unit lists `value` (`F`, or `dep/x` which also turns on implicit feature
   * `dep`); `value` is empty when `by` is the implicit feature of the optional dependency being explained.
   */
  | { kind: "feature"; unit: number; by: string; value: string; because: FeatureCause[] }
  /** The dependency declaration of `unit` asks for the feature (`features = [...]` or default features). */
  | {
      kind: "dependency";
      unit: number;
      dependency: string;
      via: "features" | "default-features";
      /** For an optional dependency: why the dependent turned it on. */
      because: FeatureCause[];
    }
  /** Feature `by` of dependent `unit` lists `value` = `dep/F` or `dep?/F`. */
  | { kind: "dep-feature"; unit: number; by: string; value: string; because: FeatureCause[] }
  /** Already explained above (a cycle or a shared cause). */
  | { kind: "seen"; unit: number; feature: string };

export interface FeatureChain {
  unit: number;
  feature: string;
  active: boolean;
  because: FeatureCause[];
}

/** Explains feature `feature` of unit `unit`. Without a Project only the root cause can be told. */
export function explainFeature(
  ix: GraphIndex,
  project: Project | null,
  unit: number,
  feature: string,
  /** How many links of the chain to follow (1: only the direct causes). */
  depth = Number.POSITIVE_INFINITY,
): FeatureChain {
  const active = ix.graph.units[unit].features.includes(feature);
  const seen = new Set<string>();
  return { unit, feature, active, because: active ? causes(ix, project, unit, feature, seen, depth) : [] };
}

function causes(
  ix: GraphIndex,
  project: Project | null,
  unit: number,
  feature: string,
  seen: Set<string>,
  depth: number,
): FeatureCause[] {
  if (depth <= 0) return [];
  const key = `${unit}:${feature}`;
  if (seen.has(key)) return [{ kind: "seen", unit, feature }];
  seen.add(key);
  const units = ix.graph.units;
  const u = units[unit];
  const out: FeatureCause[] = [];
  const table = project?.packages.get(u.pkg_id)?.features ?? {};
  // Inside the package: another active feature lists it (or lists `feature/x`, turning on the implicit
  // feature of an optional dependency).
  for (const by of u.features) {
    if (by === feature) continue;
    for (const value of table[by] ?? []) {
      if (value === feature || value.startsWith(`${feature}/`)) {
        out.push({
          kind: "feature",
          unit,
          by,
          value,
          because: causes(ix, project, unit, by, seen, depth - 1),
        });
      }
    }
  }
  // From dependents: their declarations and their `dep/feature` values.
  if (project) {
    let fromDependents = dependentCauses(ix, project, unit, feature, seen, depth);
    if (fromDependents.length === 0) {
      // Resolver 1 unifies a package's features across sides: look at the other units of the package.
      for (let other = 0; other < units.length && fromDependents.length === 0; other++) {
        if (other === unit || units[other].pkg_id !== u.pkg_id || !units[other].features.includes(feature))
          continue;
        if (ix.roles[other] === "build-script" || ix.roles[other] === "build-script-run") continue;
        fromDependents = dependentCauses(ix, project, other, feature, seen, depth);
      }
    }
    out.push(...fromDependents);
  }
  dedupe(out);
  if (ix.roots.has(unit) && (feature === "default" || out.length === 0))
    out.push({ kind: "root", unit, feature });
  return out;
}

function dependentCauses(
  ix: GraphIndex,
  project: Project,
  unit: number,
  feature: string,
  seen: Set<string>,
  depth: number,
): FeatureCause[] {
  const units = ix.graph.units;
  const out: FeatureCause[] = [];
  for (const { from, edge } of ix.dependents[unit]) {
    const role = ix.roles[from];
    if (role === "build-script-run" || units[from].pkg_id === units[unit].pkg_id) continue;
    const d = units[from];
    const table = project.packages.get(d.pkg_id)?.features ?? {};
    for (const decl of declarationsFor(ix, project, from, edge)) {
      const via = decl.features.includes(feature)
        ? "features"
        : feature === "default" && decl.defaultFeatures
          ? "default-features"
          : null;
      if (via) {
        const because = decl.optional
          ? enablingFeatures(table, d.features, decl.name).map(
              (f): FeatureCause => ({
                kind: "feature",
                unit: from,
                by: f,
                value: enablingValue(table, f, decl.name),
                because: causes(ix, project, from, f, seen, depth - 1),
              }),
            )
          : [];
        out.push({ kind: "dependency", unit: from, dependency: decl.name, via, because });
      }
      for (const by of d.features) {
        for (const value of table[by] ?? []) {
          if (value === `${decl.name}/${feature}` || value === `${decl.name}?/${feature}`) {
            out.push({
              kind: "dep-feature",
              unit: from,
              by,
              value,
              because: causes(ix, project, from, by, seen, depth - 1),
            });
          }
        }
      }
    }
  }
  return out;
}

/** What feature `by` lists that turns on optional dependency `name` (`(implicit)` for its implicit feature). */
function enablingValue(table: Record<string, string[]>, by: string, name: string): string {
  const values = table[by];
  if (values === undefined) return "";
  return values.find((v) => v === `dep:${name}` || v.startsWith(`${name}/`)) ?? name;
}

/** Drops repeated causes (a dependency declared in several `[target]` tables gives the same cause twice). */
function dedupe(causes: FeatureCause[]): void {
  const keys = new Set<string>();
  for (let i = 0; i < causes.length; ) {
    const c = causes[i];
    const key = JSON.stringify([
      c.kind,
      c.unit,
      "by" in c ? c.by : "",
      "value" in c ? c.value : "",
      "dependency" in c ? c.dependency : "",
      "via" in c ? c.via : "",
    ]);
    if (keys.has(key)) causes.splice(i, 1);
    else {
      keys.add(key);
      i++;
    }
  }
}
