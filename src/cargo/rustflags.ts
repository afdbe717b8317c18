/**
 * The extra rustc flags Cargo passes ("rustflags"), by Cargo's rules (`extra_args` and `TargetInfo::new`
 * in cargo's build_context/target_info.rs):
 * - exactly one source is used, the first that has any: `CARGO_ENCODED_RUSTFLAGS`, `RUSTFLAGS`, the
 *   matching `[target.<triple>]` and `[target.'cfg(...)']` rustflags joined (triple first, then the cfg
 *   keys in sorted order), `[build] rustflags`;
 * - with `--target` (how crateflake builds: every output names its triple) they reach only the units
 *   built for the target; build scripts, proc-macros and their dependencies get none (`[host]` rustflags
 *   need `-Zhost-config`). A graph planned without `--target` (`cargo test`) gives them to every unit;
 * - `cfg(...)` keys are matched against the target's cfg with the rustflags' own `--cfg` values, which
 *   depend on the keys that matched: Cargo asks rustc twice, first with the flags found without cfg keys,
 *   then keeps the flags matched against that answer (and warns when they differ again).
 */
import { UserError } from "../errors.ts";
import { type Cfg, parseCfgLine } from "../platform/cfg.ts";

/** The rustflags settings of one project: config files, and the environment when taken. */
export interface RustflagsConfig {
  /** `CARGO_ENCODED_RUSTFLAGS` or `RUSTFLAGS`, when taken from the environment and set. */
  env: string[] | null;
  /** `[build] rustflags`, merged over the config files. */
  build: string[] | null;
  /** `[target.<triple or cfg(...)>] rustflags`, by key, merged over the config files. */
  target: Record<string, string[]>;
}

export const NO_RUSTFLAGS: RustflagsConfig = { env: null, build: null, target: {} };

/** Cargo's `rustflags_from_env`: `CARGO_ENCODED_RUSTFLAGS` (split on 0x1f) wins over `RUSTFLAGS`
 * (split on spaces); null when neither is set. */
export function envRustflags(env: NodeJS.ProcessEnv): string[] | null {
  const encoded = env.CARGO_ENCODED_RUSTFLAGS;
  if (encoded !== undefined) return encoded === "" ? [] : encoded.split("\x1f");
  const plain = env.RUSTFLAGS;
  if (plain !== undefined) return plain.split(" ").filter((s) => s.trim() !== "");
  return null;
}

/** Whether a `[target.'cfg(...)']` key applies to the target with these extra cfg values. */
export type CfgKeyMatcher = (key: string, extraCfg: readonly Cfg[]) => boolean;

/** The rustflags of units built for `triple` (with `--target`), and their `--cfg` values, which rustc
 * then reports as the target's too: what `[target.'cfg(...)'.dependencies]` and a build script's
 * `CARGO_CFG_*` see. */
export function targetRustflags(
  config: RustflagsConfig,
  triple: string,
  matches: CfgKeyMatcher,
): { flags: string[]; cfg: Cfg[] } {
  if (config.env) return { flags: config.env, cfg: cfgOfFlags(config.env) };
  const cfgKeys = Object.keys(config.target)
    .filter((k) => k.startsWith("cfg("))
    .sort();
  const pick = (extraCfg: readonly Cfg[] | null): string[] => {
    const flags = [...(config.target[triple] ?? [])];
    if (extraCfg) for (const key of cfgKeys) if (matches(key, extraCfg)) flags.push(...config.target[key]);
    return flags.length > 0 ? flags : (config.build ?? []);
  };
  const flags = pick(cfgOfFlags(pick(null)));
  return { flags, cfg: cfgOfFlags(flags) };
}

/** The `--cfg` values of rustc flags (`--cfg X` or `--cfg=X`), parsed. */
export function cfgOfFlags(flags: readonly string[]): Cfg[] {
  const out: Cfg[] = [];
  for (let i = 0; i < flags.length; i++) {
    let value: string | undefined;
    if (flags[i] === "--cfg") value = flags[++i];
    else if (flags[i].startsWith("--cfg=")) value = flags[i].slice("--cfg=".length);
    else continue;
    const cfg = value === undefined ? undefined : parseCfgLine(value);
    if (!cfg)
      throw new UserError(
        `invalid \`--cfg\` value ${JSON.stringify(value ?? "")} in rustflags: expected \`name\` or \`key="value"\``,
      );
    out.push(cfg);
  }
  return out;
}
