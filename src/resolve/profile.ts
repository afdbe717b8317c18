/**
 * The profile of a unit, simplified: crateflake keeps Cargo's profile `name` and the few settings that make
 * Cargo build one crate twice (host units' deferred debuginfo, Apple's split-debuginfo), so that the set
 * of units equals Cargo's. The other fields follow `[profile.*]` of the root manifest with Cargo's defaults.
 */
import type { Profile, Project } from "../cargo/model.ts";
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

function profileOf(project: Project, name: string): Profile | undefined {
  return project.profiles[name] ?? project.profiles[name === "test" ? "dev" : name];
}

/** The profile's debuginfo level as Cargo prints it: 0, 1, 2, or a name like `line-tables-only`. */
export function profileDebuginfo(project: Project, name: string): number | string {
  const level = profileOf(project, name)?.debug ?? "2";
  return /^\d$/.test(level) ? Number(level) : level;
}

/** Whether the build-override defaults (opt-level 0, no codegen-units) leave the profile unchanged. */
export function hostProfileIsTargetProfile(project: Project, name: string): boolean {
  const p = profileOf(project, name);
  return (p?.optLevel ?? "0") === "0" && (p?.codegenUnits ?? null) === null;
}

/** The JSON profile of a unit. `debuginfo` is the final level (after host deferral was settled). */
export function unitProfile(
  project: Project,
  name: string,
  key: ProfileKey,
  debuginfo: number | string,
  isLocal: boolean,
): UnitProfile {
  const p = profileOf(project, name);
  return {
    name,
    opt_level: key.hostDeferred ? "0" : (p?.optLevel ?? "0"),
    lto: p?.lto ?? "false",
    codegen_backend: null,
    codegen_units: key.hostDeferred ? null : (p?.codegenUnits ?? null),
    debuginfo,
    split_debuginfo: key.split ? "unpacked" : null,
    debug_assertions: p?.debugAssertions ?? true,
    overflow_checks: key.run ? false : (p?.overflowChecks ?? true),
    rpath: false,
    incremental: isLocal && !key.run && (p?.incremental ?? true),
    panic: p?.panic ?? "unwind",
    strip: { deferred: "None" },
  };
}
