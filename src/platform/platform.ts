/**
 * Target platforms: a rustc target triple and its cfg values, the lines of `rustc --print cfg --target T`.
 * Cargo matches `[target.X.dependencies]` against exactly those values (queried with the user's RUSTFLAGS
 * and no profile), so `debug_assertions` is set even for release builds while `test`, `feature = ...`
 * and `proc_macro` never are; build-script environments (`CARGO_CFG_*`) come from the same values, with
 * `debug_assertions` and `feature` taken from the unit instead.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../errors.ts";
import { type Cfg, type CfgExpr, cfgKey, evalCfgExpr, parseCfgExpr, parseCfgLine } from "./cfg.ts";
import builtins from "./targets.json" with { type: "json" };

export interface Platform {
  /** The rustc target triple (or the file stem of a custom target JSON). */
  triple: string;
  /** `rustc --print cfg --target <triple>`, one value a line, in rustc's order. */
  cfg: readonly Cfg[];
}

const builtinTargets: Record<string, string[]> = builtins.targets;

/** The triples with built-in cfg data (scripts/gen-platforms.sh), sorted. */
export function knownTriples(): string[] {
  return Object.keys(builtinTargets).sort();
}

/** The rustc version the built-in data was taken from. */
export const builtinRustcVersion: string = builtins.rustc;

/**
 * The built-in platform for `triple`. `extraCfg` adds `--cfg` values the user passes in RUSTFLAGS
 * (`foo` or `key="value"`), which `rustc --print cfg` would also report.
 */
export function platformFor(triple: string, opts: { extraCfg?: string[] } = {}): Platform {
  const lines = builtinTargets[triple];
  if (!lines) {
    throw new UserError(
      `unknown target triple \`${triple}\`; built-in targets are: ${knownTriples().join(", ")} ` +
        `(for another target, give the output of \`rustc --print cfg --target ${triple}\` in a file)`,
    );
  }
  const cfg = lines.map((l) => parseCfgLine(l) as Cfg);
  const extra = (opts.extraCfg ?? []).map((e) => {
    const c = parseCfgLine(e);
    if (!c) throw new UserError(`invalid --cfg value \`${e}\`: expected \`name\` or \`key="value"\``);
    return c;
  });
  return withExtraCfg({ triple, cfg }, extra);
}

/** `p` with more cfg values (rustflags' `--cfg`s), each once, after rustc's own. */
export function withExtraCfg(p: Platform, extra: readonly Cfg[]): Platform {
  const cfg = [...p.cfg];
  for (const c of extra) if (!cfg.some((x) => cfgKey(x) === cfgKey(c))) cfg.push(c);
  return { triple: p.triple, cfg };
}

/** Reads `rustc --print cfg` output; every non-empty line must be a cfg value. */
export function parsePrintCfg(text: string, file?: string): Cfg[] {
  const out: Cfg[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const c = parseCfgLine(line);
    if (!c) {
      throw new UserError(
        `not a line of \`rustc --print cfg\` output: ${JSON.stringify(line)} (expected \`name\` or \`key="value"\`)`,
        file,
        i + 1,
      );
    }
    out.push(c);
  });
  return out;
}

/** A platform from a user-given file holding `rustc --print cfg --target <triple>` output. */
export function loadPlatformFile(triple: string, path: string): Platform {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`cannot read the cfg file for \`${triple}\`: ${(e as Error).message}`, path);
  }
  const cfg = parsePrintCfg(text, path);
  if (!cfg.some((c) => c.name === "target_arch")) {
    throw new UserError(
      `no \`target_arch\` in the file: is it the output of \`rustc --print cfg --target ${triple}\`?`,
      path,
    );
  }
  return { triple, cfg };
}

/** A `[target.X]` key: a `cfg(...)` expression or a target triple (Cargo's `Platform`). */
export type TargetSpec = { kind: "triple"; triple: string } | { kind: "cfg"; expr: CfgExpr };

/** Parses a `[target.X]` key as `cargo-platform` does. */
export function parseTargetSpec(spec: string, file?: string, line?: number): TargetSpec {
  if (spec.startsWith("cfg(") && spec.endsWith(")")) {
    return { kind: "cfg", expr: parseCfgExpr(spec.slice(4, -1), file, line) };
  }
  // Cargo accepts any name of letters, digits, `_`, `-`, `.` (a custom target's JSON file stem too).
  const bad = [...spec].find((ch) => !/^[\p{L}\p{N}_.-]$/u.test(ch));
  if (bad !== undefined) {
    const why = spec.includes("(")
      ? "unexpected `(` character, cfg expressions must start with `cfg(` and end with `)`"
      : `unexpected character ${JSON.stringify(bad)} in target name`;
    throw new UserError(`invalid target \`${spec}\`: ${why}`, file, line);
  }
  return { kind: "triple", triple: spec };
}

const specCache = new Map<string, TargetSpec>();
const cfgSets = new WeakMap<Platform, Set<string>>();

function cfgSet(p: Platform): Set<string> {
  let s = cfgSets.get(p);
  if (!s) {
    s = new Set(p.cfg.map(cfgKey));
    cfgSets.set(p, s);
  }
  return s;
}

/** Whether a parsed `[target.X]` key applies to `p`. */
export function specMatches(spec: TargetSpec, p: Platform): boolean {
  if (spec.kind === "triple") return spec.triple === p.triple;
  const set = cfgSet(p);
  return evalCfgExpr(spec.expr, (k) => set.has(k));
}

/**
 * Whether a dependency declared under `[target.<spec>]` applies to platform `p`; `null` is a dependency
 * without a target section, which always applies. Invalid specs throw a UserError (with file/line if given).
 */
export function matchesPlatform(spec: string | null, p: Platform, file?: string, line?: number): boolean {
  if (spec === null) return true;
  let parsed = specCache.get(spec);
  if (!parsed) {
    parsed = parseTargetSpec(spec, file, line);
    specCache.set(spec, parsed);
  }
  return specMatches(parsed, p);
}

/** Cargo's `envify`: upper case, `-` to `_`. */
function envify(s: string): string {
  return s.toUpperCase().replaceAll("-", "_");
}

/**
 * The `CARGO_CFG_*` variables Cargo gives a build script whose package is built for `p`: one per cfg
 * name, empty for names, comma-joined values (in rustc's order) for keys; `CARGO_CFG_FEATURE` holds
 * the unit's features (sorted, comma-joined, present even when empty), and `CARGO_CFG_DEBUG_ASSERTIONS`
 * follows the profile rather than rustc. Checked against cargo 1.95 in test/platform.
 */
export function cargoCfgEnv(
  p: Platform,
  unit: { features: readonly string[]; debugAssertions: boolean },
): Record<string, string> {
  const values = new Map<string, string[] | null>();
  values.set("feature", [...unit.features].sort());
  if (unit.debugAssertions) values.set("debug_assertions", null);
  for (const c of p.cfg) {
    if (c.name === "debug_assertions" || c.name === "feature") continue;
    if (c.value === undefined) {
      values.set(c.name, null);
    } else {
      const list = values.get(c.name) ?? [];
      list.push(c.value);
      values.set(c.name, list);
    }
  }
  const env: Record<string, string> = {};
  for (const [name, list] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    env[`CARGO_CFG_${envify(name)}`] = list === null ? "" : list.join(",");
  }
  return env;
}
