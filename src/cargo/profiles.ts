/**
 * `[profile.*]` of the root manifest, with Cargo's built-in defaults for `dev`, `release`, `test` and
 * `bench`, and `inherits` for custom profiles. Only the keys crateflake passes to rustc.
 */

import type { RawManifest } from "./manifest.ts";
import type { Profile } from "./model.ts";
import type { Table } from "./toml.ts";

const DEV: Omit<Profile, "name"> = {
  optLevel: "0",
  debug: "2",
  debugAssertions: true,
  overflowChecks: true,
  lto: "false",
  panic: "unwind",
  codegenUnits: null,
  incremental: true,
  strip: "none",
};

const RELEASE: Omit<Profile, "name"> = {
  optLevel: "3",
  debug: "0",
  debugAssertions: false,
  overflowChecks: false,
  lto: "false",
  panic: "unwind",
  codegenUnits: null,
  incremental: false,
  strip: "none",
};

const BUILTIN_PARENT: Record<string, string> = { test: "dev", bench: "release" };

export function readProfiles(root: RawManifest): Record<string, Profile> {
  const r = root.reader;
  const tables = r.table(root.toml.profile, "profile");
  const names = [...new Set(["dev", "release", "test", "bench", ...Object.keys(tables)])].sort();
  const out: Record<string, Profile> = {};
  const resolving = new Set<string>();
  const get = (name: string): Profile => {
    const hit = out[name];
    if (hit) return hit;
    if (resolving.has(name)) throw r.error(`profile \`${name}\` inherits from itself`, "inherits");
    resolving.add(name);
    const t: Table = r.table(tables[name], `profile.${name}`);
    const parentName = r.str(t.inherits, `profile.${name}.inherits`) ?? BUILTIN_PARENT[name];
    let base: Omit<Profile, "name">;
    if (name === "dev") base = DEV;
    else if (name === "release") base = RELEASE;
    else if (parentName) {
      if (!names.includes(parentName))
        throw r.error(
          `profile \`${name}\` inherits from \`${parentName}\`, which does not exist`,
          "inherits",
        );
      base = get(parentName);
    } else throw r.error(`profile \`${name}\` needs \`inherits\``, name);
    const p: Profile = { ...base, name };
    if (t["opt-level"] !== undefined) p.optLevel = String(t["opt-level"]);
    if (t.debug !== undefined) p.debug = debugLevel(t.debug);
    if (t["debug-assertions"] !== undefined) p.debugAssertions = Boolean(t["debug-assertions"]);
    if (t["overflow-checks"] !== undefined) p.overflowChecks = Boolean(t["overflow-checks"]);
    if (t.lto !== undefined) p.lto = t.lto === true ? "fat" : String(t.lto);
    if (t.panic !== undefined) p.panic = String(t.panic);
    if (t["codegen-units"] !== undefined) p.codegenUnits = Number(t["codegen-units"]);
    if (t.incremental !== undefined) p.incremental = Boolean(t.incremental);
    if (t.strip !== undefined)
      p.strip = t.strip === true ? "symbols" : t.strip === false ? "none" : String(t.strip);
    resolving.delete(name);
    out[name] = p;
    return p;
  };
  const sorted: Record<string, Profile> = {};
  for (const n of names) sorted[n] = get(n);
  return sorted;
}

function debugLevel(v: unknown): string {
  if (v === true) return "2";
  if (v === false) return "0";
  if (v === "full") return "2";
  if (v === "limited") return "1";
  if (v === "none") return "0";
  return String(v);
}
