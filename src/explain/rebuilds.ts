/**
 * `crateflake rebuilds`: which units of each output change derivation between two data files (an older
 * one, from a git revision, and the working tree's), and why. Pure: the caller reads the data and the
 * files changed below each path package.
 *
 * A unit's key hashes everything that decides its derivation but its sources, so a unit rebuilds when its
 * key is new, when its package's source tree changed (an edited path crate: same key, other files), or
 * when a unit below it rebuilds. A new key is explained against its old counterpart: the unit of the same
 * package name, target, mode and platform in the same output, whose fields are compared.
 */
import type { NixData, NixUnit } from "../nix/data.ts";

export type Cause =
  /** The locked version moved. */
  | { kind: "version"; from: string; to: string }
  /** The package's source changed at the same version (an edited path crate: `files`; else its origin). */
  | { kind: "source"; files?: string[] }
  /** `by`: what turned the added features on, one line each (filled by the caller, from the plan). */
  | { kind: "features"; added: string[]; removed: string[]; by?: string[] }
  /** `[profile]` settings (and Cargo's LTO decision) that differ. */
  | { kind: "profile"; fields: string[] }
  | { kind: "toolchain"; from: string; to: string }
  /** Dependencies below it that rebuild, were added or removed (package names). */
  | { kind: "dependency"; changed: string[]; added: string[]; removed: string[] }
  /** Every unit: the Nix library or the flake's inputs changed (`what` names them). */
  | { kind: "everything"; what: string }
  /** No unit like it was in the older data (a new dependency, a new target). */
  | { kind: "new" }
  /** Other fields of the unit (edition, crate root, crate types...). */
  | { kind: "other"; fields: string[] };

export interface RebuiltUnit {
  key: string;
  name: string;
  version: string;
  /** `lib`, `bin NAME`, `build script`, `build script run`, ... */
  what: string;
  targetName: string;
  mode: NixUnit["mode"];
  /** `--target` triple (the system's own for native units), or null for host units (build scripts...). */
  target: string | null;
  /** Its features, sorted. */
  features: string[];
  /** The derivation's name without its rank (`rust-NAME-VERSION[-bin-X|-build-script|-build-script-run]`). */
  derivation: string;
  causes: Cause[];
}

export interface OutputRebuilds {
  output: string;
  /** Units the output builds (its closure in the newer data). */
  units: number;
  rebuilt: RebuiltUnit[];
}

export interface RebuildsInput {
  old: NixData;
  new: NixData;
  /** Package key in the newer data → its changed files (paths relative to the package root). */
  sourceEdits: Map<string, string[]>;
  /** When set, every unit rebuilds because of this (the Nix library or the flake's inputs changed). */
  everything?: string;
}

/** Per output of the newer data, its units that rebuild, in dependency order (dependencies first). */
export function compareData(input: RebuildsInput): OutputRebuilds[] {
  const { old, new: data } = input;
  const rebuilt = new Map<string, Cause[]>();
  const visited = new Set<string>();
  const visit = (key: string): void => {
    if (visited.has(key)) return;
    visited.add(key);
    const unit = data.units[key];
    const below = unitDeps(unit);
    for (const d of below) visit(d);
    const causes: Cause[] = [];
    if (input.everything) causes.push({ kind: "everything", what: input.everything });
    const files = input.sourceEdits.get(unit.package);
    if (files && files.length > 0) causes.push({ kind: "source", files });
    const changedBelow = below.filter((d) => rebuilt.has(d));
    if (!(key in old.units)) {
      causes.push(...explainNew(input, key, changedBelow));
    } else if (changedBelow.length > 0) {
      causes.push({ kind: "dependency", changed: names(data, changedBelow), added: [], removed: [] });
    }
    if (causes.length > 0) rebuilt.set(key, causes);
  };
  return Object.keys(data.outputs)
    .sort()
    .map((output) => {
      const closure = closureOf(data, data.outputs[output].roots);
      for (const key of closure) visit(key);
      return {
        output,
        units: closure.length,
        rebuilt: closure.filter((k) => rebuilt.has(k)).map((k) => describe(data, k, rebuilt.get(k)!)),
      };
    });
}

/** Every unit a unit's derivation depends on: libraries, its build-script run, the script it runs. */
function unitDeps(unit: NixUnit): string[] {
  return [
    ...unit.deps.map((d) => d.unit),
    ...(unit.buildScriptRun ? [unit.buildScriptRun] : []),
    ...(unit.buildScript ? [unit.buildScript] : []),
    ...unit.linksDeps,
  ];
}

/** The units below the roots, dependencies before dependents (then by key, for stable output). */
function closureOf(data: NixData, roots: string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const d of [...unitDeps(data.units[key])].sort()) walk(d);
    order.push(key);
  };
  for (const r of [...roots].sort()) walk(r);
  return order;
}

function names(data: NixData, keys: string[]): string[] {
  return [...new Set(keys.map((k) => data.packages[data.units[k].package].name))].sort();
}

