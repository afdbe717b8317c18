/**
 * The flake's checks (`checks.<system>.*`): for every local package of every root the config names (its
 * workspace members, and path dependencies that are no root's member),
 * `test-<package>` (what `cargo test` builds and runs: unit, integration and doc tests, examples) and
 * `clippy-<package>` (`cargo clippy`: its lib and bins), and one `doc` (`cargo doc --no-deps` of all of
 * them). All native: tests run on the build machine. Pure: the projects are loaded by the caller.
 *
 * Clippy and doc plan the same release build as a native output (`planOutput`), so their dependencies
 * are the very derivations `packages.<system>.<output>` builds; tests plan Cargo's `test` profile with
 * dev-dependencies, as `cargo test` does.
 */
import { dirname, relative, sep } from "node:path";
import type { Package, Project } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import type { EmitGraph } from "../nix/data.ts";
import type { PlatformMatcher } from "../resolve/features.ts";
import { NotInBuild, planUnitGraph } from "../resolve/plan.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import { DEFAULT_CHECKS, testArgsOf } from "./checks-config.ts";
import { CONFIG_FILE, type Config, type OutputSpec } from "./config.ts";
import { outputManifest, type Planner, type ReleasePlanner } from "./planner.ts";

export interface ChecksOptions {
  /** The Nix system's own triple. */
  hostTriple: string;
  matches: PlatformMatcher;
  /** Profile of the test graphs; default Cargo's `test`. */
  testProfile?: string;
  /** Plans a graph (default `planUnitGraph`; `generate` shares one memoising planner with its outputs). */
  plan?: Planner;
  /** Plans the release builds clippy and doc check, when not `plan` for `hostTriple`: the outputs'
   * planner of systems that share release plans (src/generate/native-platform.ts). */
  release?: ReleasePlanner;
}

/**
 * One root of the config with the local packages it checks: its members, in Cargo's member order, then
 * the path dependencies that are no root's member (separate packages joined by `path = "../x"`).
 */
interface Root {
  manifest: string;
  project: Project;
  members: Package[];
  paths: Package[];
}

function rootsOf(projects: Map<string, Project>, config: Config): Root[] {
  const manifests = [...new Set(config.outputs.map((o) => o.manifest))].sort();
  const roots = manifests.map((manifest) => {
    const project = projects.get(manifest);
    if (!project) throw new Error(`root ${manifest} was not loaded`);
    const members = project.members.map((id) => {
      const pkg = project.packages.get(id);
      if (!pkg) throw new Error(`member ${id} is not in the project`);
      return pkg;
    });
    return { manifest, project, members, paths: [] as Package[] };
  });
  // A path package reached from several roots is checked once, from the first (or as a member).
  const seen = new Set(roots.flatMap((r) => r.members.map((m) => m.manifestPath)));
  for (const root of roots) {
    for (const pkg of root.project.packages.values()) {
      if (!pkg.source.startsWith("path+") || seen.has(pkg.manifestPath)) continue;
      seen.add(pkg.manifestPath);
      root.paths.push(pkg);
    }
  }
  return roots;
}

/**
 * Check names per member: `<kind>-<package>`, and when two roots have a member of the same name, the
 * later ones get their root's directory name as a suffix (as output names do).
 */
export function checkNames(roots: { manifest: string; members: string[] }[]): Map<string, string> {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  for (const { manifest, members } of roots) {
    for (const member of members) {
      let name = member;
      if (seen.has(name)) name = `${member}-${manifest.split("/").slice(-2, -1)[0] || "root"}`;
      for (let n = 2; seen.has(name); n++) name = `${member}-${n}`;
      seen.add(name);
      names.set(`${manifest}\0${member}`, name);
    }
  }
  return names;
}

/** The native output of the config for a package of a root, if any: its features are the ones to check. */
function nativeOutput(config: Config, manifest: string, pkg: string): OutputSpec | undefined {
  return config.outputs.find((o) => o.manifest === manifest && o.package === pkg && o.target === "native");
}

/**
 * Where Cargo runs a package's tests from: its root relative to the workspace root (`crates/x`), or ``
 * when it is the root or lies outside it (a path dependency tested on its own is its own root).
 */
export function workspaceDir(project: Project, pkg: Package): string {
  const dir = relative(project.root, dirname(pkg.manifestPath));
  return dir.startsWith("..") ? "" : dir.split(sep).join("/");
}

