/**
 * The rustflags of a unit's compile kind (src/cargo/rustflags.ts has Cargo's rules): with `--target`
 * only units built for the target get them; a build without `--target` (`cargo test`) gives them to
 * every unit, build scripts and proc-macros included.
 */
import { type RustflagsConfig, targetRustflags } from "../cargo/rustflags.ts";
import type { Cfg } from "../platform/cfg.ts";
import type { PlatformMatcher } from "./features.ts";
import { platformMatcher } from "./platforms.ts";
import { HOST, type Kind } from "./units.ts";

export interface KindRustflags {
  flags: string[];
  /** The flags' `--cfg` values: rustc reports them as the target's cfg. */
  cfg: Cfg[];
}

const NONE: KindRustflags = { flags: [], cfg: [] };
const memo = new WeakMap<RustflagsConfig, Map<string, KindRustflags>>();
const builtins = platformMatcher();

/** The rustflags of units built for `triple` (null: a host unit of a `--target` build, which gets none). */
export function rustflagsOf(
  config: RustflagsConfig,
  triple: string | null,
  matches: PlatformMatcher = builtins,
): KindRustflags {
  if (triple === null || (config.env === null && config.build === null && isEmpty(config.target)))
    return NONE;
  let byTriple = memo.get(config);
  if (!byTriple) {
    byTriple = new Map();
    memo.set(config, byTriple);
  }
  let r = byTriple.get(triple);
  if (!r) {
    r = targetRustflags(config, triple, (key, extraCfg) => matches(key, triple, extraCfg));
    byTriple.set(triple, r);
  }
  return r;
}

/** The `--cfg` values of rustflags per unit kind of one plan: `noTarget` is a build without `--target`. */
export function kindCfg(
  config: RustflagsConfig,
  hostTriple: string,
  noTarget: boolean,
  matches: PlatformMatcher,
): (kind: Kind) => readonly Cfg[] {
  return (kind) => {
    if (kind === HOST) return noTarget ? rustflagsOf(config, hostTriple, matches).cfg : [];
    return rustflagsOf(config, kind, matches).cfg;
  };
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
