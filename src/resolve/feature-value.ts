/**
 * Cargo's `FeatureValue`: one entry of a `[features]` list, a `features = [...]` of a dependency, or a
 * `--features` flag; and a package's feature map (explicit features plus the implicit feature of every
 * optional dependency that no `dep:` entry names). Mirrors `core/summary.rs` `FeatureValue` and
 * `build_feature_map`.
 */
import type { Package } from "../cargo/model.ts";

export type FeatureValue =
  /** `feat`: a feature of the same package. */
  | { kind: "feature"; name: string }
  /** `dep:name`: activates an optional dependency, without a feature of the same name. */
  | { kind: "dep"; dep: string }
  /** `name/feat` (or weak `name?/feat`): a feature of a dependency. */
  | { kind: "dep-feature"; dep: string; feature: string; weak: boolean };

export function parseFeatureValue(s: string): FeatureValue {
  if (s.startsWith("dep:")) return { kind: "dep", dep: s.slice(4) };
  const slash = s.indexOf("/");
  if (slash >= 0) {
    const left = s.slice(0, slash);
    const feature = s.slice(slash + 1);
    if (left.endsWith("?")) return { kind: "dep-feature", dep: left.slice(0, -1), feature, weak: true };
    return { kind: "dep-feature", dep: left, feature, weak: false };
  }
  return { kind: "feature", name: s };
}

export function featureValueString(fv: FeatureValue): string {
  switch (fv.kind) {
    case "feature":
      return fv.name;
    case "dep":
      return `dep:${fv.dep}`;
    case "dep-feature":
      return `${fv.dep}${fv.weak ? "?" : ""}/${fv.feature}`;
  }
}

/** A package's features: explicit ones, and `name = ["dep:name"]` for optional deps not named by `dep:`. */
export type FeatureMap = Map<string, FeatureValue[]>;

export function buildFeatureMap(pkg: Package): FeatureMap {
  const map: FeatureMap = new Map();
  const explicitDeps = new Set<string>();
  for (const [name, values] of Object.entries(pkg.features)) {
    const parsed = values.map(parseFeatureValue);
    for (const fv of parsed) if (fv.kind === "dep") explicitDeps.add(fv.dep);
    map.set(name, parsed);
  }
  for (const dep of pkg.dependencies) {
    if (!dep.optional || explicitDeps.has(dep.name) || map.has(dep.name)) continue;
    map.set(dep.name, [{ kind: "dep", dep: dep.name }]);
  }
  return map;
}
