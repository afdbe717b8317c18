/**
 * The emitter: resolved unit graphs (one per output) → the data file the Nix library builds from
 * (`data.ts` describes it). Pure: no I/O; the same graphs give the same bytes on every machine.
 */
import { createHash } from "node:crypto";
import { dirname, isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Package, PackageId } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { hostTriple } from "../platform/host.ts";
import { type Lto, unitLto } from "../resolve/lto.ts";
import { stripOf } from "../resolve/profile.ts";
import { rustflagsOf } from "../resolve/rustflags.ts";
import type { Unit } from "../resolve/unit-graph.ts";
import type { NixSource } from "../sources/source.ts";
import {
  type EmitGraph,
  type EmitOptions,
  type EmitReuse,
  NATIVE_TARGET,
  NIX_DATA_VERSION,
  type NixData,
  type NixPackage,
  type NixProfile,
  type NixUnit,
  type ReusableGraph,
} from "./data.ts";
import { canonicalJson, dataJson } from "./json.ts";
import { packageEnv } from "./package-env.ts";
import { pipelineData } from "./pipelining.ts";
import { checkedCrateRoot, checkUnitNames } from "./unit-checks.ts";

/** The data file's text: JSON (read by `builtins.fromJSON`, so escaping is JSON's), see `dataJson`. */
export function emitNixData(graphs: EmitGraph[], options: EmitOptions): string {
  return dataJson(buildNixData(graphs, options));
}

/** What keying remembers across the graphs of one data file. */
interface Keying {
  data: NixData;
  flakeRoot: string;
  nativeTriple: string | undefined;
  /** Unit key → the JSON its hash was taken of (to tell a shared unit from a collision). */
  bodies: Map<string, string>;
  /** Unit key → its height (see `rank`). */
  heights: Map<string, number>;
  /** Package key per package, per sources map (graphs of one project share both). */
  packageKeys: WeakMap<object, Map<Package, string>>;
  /** Keys of a graph's units, per units array: an output and the clippy/doc checks of its package share
   * one planned graph (see src/generate/planner.ts). */
  unitKeys: WeakMap<object, (EmitContext & { keys: string[] })[]>;
  reuse: EmitReuse | undefined;
}

