/** The platform matcher the resolver takes, over the built-in platform data (src/platform/). */
import { type Cfg, cfgKey } from "../platform/cfg.ts";
import { matchesPlatform, type Platform, platformFor, withExtraCfg } from "../platform/platform.ts";
import type { PlatformMatcher } from "./features.ts";

/** Matches `[target.X]` keys against built-in triples; `extra` supplies platforms loaded from files.
 * `extraCfg` (rustflags' `--cfg` values, src/cargo/rustflags.ts) joins the triple's own cfg. */
export function platformMatcher(extra: Platform[] = []): PlatformMatcher {
  const cache = new Map<string, Platform>(extra.map((p) => [p.triple, p]));
  // The resolver asks about the same few `[target.X]` keys for every dependency edge.
  const answers = new Map<string, boolean>();
  const platformOf = (triple: string, extraCfg: readonly Cfg[], key: string): Platform => {
    let p = cache.get(key);
    if (!p) {
      p =
        extraCfg.length === 0 ? platformFor(triple) : withExtraCfg(platformOf(triple, [], triple), extraCfg);
      cache.set(key, p);
    }
    return p;
  };
  return (spec, triple, extraCfg = []) => {
    if (spec === null) return true;
    const key = extraCfg.length === 0 ? triple : `${triple}\0${extraCfg.map(cfgKey).join("\0")}`;
    const question = `${key}\0\0${spec}`;
    let answer = answers.get(question);
    if (answer === undefined) {
      answer = matchesPlatform(spec, platformOf(triple, extraCfg, key));
      answers.set(question, answer);
    }
    return answer;
  };
}

/** The host's triple as rustc names it, from Node's view of the machine. */
export function hostTripleOf(platform: string, arch: string): string {
  const cpu = arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch;
  if (platform === "darwin") return `${cpu}-apple-darwin`;
  if (platform === "win32") return `${cpu}-pc-windows-msvc`;
  return `${cpu}-unknown-linux-gnu`;
}

/** The machine-dependent part of `PlanOptions`: this host's triple and the built-in platform data. */
export function hostPlanOptions(host?: string): { hostTriple: string; matches: PlatformMatcher } {
  return { hostTriple: host ?? hostTripleOf(process.platform, process.arch), matches: platformMatcher() };
}
