/**
 * The profile of a unit (Cargo's `Profiles::get_profile`, and the end of `traverse_and_share`). A unit's
 * settings are its profile's; for host units (build scripts, proc-macros and their dependencies) then
 * Cargo's build-override defaults (opt-level 0, no codegen-units, debuginfo deferred: see finish.ts);
 * then the override tables, later ones winning: `build-override` (host units), `package."*"` (packages
 * that are not workspace members), `package.<spec>`. `ProfileKey` is what makes Cargo build one crate
 * twice (host or not, Apple's split-debuginfo, a build-script run), so that the set of units equals Cargo's.
 */
import type { Package, Profile, ProfileSettings, Project } from "../cargo/model.ts";
import { packageSpecMatches } from "../cargo/package-spec.ts";
import { builtinProfile } from "../cargo/profiles.ts";
import type { UnitProfile } from "./unit-graph.ts";

/** What distinguishes two units' profiles in a plan. */
export interface ProfileKey {
  /** Built for the host (build-override): debuginfo decided at the end (0 unless shared with the target side). */
  hostDeferred: boolean;
  /** `split-debuginfo = "unpacked"` (Apple targets with debuginfo). */
  split: boolean;
  /** The profile of a build-script run (`get_profile_run_custom_build`). */
  run: boolean;
}

export const profileKeyString = (p: ProfileKey): string =>
  `${p.hostDeferred ? "h" : "-"}${p.split ? "s" : "-"}${p.run ? "r" : "-"}`;

/** Cargo's `Profiles::get_profile`: `triple` is the kind the profile is asked for. */
export function profileFor(forHost: boolean, triple: string): ProfileKey {
  return { hostDeferred: forHost, split: !forHost && triple.includes("-apple-"), run: false };
}

/** Cargo's `get_profile_run_custom_build`: a fresh profile keeping the parent's debuginfo, not its split. */
export function runProfileFor(parent: ProfileKey): ProfileKey {
  return { ...parent, split: false, run: true };
}

/** A unit's settings, before the graph decides deferred debuginfo and strip. */
export interface UnitSettings extends Required<Omit<ProfileSettings, "strip">> {
  /** A host unit's debuginfo that no override set: 0 in the end unless shared with the target side. */
  debugDeferred: boolean;
  /** Set by the manifest (`none`, `debuginfo`, `symbols`), or null: decided per unit (`unitStrip`). */
  strip: string | null;
  lto: string;
  panic: string;
}

/** The settings of a package's units (host or not) under one profile; memoised per package. */
export type SettingsOf = (pkg: Package, forHost: boolean) => UnitSettings;

function profileOf(project: Project, name: string): Profile {
  return project.profiles[name] ?? project.profiles[name === "test" ? "dev" : name] ?? builtinProfile(name);
}

export function settingsFor(project: Project, name: string): SettingsOf {
  const profile = profileOf(project, name);
  const members = new Set(project.members);
  const specs = Object.keys(profile.packageOverrides).filter((s) => s !== "*");
  const memo = new Map<string, UnitSettings>();
  return (pkg, forHost) => {
    const key = `${forHost ? "h" : "t"}${pkg.id}`;
    let s = memo.get(key);
    if (s) return s;
    s = {
      optLevel: profile.optLevel,
      debug: profile.debug,
      debugDeferred: false,
      debugAssertions: profile.debugAssertions,
      overflowChecks: profile.overflowChecks,
      codegenUnits: profile.codegenUnits,
      incremental: profile.incremental,
      strip: profile.strip,
      lto: profile.lto,
      panic: profile.panic,
    };
    if (forHost) {
      s.optLevel = "0";
      s.codegenUnits = null;
      s.debugDeferred = true;
    }
    const overrides: ProfileSettings[] = [];
    if (forHost) overrides.push(profile.buildOverride);
    const all = profile.packageOverrides["*"];
    if (all && !members.has(pkg.id)) overrides.push(all);
    const spec = specs.find((x) => packageSpecMatches(x, pkg));
    if (spec) overrides.push(profile.packageOverrides[spec] as ProfileSettings);
    for (const o of overrides) {
      Object.assign(s, o);
      if (o.debug !== undefined) s.debugDeferred = false;
    }
    memo.set(key, s);
    return s;
  };
}

/** Whether a debuginfo level (`0`, `2`, `line-tables-only`, ...) means any debuginfo at all. */
export const debugOn = (level: number | string): boolean => level !== 0 && level !== "0" && level !== "none";

/** The debuginfo level as Cargo prints it: 0, 1, 2, or a name like `line-tables-only`. */
export function printedDebuginfo(level: string): number | string {
  return /^\d$/.test(level) ? Number(level) : level;
}

/** Whether some unit of the profile can have debuginfo (the profile's own, or an override's). */
export function profileMayHaveDebuginfo(project: Project, name: string): boolean {
  const p = profileOf(project, name);
  const overrides = [p.buildOverride, ...Object.values(p.packageOverrides)];
  return debugOn(p.debug) || overrides.some((o) => o.debug !== undefined && debugOn(o.debug));
}

/**
 * Cargo's strip decision (`traverse_and_share`, Cargo 1.77+): a unit whose `strip` the manifest did not set
 * gets `-C strip=debuginfo` when neither it (debuginfo still deferred) nor any direct dependency (debuginfo
 * final) has debuginfo, so that the standard library's debuginfo does not end up in a release binary.
 */
export function unitStrip(
  s: UnitSettings,
  ownDebuginfo: number | string,
  depsDebuginfo: (number | string)[],
): string | null {
  if (s.strip !== null) return s.strip;
  return !debugOn(ownDebuginfo) && !depsDebuginfo.some(debugOn) ? "debuginfo" : null;
}

/** The unit graph's `strip` as Cargo prints it: `{"deferred":"None"}`, `{"resolved":{"Named":"debuginfo"}}`. */
function printedStrip(strip: string | null, explicit: boolean): unknown {
  const inner = strip === null || strip === "none" ? "None" : { Named: strip };
  return explicit || strip !== null ? { resolved: inner } : { deferred: inner };
}

/** The strip setting of a unit-graph profile (ours or Cargo's): `none`, `debuginfo`, `symbols`. */
export function stripOf(p: UnitProfile): string {
  const s = p.strip as { resolved?: unknown; deferred?: unknown } | undefined;
  const inner = s?.resolved ?? s?.deferred;
  return typeof inner === "object" && inner !== null && "Named" in inner ? String(inner.Named) : "none";
}

/**
 * The JSON profile of a unit. `debuginfo` is the final level (after host deferral was settled), `strip`
 * the unit's decision (`unitStrip`). A build-script run keeps only the opt-level, debuginfo and
 * debug-assertions of the unit it serves (`get_profile_run_custom_build`).
 */
export function unitProfile(
  name: string,
  s: UnitSettings,
  key: ProfileKey,
  debuginfo: number | string,
  strip: string | null,
  isLocal: boolean,
): UnitProfile {
  return {
    name,
    opt_level: s.optLevel,
    lto: key.run ? "false" : s.lto,
    codegen_backend: null,
    codegen_units: key.run ? null : s.codegenUnits,
    debuginfo,
    split_debuginfo: key.split ? "unpacked" : null,
    debug_assertions: s.debugAssertions,
    overflow_checks: key.run ? false : s.overflowChecks,
    rpath: false,
    incremental: isLocal && !key.run && s.incremental,
    panic: key.run ? "unwind" : s.panic,
    strip: printedStrip(strip, !key.run && s.strip !== null),
  };
}
