/**
 * From command-line flags to the packages to build and the features each member gets: Cargo's
 * `Packages::to_package_id_specs`, `CliFeatures::from_command_line` and `Workspace::members_with_features`
 * (the "new" behaviour of resolver 2 and virtual workspaces, and the "old" one of resolver 1, where
 * `--features` applies to the package of the current manifest).
 */
import type { PackageId } from "../cargo/model.ts";
import { packageSpecMatches } from "../cargo/package-spec.ts";
import { UserError } from "../errors.ts";
import { type FeatureValue, featureValueString, parseFeatureValue } from "./feature-value.ts";
import type { CliFeatures } from "./features.ts";
import type { ResolveGraph } from "./resolve-graph.ts";

export interface PackageSelection {
  /** `-p` specs: `name` or `name@version`. */
  packages: string[];
  workspace: boolean;
  /** The manifest the command was pointed at (Cargo's current package), absolute. */
  manifestPath?: string;
}

export interface FeatureFlags {
  features: string[];
  allFeatures: boolean;
  noDefaultFeatures: boolean;
}

/** Splits `--features` values on spaces and commas; `dep:` is not allowed there. */
export function parseCliFeatures(flags: FeatureFlags): CliFeatures {
  const seen = new Map<string, FeatureValue>();
  for (const s of flags.features.flatMap((f) => f.split(/[\s,]+/)).filter((s) => s !== "")) {
    const fv = parseFeatureValue(s);
    if (fv.kind === "dep")
      throw new UserError(`feature \`${s}\` is not allowed to use explicit \`dep:\` syntax`);
    if (fv.kind === "dep-feature" && fv.feature.includes("/")) {
      throw new UserError(`multiple slashes in feature \`${s}\` is not allowed`);
    }
    seen.set(featureValueString(fv), fv);
  }
  const features = [...seen.keys()].sort().map((k) => seen.get(k) as FeatureValue);
  return { features, allFeatures: flags.allFeatures, usesDefaultFeatures: !flags.noDefaultFeatures };
}

/** The package of the manifest the command was pointed at, when it is a member. */
function currentPackage(graph: ResolveGraph, sel: PackageSelection): PackageId | undefined {
  if (!sel.manifestPath) return undefined;
  return graph.project.members.find((id) => graph.package(id).manifestPath === sel.manifestPath);
}

/** The packages `cargo build` is asked for, in package-id order. */
export function selectPackages(graph: ResolveGraph, sel: PackageSelection): PackageId[] {
  const project = graph.project;
  if (sel.workspace) return [...project.members].sort();
  if (sel.packages.length === 0) {
    const current = currentPackage(graph, sel);
    if (current && sel.manifestPath !== project.rootManifest) return [current];
    const defaults = project.defaultMembers.length > 0 ? project.defaultMembers : project.members;
    return [...defaults].sort();
  }
  const out = new Set<PackageId>();
  const all = [...project.packages.values()];
  for (const spec of sel.packages) {
    const members = project.members.filter((id) => {
      const p = graph.package(id);
      return packageSpecMatches(spec, p);
    });
    const found =
      members.length > 0 ? members : all.filter((p) => packageSpecMatches(spec, p)).map((p) => p.id);
    if (found.length === 0) {
      throw new UserError(`package ID specification \`${spec}\` did not match any packages`);
    }
    if (found.length > 1) {
      const versions = found
        .map((id) => `  ${graph.package(id).name}@${graph.package(id).version}`)
        .join(", ");
      throw new UserError(
        `There are multiple \`${spec}\` packages in your project, and the specification \`${spec}\` is ambiguous; use one of: ${versions.trim()}`,
      );
    }
    out.add(found[0] as PackageId);
  }
  return [...out].sort();
}

/** Which members the feature resolver starts from, with the features the command line gives each. */
export function membersWithFeatures(
  graph: ResolveGraph,
  sel: PackageSelection,
  selected: PackageId[],
  cli: CliFeatures,
): { id: PackageId; cli: CliFeatures }[] {
  const project = graph.project;
  const isVirtual = !project.members.some((id) => graph.package(id).manifestPath === project.rootManifest);
  if (isVirtual || project.resolver !== "1") return membersWithFeaturesNew(graph, selected, cli);
  return membersWithFeaturesOld(graph, sel, selected, cli);
}

