/**
 * `crateflake plan`: from a loaded project and Cargo's command-line flags to the unit graph Cargo would
 * build (`cargo build --unit-graph`, or `cargo test --no-run` with `tests`). Pure: platforms come in as
 * a matcher, the project is already loaded.
 */
import type { Package, Project, Target } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { membersWithFeatures, parseCliFeatures, selectPackages } from "./cli-features.ts";
import { checkCycles } from "./cycles.ts";
import { featureOpts, type PlatformMatcher, resolveFeatures } from "./features.ts";
import { finishGraph } from "./finish.ts";
import { ResolveGraph } from "./resolve-graph.ts";
import { kindCfg } from "./rustflags.ts";
import { isBin, isDoctestable, isExample, isLib } from "./targets.ts";
import type { UnitGraph, UnitMode } from "./unit-graph.ts";
import { type Kind, UnitBuilder, type UnitDraft } from "./units.ts";

export interface PlanOptions {
  /** `-p` specs (`name` or `name@version`); empty means Cargo's default selection. */
  packages?: string[];
  workspace?: boolean;
  /** `--target` triples; empty builds for the host (platform `null`). */
  targets?: string[];
  features?: string[];
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
  /** The units of `cargo test --no-run` (tests, examples, doctests) instead of `cargo build`. */
  tests?: boolean;
  /** Profile name (`dev`, `release`, a custom one); default `dev`, or `test` with `tests`. */
  profile?: string;
  /** The manifest the command was pointed at (selects Cargo's "current" package). */
  manifestPath?: string;
  hostTriple: string;
  matches: PlatformMatcher;
}

/** One ResolveGraph per project, checked for cycles once: it only memoises what the project says, so all
 * plans of a project (one per output, check and system) can share it. */
const resolveGraphs = new WeakMap<Project, ResolveGraph>();
function resolveGraphOf(project: Project): ResolveGraph {
  let graph = resolveGraphs.get(project);
  if (!graph) {
    graph = new ResolveGraph(project);
    checkCycles(graph);
    resolveGraphs.set(project, graph);
  }
  return graph;
}

export function planUnitGraph(project: Project, opts: PlanOptions): UnitGraph {
  const graph = resolveGraphOf(project);
  const tests = opts.tests ?? false;
  // Without a manifest, Cargo runs at the workspace root: under resolver 1 the root package is the
  // "current" one, whose features every build resolves with (even `-p` of a path dependency).
  const sel = {
    packages: opts.packages ?? [],
    workspace: opts.workspace ?? false,
    manifestPath: opts.manifestPath ?? project.rootManifest,
  };
  const selected = selectPackages(graph, sel);
  const cli = parseCliFeatures({
    features: opts.features ?? [],
    allFeatures: opts.allFeatures ?? false,
    noDefaultFeatures: opts.noDefaultFeatures ?? false,
  });
  const members = membersWithFeatures(graph, sel, selected, cli);
  const targets = [...new Set(opts.targets ?? [])];
  const requested: Kind[] = targets.length > 0 ? targets : [opts.hostTriple];
  const rustflagsCfg = kindCfg(project.rustflags, opts.hostTriple, targets.length === 0, opts.matches);
  const features = resolveFeatures({
    graph,
    opts: featureOpts(project.resolver, tests),
    members,
    hostTriple: opts.hostTriple,
    requestedTriples: requested,
    matches: opts.matches,
    rustflagsCfg,
  });
  const builder = new UnitBuilder({
    graph,
    features,
    hostTriple: opts.hostTriple,
    matches: opts.matches,
    rustflagsCfg,
    linksOverrides: project.linksOverrides,
  });
  for (const id of selected) {
    // Cargo.lock lists an optional dependency even when no feature turns it on; Cargo's resolve of this
    // build does not have it, so `-p` cannot name it.
    if (features.activatedFeatures(id, false) === null && features.activatedFeatures(id, true) === null)
      throw new NotInBuild(graph.package(id).name);
  }
  const roots: UnitDraft[] = [];
  for (const id of selected) {
    const pkg = graph.package(id);
    const all = builder.allFeatures(id);
    for (const { target, mode } of rootTargets(pkg, tests)) {
      if (!isLib(target) && !target.requiredFeatures.every((f) => all.has(f))) continue;
      for (const kind of requested) roots.push(builder.root(pkg, target, mode, kind));
    }
  }
  builder.connectRunCustomBuildDeps();
  return finishGraph({
    project,
    units: builder.units,
    roots,
    noTarget: targets.length === 0,
    hostTriple: opts.hostTriple,
    profileName: opts.profile ?? (tests ? "test" : "dev"),
  });
}

/** A selected package that this build never reaches (an optional dependency no feature turns on). */
export class NotInBuild extends UserError {
  constructor(readonly spec: string) {
    super(
      `package ID specification \`${spec}\` did not match any packages (no feature of this build turns it on)`,
    );
  }
}

/** Cargo's default targets: lib and bins to build; for `cargo test`, tested targets, examples, doctests. */
function rootTargets(pkg: Package, tests: boolean): { target: Target; mode: UnitMode }[] {
  if (!tests)
    return pkg.targets.filter((t) => isLib(t) || isBin(t)).map((target) => ({ target, mode: "build" }));
  const out: { target: Target; mode: UnitMode }[] = pkg.targets
    .filter((t) => t.test || isExample(t))
    .map((target) => ({ target, mode: isExample(target) && !target.test ? "build" : "test" }));
  const doctest = pkg.targets.find((t) => isLib(t) && t.doctest && isDoctestable(t));
  if (doctest) out.push({ target: doctest, mode: "doctest" });
  return out;
}
