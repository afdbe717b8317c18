/**
 * Nix systems that plan alike. A plan depends on its native triple only through the answers to the
 * projects' `[target.X]` questions (`cfg(unix)`, `cfg(target_os = "macos")`, a plain triple), through
 * the rustflags the projects' config gives the triple (and the answers with their `--cfg`s), through
 * Apple's split-debuginfo default, and through the triple written on native units. The systems whose
 * triples agree on the first two share one plan and one emission, in which native units carry
 * `NATIVE_TARGET`; each system's data then swaps in its own triple. `x86_64-linux` and `aarch64-linux`
 * usually share, and so do the two darwins.
 *
 * Unit keys (`-C metadata`) are hashed with `NATIVE_TARGET` too, so a system's data does not depend on
 * which other systems were generated with it.
 *
 * Split-debuginfo is only printed for a profile with debuginfo, and the release profile has none by
 * default: then the release builds (outputs, clippy, doc) of the linux and darwin classes are the same
 * plan, and their release group plans and emits them once. Only the test plans (Cargo's `test` profile
 * has debuginfo) stay apart.
 */
import type { Project } from "../cargo/model.ts";
import type { RustflagsConfig } from "../cargo/rustflags.ts";
import { NATIVE_TARGET, type NixData, type NixUnit } from "../nix/data.ts";
import type { PlatformMatcher } from "../resolve/features.ts";
import { rustflagsOf } from "../resolve/rustflags.ts";

/** Every `[target.X]` key of every dependency table of the projects, and every triple whose links
 * overrides (`.cargo/config.toml`) change what is built, sorted. */
export function platformQuestions(projects: Iterable<Project>): string[] {
  const specs = new Set<string>();
  for (const project of projects) {
    for (const pkg of project.packages.values())
      for (const dep of pkg.dependencies) if (dep.platform !== null) specs.add(dep.platform);
    for (const triple of Object.keys(project.linksOverrides)) specs.add(triple);
  }
  return [...specs].sort();
}

/** Systems that share one plan, and the release group whose release plans they share. */
export interface NativeClass {
  systems: string[];
  releaseGroup: string;
}

/**
 * The systems (in the given order) grouped by what their triples decide. A system whose triple some
 * output names as its target plans alone: its native units and that output's could not be told apart.
 * `releaseDebuginfo`: some project's release profile has debuginfo, so Apple's default splits releases too.
 */
export function nativeClasses(
  systems: string[],
  tripleOf: (system: string) => string,
  questions: string[],
  matches: PlatformMatcher,
  outputTargets: string[],
  releaseDebuginfo = false,
  rustflags: RustflagsConfig[] = [],
): NativeClass[] {
  const classes = new Map<string, NativeClass>();
  for (const system of systems) {
    const triple = tripleOf(system);
    // The projects' rustflags for the triple, and the answers of its target units, whose cfg they extend.
    const flags = rustflags.map((config) => rustflagsOf(config, triple, matches));
    const cfgs = [...new Set(flags.filter((f) => f.cfg.length > 0).map((f) => f.cfg))];
    const answers = [[], ...cfgs]
      .map((cfg) => questions.map((q) => (matches(q, triple, cfg) ? "1" : "0")).join(""))
      .concat(flags.some((f) => f.flags.length > 0) ? [JSON.stringify(flags.map((f) => f.flags))] : [])
      .join(" ");
    const apple = triple.includes("-apple-") ? "apple" : "";
    const alone = outputTargets.includes(triple);
    const signature = alone ? `alone ${system}` : `${apple} ${answers}`;
    const releaseGroup = alone || releaseDebuginfo ? signature : answers;
    const known = classes.get(signature);
    if (known) known.systems.push(system);
    else classes.set(signature, { systems: [system], releaseGroup });
  }
  return [...classes.values()];
}

/** Shared data's JSON text (`dataJson`) for one system. Inside a JSON string every `"` is escaped, so
 * the pair `"target":"{native}"` only occurs as a unit's field, and the keys' order does not change. */
export function withNativeTripleJson(json: string, triple: string): string {
  return json.replaceAll(`"target":${JSON.stringify(NATIVE_TARGET)}`, `"target":${JSON.stringify(triple)}`);
}

/** Shared `data` for one system: its native units carry `triple`. */
export function withNativeTriple(data: NixData, triple: string): NixData {
  const units: Record<string, NixUnit> = {};
  for (const [key, unit] of Object.entries(data.units))
    units[key] = unit.target === NATIVE_TARGET ? { ...unit, target: triple } : unit;
  return { ...data, units };
}