function membersWithFeaturesNew(
  graph: ResolveGraph,
  selected: PackageId[],
  cli: CliFeatures,
): { id: PackageId; cli: CliFeatures }[] {
  const members = selected.filter((id) => graph.members.has(id));
  if (members.length === 0) {
    // `-p` of a package outside the workspace: every member with its defaults, no flags allowed.
    if (cli.features.length > 0 || cli.allFeatures || !cli.usesDefaultFeatures) {
      throw new UserError("cannot specify features for packages outside of workspace");
    }
    return [...graph.project.members]
      .sort()
      .map((id) => ({ id, cli: { features: [], allFeatures: false, usesDefaultFeatures: true } }));
  }
  const found = new Set<string>();
  const out = members.map((id) => ({ id, cli: collectMatchingFeatures(graph, id, cli, found) }));
  const unknown = cli.features.map(featureValueString).filter((f) => !found.has(f));
  if (unknown.length > 0) {
    const these = unknown.length === 1 ? "this feature" : "these features";
    const names = members.map((id) => graph.package(id).name);
    throw new UserError(
      names.length === 1
        ? `the package '${names[0]}' does not contain ${these}: ${unknown.join(", ")}`
        : `none of the selected packages contains ${these}: ${unknown.join(", ")} (selected packages: ${names.join(", ")})`,
    );
  }
  return out;
}

/** The features of `cli` this member has: its own, its optional deps, `dep/feat` of its deps, `self/feat`. */
function collectMatchingFeatures(
  graph: ResolveGraph,
  id: PackageId,
  cli: CliFeatures,
  found: Set<string>,
): CliFeatures {
  if (cli.features.length === 0) return cli;
  const pkg = graph.package(id);
  const map = graph.featureMap(id);
  const depNames = new Set(pkg.dependencies.map((d) => d.name));
  const optional = new Set(pkg.dependencies.filter((d) => d.optional).map((d) => d.name));
  const has = (f: string) => map.has(f) || optional.has(f);
  const features: FeatureValue[] = [];
  for (const fv of cli.features) {
    if (fv.kind === "feature" && has(fv.name)) {
      features.push(fv);
      found.add(featureValueString(fv));
    } else if (fv.kind === "dep-feature") {
      if (depNames.has(fv.dep)) {
        features.push(fv);
        found.add(featureValueString(fv));
      } else if (fv.dep === pkg.name && has(fv.feature)) {
        features.push({ kind: "feature", name: fv.feature });
        found.add(featureValueString(fv));
      }
    }
  }
  return { ...cli, features };
}

function membersWithFeaturesOld(
  graph: ResolveGraph,
  sel: PackageSelection,
  selected: PackageId[],
  cli: CliFeatures,
): { id: PackageId; cli: CliFeatures }[] {
  const current = currentPackage(graph, sel);
  const memberSpecific = new Map<string, FeatureValue[]>();
  const cwdFeatures: FeatureValue[] = [];
  for (const fv of cli.features) {
    if (fv.kind === "dep-feature") {
      const isMember = graph.project.members.some((m) => m !== current && graph.package(m).name === fv.dep);
      if (isMember && sel.packages.some((s) => s.split("@")[0] === fv.dep)) {
        const list = memberSpecific.get(fv.dep) ?? [];
        list.push({ kind: "feature", name: fv.feature });
        memberSpecific.set(fv.dep, list);
        continue;
      }
    }
    cwdFeatures.push(fv);
  }
  const selectedSet = new Set(selected);
  const out: { id: PackageId; cli: CliFeatures }[] = [];
  for (const id of [...graph.project.members].sort()) {
    if (id === current) {
      out.push({ id, cli: { ...cli, features: cwdFeatures } });
    } else if (selectedSet.has(id)) {
      const name = graph.package(id).name;
      out.push({
        id,
        cli: {
          features: memberSpecific.get(name) ?? [],
          usesDefaultFeatures: true,
          allFeatures: cli.allFeatures,
        },
      });
    }
  }
  return out;
}