export function buildNixData(graphs: EmitGraph[], options: EmitOptions): NixData {
  const data: NixData = {
    version: NIX_DATA_VERSION,
    inputs: { ...options.inputs },
    packages: {},
    units: {},
    outputs: {},
  };
  const keying: Keying = {
    data,
    flakeRoot: options.flakeRoot,
    nativeTriple: options.nativeTriple,
    bodies: new Map(),
    heights: new Map(),
    packageKeys: new WeakMap(),
    unitKeys: new WeakMap(),
    reuse: options.reuse,
  };
  for (const g of graphs) {
    const keys = memoUnitKeys(g, keying);
    const roots = g.graph.roots.map((i) => keys[i]);
    if (g.check) {
      // Several graphs may feed one check (a doc of several roots): their roots are merged.
      data.checks ??= {};
      const prior = data.checks[g.name];
      if (prior && (prior.kind !== g.check || prior.toolchain !== g.toolchain))
        throw new Error(`two checks are named ${g.name}`);
      data.checks[g.name] = {
        kind: g.check,
        toolchain: g.toolchain,
        roots: [...new Set([...(prior?.roots ?? []), ...roots])].sort(),
        ...g.testRun,
      };
      continue;
    }
    if (data.outputs[g.name]) throw new Error(`two graphs are named ${g.name}`);
    data.outputs[g.name] = { toolchain: g.toolchain, roots: [...new Set(roots)].sort() };
  }
  return pipelineData(data, options.pipelining ?? "off", keying.heights);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What a graph's unit keys depend on besides its units array (graphs may share one, planner.ts). */
interface EmitContext {
  toolchain: string;
  sources: object;
  nativeTriple: string | undefined;
  hostBuild: string | undefined;
  /** The root units' packages (Cargo's primary packages), sorted and joined. */
  primary: string;
}

function memoUnitKeys(g: EmitGraph, keying: Keying): string[] {
  const primary = [...new Set(g.graph.roots.map((i) => g.graph.units[i].pkg_id))].sort();
  const context: EmitContext = {
    toolchain: g.toolchain,
    sources: g.sources ?? g.project.sources,
    nativeTriple: g.nativeTriple ?? keying.nativeTriple,
    hostBuild: g.hostBuild,
    primary: primary.join("\n"),
  };
  const same = (k: EmitContext) =>
    k.toolchain === context.toolchain &&
    k.sources === context.sources &&
    k.nativeTriple === context.nativeTriple &&
    k.hostBuild === context.hostBuild &&
    k.primary === context.primary;
  const seen = keying.unitKeys.get(g.graph.units) ?? [];
  const hit = seen.find(same);
  if (hit) return hit.keys;
  const earlier = keying.reuse?.get(g.graph.units)?.find(same);
  const keys = earlier
    ? replay(earlier, keying)
    : unitKeys(g, context.nativeTriple, new Set(primary), keying);
  seen.push({ ...context, keys });
  keying.unitKeys.set(g.graph.units, seen);
  if (keying.reuse && !earlier) {
    const list = keying.reuse.get(g.graph.units) ?? [];
    list.push({ ...context, ...emitted(keys, keying) });
    keying.reuse.set(g.graph.units, list);
  }
  return keys;
}

/** What a graph's units put into the data (see `EmitOptions.reuse`). */
function emitted(keys: string[], keying: Keying): Pick<ReusableGraph, "keys" | "units" | "packages"> {
  const { data } = keying;
  const units = [...new Set(keys)].map((key): [string, string, number, NixUnit] => [
    key,
    keying.bodies.get(key)!,
    keying.heights.get(key)!,
    data.units[key],
  ]);
  const packageKeys = new Set(units.map(([, , , unit]) => unit.package));
  const packages = [...packageKeys].map((key): [string, NixPackage] => [key, data.packages[key]]);
  return { keys, units, packages };
}

/** A graph emitted for another data file, added to this one as `unitKeys` would add it. */
function replay(earlier: ReusableGraph, keying: Keying): string[] {
  const { data, bodies } = keying;
  for (const [key, entry] of earlier.packages) data.packages[key] ??= entry;
  for (const [key, text, height, unit] of earlier.units) {
    const prior = bodies.get(key);
    if (prior === undefined) {
      bodies.set(key, text);
      keying.heights.set(key, height);
      data.units[key] = unit;
    } else if (prior !== text) {
      throw new Error(`unit key collision: ${key}`);
    }
  }
  return earlier.keys;
}

/** Key every unit of one graph (dependencies first), adding its packages and units to `data`. */
function unitKeys(
  g: EmitGraph,
  nativeTriple: string | undefined,
  primary: Set<PackageId>,
  keying: Keying,
): string[] {
  const { data, bodies } = keying;
  const keys: (string | undefined)[] = new Array(g.graph.units.length);
  const lto = unitLto(g.graph);
  const visiting = new Set<number>();
  const keyOf = (index: number): string => {
    const done = keys[index];
    if (done) return done;
    if (visiting.has(index)) throw new Error(`the unit graph has a cycle through unit ${index}`);
    visiting.add(index);
    const unit = g.graph.units[index];
    const pkg = findPackage(g, unit.pkg_id);
    const pkgKey = packageKey(g, pkg, keying);
    const depKeys = unit.dependencies.map((d) => ({
      key: keyOf(d.index),
      extern: d.extern_crate_name,
      unit: g.graph.units[d.index],
    }));
    checkUnitNames(pkg, unit.target.name, unit.target.name.replace(/-/g, "_"));
    const target = unit.platform === nativeTriple ? NATIVE_TARGET : unit.platform;
    // A build-script run without its script's compile: the config's override of its `links` replaces it.
    const overridden =
      unit.mode === "run-custom-build" && pkg.links !== null && !depKeys.some((d) => d.unit.mode === "build");
    const override = overridden
      ? g.project.linksOverrides[unit.platform ?? nativeTriple ?? hostTriple()]?.[pkg.links as string]
      : undefined;
    const flags = unitRustflags(g, unit);
    const body = unitBody(unit, target, lto[index], pkg, pkgKey, g.toolchain, depKeys, override, flags);
    // Cargo sets CARGO_PRIMARY_PACKAGE for the packages it was asked to build, not for dependencies. Not
    // on a build script's compile here (Cargo sets it there too): so the clippy and doc checks of a
    // package that an output depends on reuse that output's build-script derivations.
    if (primary.has(unit.pkg_id) && !unit.target.kind.includes("custom-build")) body.primary = true;
    // unitBody builds its keys in one fixed order, so plain JSON is canonical here.
    const text = JSON.stringify(body);
    const hash = sha256(text).slice(0, 16);
    const key = `${pkg.name}-${pkg.version}-${hash}`;
    const prior = bodies.get(key);
    if (prior === undefined) {
      bodies.set(key, text);
      const height = unitHeight(unit, pkg, depKeys, keying);
      keying.heights.set(key, height);
      data.units[key] = { ...body, metadata: hash, rank: rank(height) };
    } else if (prior !== text) {
      throw new Error(`unit key collision: ${key}`);
    }
    visiting.delete(index);
    keys[index] = key;
    return key;
  };
  return g.graph.units.map((_, i) => keyOf(i));
}

/**
 * Nix starts the ready builds in the order of their derivation names, and cargo starts the unit with the
 * most work left behind it. A unit's rank brings Nix close to that without making a derivation depend on
 * its dependents (which would rebuild it whenever one is added): units with the heaviest chain of work
 * below them go first. The work of a compile is guessed from its package's number of `.rs` files (plus a
 * constant per unit); a unit's height is its own work plus the largest height among its dependencies.
 * The rank, 4 digits in the derivation name, is 9999 minus the height, so a lower rank goes first.
 * The height depends only on what the unit's derivation already depends on: its dependencies and its
 * package's files. (Replaying the cats sample's cold build with its measured durations on 2 slots:
 * 105 s in alphabetical order, 96 s in this one, 93 s in cargo's; measured, together with compiles that
 * unpack their own crate: 98 s against 107 s, on a machine whose timings vary by ±10%.)
 */
function unitHeight(unit: Unit, pkg: Package, deps: { key: string }[], keying: Keying): number {
  let below = 0;
  for (const d of deps) below = Math.max(below, keying.heights.get(d.key) ?? 0);
  if (unit.mode === "run-custom-build") return UNIT_WORK + below;
  return UNIT_WORK + pkg.rustFiles + below;
}

/** The work of a unit beyond its source files: a rustc start, a derivation, a build-script run. */
const UNIT_WORK = 4;
const MAX_RANK = 9999;

function rank(height: number): number {
  return Math.max(0, MAX_RANK - height);
}

/** Everything of a unit but its `metadata` (derived from a hash of the rest) and `rank`. */
function unitBody(
  unit: Unit,
  target: string | null,
  lto: Lto,
  pkg: Package,
  pkgKey: string,
  toolchain: string,
  deps: { key: string; extern: string; unit: Unit }[],
  override: string[] | undefined,
  rustflags: string[],
): Omit<NixUnit, "metadata" | "rank"> {
  const isRun = unit.mode === "run-custom-build";
  const runDeps = deps.filter((d) => d.unit.mode === "run-custom-build");
  const compileDeps = deps.filter((d) => d.unit.mode !== "run-custom-build");
  const mode = unit.mode;
  if (mode !== "build" && mode !== "test" && mode !== "doctest" && mode !== "run-custom-build") {
    throw new Error(`unit mode ${unit.mode} of ${unit.pkg_id} is not supported by the Nix output yet`);
  }
  return {
    package: pkgKey,
    mode,
    kind: [...unit.target.kind],
    targetName: unit.target.name,
    crateName: unit.target.name.replace(/-/g, "_"),
    crateTypes: [...unit.target.crate_types],
    edition: unit.target.edition,
    src: crateRelativeSrc(unit, pkg),
    features: [...unit.features].sort(),
    target,
    toolchain,
    profile: nixProfile(unit.profile),
    lto,
    rustflags,
    primary: false,
    deps: isRun
      ? []
      : compileDeps
          .map((d) => ({ unit: d.key, extern: d.extern }))
          .sort((a, b) => cmp(a.extern, b.extern) || cmp(a.unit, b.unit)),
    ...(mode === "test" ? { harness: harnessOf(unit, pkg) } : {}),
    buildScriptRun: isRun ? null : (runDeps[0]?.key ?? null),
    buildScript: isRun ? (compileDeps[0]?.key ?? null) : null,
    linksDeps: isRun ? runDeps.map((d) => d.key).sort() : [],
    // A run whose build script the config overrides (Cargo compiles no script for it).
    ...(isRun && compileDeps.length === 0 ? { buildScriptOutput: overrideOutput(unit, override) } : {}),
  };
}

function overrideOutput(unit: Unit, lines: string[] | undefined): string {
  if (lines === undefined)
    throw new Error(`the build-script run of ${unit.pkg_id} has no build script and no links override`);
  return lines.map((l) => `${l}\n`).join("");
}

/** The rustflags of a unit (src/resolve/rustflags.ts): null platform is a host unit, which gets them
 * only in a graph planned without `--target`. One flag a line in the Nix builders. */
function unitRustflags(g: EmitGraph, unit: Unit): string[] {
  const { flags } = rustflagsOf(g.project.rustflags, unit.platform ?? g.hostBuild ?? null);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: 0x1f separates CARGO_ENCODED_RUSTFLAGS
  const bad = flags.find((f) => /[\n\r\x1f]/.test(f));
  if (bad !== undefined)
    throw new UserError(`the rustflag ${JSON.stringify(bad)} holds a line break: crateflake cannot pass it`);
  return flags;
}

/** `harness = false` of the unit's target (Cargo's unit graph does not say; the manifest does). */
function harnessOf(unit: Unit, pkg: Package): boolean {
  const target = pkg.targets.find(
    (t) => t.name === unit.target.name && t.kind.join() === unit.target.kind.join(),
  );
  return target?.harness ?? true;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nixProfile(p: Unit["profile"]): NixProfile {
  return {
    name: p.name,
    optLevel: String(p.opt_level),
    debuginfo: p.debuginfo === null || p.debuginfo === undefined ? "0" : String(p.debuginfo),
    debugAssertions: p.debug_assertions,
    overflowChecks: p.overflow_checks,
    panic: p.panic,
    lto: String(p.lto),
    codegenUnits: p.codegen_units ?? null,
    strip: stripOf(p),
  };
}

/** Find the unit's package in the project; ids compare in Cargo's spelling (`src/cargo/ids.ts`). */
function findPackage(g: EmitGraph, id: PackageId): Package {
  const pkg = g.project.packages.get(id);
  if (pkg) return pkg;
  throw new Error(`output ${g.name}: unit package ${id} is not in the project`);
}

/** The package's source with paths inside the flake made flake-relative, and an archive on this machine's
 * disk (a local registry's `file://` URL) given as the file, which nix/crate-archive.nix copies into the
 * store by its hash: a fixed-output fetch would put the URL into its `.drv`, and so into every dependent's. */
function sourceOf(g: EmitGraph, pkg: Package, flakeRoot: string): NixSource {
  const given = (g.sources ?? g.project.sources).get(pkg.id);
  if (!given && !pkg.source.startsWith("path+")) {
    throw new Error(`output ${g.name}: no source for ${pkg.id}`);
  }
  const source: NixSource = given ?? { kind: "path", path: dirname(pkg.manifestPath) };
  if (source.kind === "crate" && source.url.startsWith("file://"))
    return { ...source, file: fileURLToPath(source.url) };
  if (source.kind !== "path" || !isAbsolute(source.path)) return source;
  const rel = relative(flakeRoot, source.path);
  if (rel === "") return { ...source, path: "." };
  if (rel.startsWith("..") || isAbsolute(rel)) return source;
  return { ...source, path: rel.split(sep).join("/") };
}

/** The package's key in `data.packages` (added on first use). */
function packageKey(g: EmitGraph, pkg: Package, keying: Keying): string {
  const sources = g.sources ?? g.project.sources;
  let keys = keying.packageKeys.get(sources);
  if (!keys) {
    keys = new Map();
    keying.packageKeys.set(sources, keys);
  }
  let key = keys.get(pkg);
  if (key === undefined) {
    key = addPackage(keying.data, pkg, sourceOf(g, pkg, keying.flakeRoot));
    keys.set(pkg, key);
  }
  return key;
}

function addPackage(data: NixData, pkg: Package, source: NixSource): string {
  const key = `${pkg.name}-${pkg.version}-${sha256(canonicalJson(sourceIdentity(source))).slice(0, 8)}`;
  if (!data.packages[key]) {
    const entry: NixPackage = {
      name: pkg.name,
      version: pkg.version,
      source,
      local: source.kind === "path" && !source.narHash,
      links: pkg.links,
      edition: pkg.edition,
      env: packageEnv(pkg),
    };
    data.packages[key] = entry;
  }
  return key;
}

/**
 * What identifies a package's contents, for its key (and so its units' keys and derivations): a `.crate`
 * by its sha256 (Cargo's own identity of the archive), a directory copied by NAR hash (a vendored or
 * directory source outside the flake) by that hash. Where they are read from only matters for fetching
 * (a fixed-output derivation, whose output path depends on the hash alone), so two checkouts or machines
 * with the same Cargo.lock get the same derivations, wherever their registry or vendor directory lies.
 */
function sourceIdentity(source: NixSource): object {
  if (source.kind === "crate" && source.sha256) return { kind: "crate", sha256: source.sha256 };
  if (source.kind === "path" && source.narHash) return { kind: "path", narHash: source.narHash };
  return source;
}

/** The crate root relative to the package root; falls back to the project's target when the graph's
 * path lies elsewhere (Cargo's graph points into its own registry cache, the project may not). */
function crateRelativeSrc(unit: Unit, pkg: Package): string {
  const rel = crateRelativeSrcUnchecked(unit, pkg);
  return checkedCrateRoot(rel, unit.target.name, unit.target.src_path, pkg.manifestPath);
}

function crateRelativeSrcUnchecked(unit: Unit, pkg: Package): string {
  const root = dirname(pkg.manifestPath);
  const direct = relative(root, unit.target.src_path);
  if (!direct.startsWith("..") && !isAbsolute(direct)) return direct.split(sep).join("/");
  const target = pkg.targets.find(
    (t) => t.name === unit.target.name && t.kind.join() === unit.target.kind.join(),
  );
  if (target) return relative(root, target.srcPath).split(sep).join("/");
  const m = /[\\/]([^\\/]+-\d+\.\d+\.\d+[^\\/]*)[\\/](.*)$/.exec(unit.target.src_path);
  if (m && m[1] === `${pkg.name}-${pkg.version}`) return m[2].split(sep).join("/");
  return checkedCrateRoot("..", unit.target.name, unit.target.src_path, pkg.manifestPath);
}