/** `[checks.test-args]` names packages that have a test check. */
function checkTestArgPackages(config: Config, tested: Set<string>): void {
  const args = config.checks?.testArgs;
  if (!args || Array.isArray(args)) return;
  for (const pkg of Object.keys(args))
    if (!tested.has(pkg))
      throw new UserError(
        `[checks.test-args]: no tested package is named \`${pkg}\` (tested: ${[...tested].sort().join(", ")})`,
        CONFIG_FILE,
      );
}

/** Every check's graph, ready for the emitter (`EmitGraph.check` set). */
export function checkGraphs(
  projects: Map<string, Project>,
  config: Config,
  opts: ChecksOptions,
): EmitGraph[] {
  const want = config.checks ?? DEFAULT_CHECKS;
  if (!want.tests && !want.clippy && !want.doc) return [];
  const roots = rootsOf(projects, config);
  const names = checkNames(
    roots.map((r) => ({ manifest: r.manifest, members: [...r.members, ...r.paths].map((m) => m.name) })),
  );
  const graphs: EmitGraph[] = [];
  const common = { hostTriple: opts.hostTriple, matches: opts.matches };
  const plan = opts.plan ?? planUnitGraph;
  const release = opts.release ?? { plan, hostTriple: opts.hostTriple };
  const tested = new Set<string>();
  for (const { manifest, project, members, paths } of roots) {
    const base = { project, sources: project.sources, toolchain: "default" };
    for (const pkg of [...members, ...paths]) {
      const name = names.get(`${manifest}\0${pkg.name}`)!;
      const spec = `${pkg.name}@${pkg.version}`;
      const out = nativeOutput(config, manifest, pkg.name);
      const features = {
        features: out?.features ?? [],
        noDefaultFeatures: out ? !out.defaultFeatures : false,
      };
      // Cargo.lock does not lock a non-member's dev-dependencies: its tests cannot be built from it.
      const testable = members.includes(pkg) || !pkg.dependencies.some((d) => d.kind === "dev");
      if (want.tests && testable) {
        const tests = inBuild(() =>
          plan(project, { ...common, packages: [spec], tests: true, profile: opts.testProfile }),
        );
        if (tests) {
          tested.add(pkg.name);
          const testRun = { dir: workspaceDir(project, pkg), testArgs: testArgsOf(want, pkg.name) };
          if (tests.roots.length > 0)
            // Planned as `cargo test` runs, without `--target`: rustflags reach every unit.
            graphs.push({
              ...base,
              name: `test-${name}`,
              check: "test",
              graph: tests,
              testRun,
              hostBuild: opts.hostTriple,
            });
        }
      }
      if (!want.clippy && !want.doc) continue;
      // With a native output, the very request `planOutput` made (so a memoising planner shares it).
      const build = inBuild(() =>
        release.plan(project, {
          hostTriple: release.hostTriple,
          matches: opts.matches,
          ...features,
          packages: [out?.package ?? spec],
          manifestPath: outputManifest(project, out?.package ?? spec),
          targets: [release.hostTriple],
          profile: "release",
        }),
      );
      if (!build) continue;
      // Planned for another triple: say which one is native (emit writes it as `{native}`).
      const planned = opts.release ? { ...base, nativeTriple: release.hostTriple } : base;
      if (want.clippy && build.roots.length > 0)
        graphs.push({ ...planned, name: `clippy-${name}`, check: "clippy", graph: build });
      if (want.doc) graphs.push({ ...planned, name: "doc", check: "doc", graph: docRoots(build) });
    }
  }
  if (want.tests) checkTestArgPackages(config, tested);
  return graphs;
}

/**
 * The plan, or undefined when Cargo would say the package is not in the root's build: a path package
 * reached only through an optional dependency that no feature turns on is never built, so it gets no
 * check (`cargo test -p` of it fails: "did not match any packages").
 */
function inBuild(plan: () => UnitGraph): UnitGraph | undefined {
  try {
    return plan();
  } catch (e) {
    if (e instanceof NotInBuild) return undefined;
    throw e;
  }
}

/** `cargo doc` documents a package's lib and its bins, but not a bin named like the lib (their docs
 * would land in the same directory). */
export function docRoots(graph: UnitGraph): UnitGraph {
  const isLib = (i: number) => !graph.units[i].target.kind.includes("bin");
  const libNames = new Set(
    graph.roots.filter(isLib).map((i) => graph.units[i].target.name.replace(/-/g, "_")),
  );
  const roots = graph.roots.filter(
    (i) => isLib(i) || !libNames.has(graph.units[i].target.name.replace(/-/g, "_")),
  );
  return { ...graph, roots };
}