/** Why a key that the older data does not have: its fields against its old counterpart's. */
function explainNew(input: RebuildsInput, key: string, changedBelow: string[]): Cause[] {
  const { old, new: data } = input;
  const unit = data.units[key];
  const pkg = data.packages[unit.package];
  const was = counterpart(input, key);
  if (!was) return [{ kind: "new" }];
  const oldUnit = old.units[was];
  const oldPkg = old.packages[oldUnit.package];
  const causes: Cause[] = [];
  if (oldPkg.version !== pkg.version) causes.push({ kind: "version", from: oldPkg.version, to: pkg.version });
  else if (JSON.stringify(oldPkg) !== JSON.stringify(pkg)) causes.push({ kind: "source" });
  const added = unit.features.filter((f) => !oldUnit.features.includes(f));
  const removed = oldUnit.features.filter((f) => !unit.features.includes(f));
  if (added.length + removed.length > 0) causes.push({ kind: "features", added, removed });
  const profile = Object.keys(unit.profile).filter(
    (f) =>
      JSON.stringify(unit.profile[f as keyof typeof unit.profile]) !==
      JSON.stringify(oldUnit.profile[f as keyof typeof unit.profile]),
  );
  if (unit.lto !== oldUnit.lto) profile.push("lto decision");
  if (profile.length > 0) causes.push({ kind: "profile", fields: profile });
  if (unit.toolchain !== oldUnit.toolchain)
    causes.push({ kind: "toolchain", from: oldUnit.toolchain, to: unit.toolchain });
  const oldBelow = unitDeps(oldUnit);
  const below = unitDeps(unit);
  const depName = (d: NixData, k: string) => d.packages[d.units[k].package].name;
  const oldNames = new Set(oldBelow.map((k) => depName(old, k)));
  const newNames = new Set(below.map((k) => depName(data, k)));
  const dep: Cause = {
    kind: "dependency",
    changed: names(data, changedBelow),
    added: [...newNames].filter((n) => !oldNames.has(n)).sort(),
    removed: [...oldNames].filter((n) => !newNames.has(n)).sort(),
  };
  if (dep.changed.length + dep.added.length + dep.removed.length > 0) causes.push(dep);
  const other = OTHER_FIELDS.filter((f) => JSON.stringify(unit[f]) !== JSON.stringify(oldUnit[f]));
  if (other.length > 0) causes.push({ kind: "other", fields: other });
  return causes;
}

const OTHER_FIELDS: (keyof NixUnit)[] = ["edition", "src", "crateTypes", "crateName", "kind", "harness"];

/**
 * The old unit a new one replaces: same package name, target name, mode, kind and platform, in the
 * older closure of an output that reaches the new unit; the one with the fewest differing features when
 * several (a package built twice, for the host and the target).
 */
function counterpart(input: RebuildsInput, key: string): string | null {
  const { old, new: data } = input;
  const unit = data.units[key];
  const name = data.packages[unit.package].name;
  const outputs = Object.keys(data.outputs).filter((o) => o in old.outputs);
  const reaching = outputs.filter((o) => closureOf(data, data.outputs[o].roots).includes(key));
  const pool = new Set(
    (reaching.length > 0 ? reaching : outputs).flatMap((o) => closureOf(old, old.outputs[o].roots)),
  );
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const k of [...pool].sort()) {
    const u = old.units[k];
    if (old.packages[u.package].name !== name) continue;
    if (u.targetName !== unit.targetName || u.mode !== unit.mode || u.target !== unit.target) continue;
    if (u.kind.join() !== unit.kind.join()) continue;
    const score =
      u.features.filter((f) => !unit.features.includes(f)).length +
      unit.features.filter((f) => !u.features.includes(f)).length;
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}

function describe(data: NixData, key: string, causes: Cause[]): RebuiltUnit {
  const unit = data.units[key];
  const pkg = data.packages[unit.package];
  return {
    key,
    name: pkg.name,
    version: pkg.version,
    what: unitWhat(unit),
    targetName: unit.targetName,
    mode: unit.mode,
    target: unit.target,
    features: unit.features,
    derivation: `rust-${pkg.name}-${pkg.version}${derivationSuffix(unit)}`,
    causes,
  };
}

/** The unit's kind in words; also takes a planned unit's `{ mode, kind: target.kind, targetName }`. */
export function unitWhat(unit: { mode: string; kind: string[]; targetName: string }): string {
  if (unit.mode === "run-custom-build") return "build script run";
  if (unit.kind.includes("custom-build")) return "build script";
  if (unit.mode === "test") return `test ${unit.targetName}`;
  if (unit.mode === "doctest") return "doctest";
  if (unit.kind.includes("bin")) return `bin ${unit.targetName}`;
  if (unit.kind.includes("proc-macro")) return "proc-macro";
  if (unit.kind.includes("cdylib")) return "cdylib";
  return "lib";
}

/** As nix/compile.nix and nix/run-build-script.nix name the unit's derivation (after `rust-NNNN-NAME-VERSION`). */
function derivationSuffix(unit: NixUnit): string {
  if (unit.mode === "run-custom-build") return "-build-script-run";
  const has = (k: string) => unit.kind.includes(k);
  if (has("custom-build")) return "-build-script";
  if (has("bin") || has("example") || has("test") || has("bench")) return `-bin-${unit.targetName}`;
  return "";
}
