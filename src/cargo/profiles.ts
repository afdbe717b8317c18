/**
 * `[profile.*]` of the root manifest, with Cargo's built-in defaults for `dev`, `release`, `test` and
 * `bench`, and `inherits` for custom profiles. Only the keys crateflake passes to rustc. The override
 * tables (`package.<spec>`, `build-override`) are kept apart: which one applies depends on the unit
 * (resolve/profile.ts). A profile inheriting another merges them key by key, as Cargo does.
 */

import type { RawManifest } from "./manifest.ts";
import type { Package, Profile, ProfileSettings } from "./model.ts";
import { packageSpecMatches } from "./package-spec.ts";
import type { Table, TomlReader } from "./toml.ts";

type Defaults = Omit<Profile, "name" | "buildOverride" | "packageOverrides">;

const DEV: Defaults = {
  optLevel: "0",
  debug: "2",
  debugAssertions: true,
  overflowChecks: true,
  lto: "false",
  panic: "unwind",
  codegenUnits: null,
  incremental: true,
  strip: null,
};

const RELEASE: Defaults = {
  optLevel: "3",
  debug: "0",
  debugAssertions: false,
  overflowChecks: false,
  lto: "false",
  panic: "unwind",
  codegenUnits: null,
  incremental: false,
  strip: null,
};

/** Cargo's built-in profile `name` (`release` and `bench` optimise, the others are `dev`), nothing overridden. */
export function builtinProfile(name: string): Profile {
  const base = name === "release" || name === "bench" ? RELEASE : DEV;
  return { ...base, name, buildOverride: {}, packageOverrides: {} };
}

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
    let base: Profile;
    if (name === "dev" || name === "release") base = builtinProfile(name);
    else if (parentName) {
      if (!names.includes(parentName))
        throw r.error(
          `profile \`${name}\` inherits from \`${parentName}\`, which does not exist`,
          "inherits",
        );
      base = get(parentName);
    } else throw r.error(`profile \`${name}\` needs \`inherits\``, name);
    const p: Profile = { ...base, ...readSettings(r, t, `profile.${name}`), name };
    if (t.lto !== undefined) p.lto = t.lto === true ? "fat" : String(t.lto);
    if (t.panic !== undefined) p.panic = String(t.panic);
    const buildOverride = r.optTable(t["build-override"], `profile.${name}.build-override`);
    if (buildOverride) {
      const key = `profile.${name}.build-override`;
      p.buildOverride = { ...base.buildOverride, ...readOverride(r, buildOverride, key, "build-override") };
    }
    const packages = r.table(t.package, `profile.${name}.package`);
    if (Object.keys(packages).length > 0) {
      p.packageOverrides = { ...base.packageOverrides };
      for (const [spec, v] of Object.entries(packages)) {
        const key = `profile.${name}.package.${spec}`;
        const own = readOverride(r, r.table(v, key), key, "package");
        p.packageOverrides[spec] = { ...base.packageOverrides[spec], ...own };
      }
    }
    resolving.delete(name);
    out[name] = p;
    return p;
  };
  const sorted: Record<string, Profile> = {};
  for (const n of names) sorted[n] = get(n);
  return sorted;
}

/** The keys a profile and its override tables share. */
function readSettings(r: TomlReader, t: Table, key: string): ProfileSettings {
  const out: ProfileSettings = {};
  if (t["opt-level"] !== undefined) out.optLevel = String(t["opt-level"]);
  if (t.debug !== undefined) out.debug = debugLevel(t.debug);
  if (t["debug-assertions"] !== undefined) out.debugAssertions = Boolean(t["debug-assertions"]);
  if (t["overflow-checks"] !== undefined) out.overflowChecks = Boolean(t["overflow-checks"]);
  if (t["codegen-units"] !== undefined) {
    if (typeof t["codegen-units"] !== "number")
      throw r.error(`\`${key}.codegen-units\` must be a number`, "codegen-units");
    out.codegenUnits = t["codegen-units"];
  }
  if (t.incremental !== undefined) out.incremental = Boolean(t.incremental);
  if (t.strip !== undefined)
    out.strip = t.strip === true ? "symbols" : t.strip === false ? "none" : String(t.strip);
  return out;
}

/** An override table: Cargo refuses the keys that only make sense for a whole build. */
function readOverride(r: TomlReader, t: Table, key: string, what: string): ProfileSettings {
  for (const k of ["panic", "lto", "rpath", "inherits"]) {
    if (t[k] !== undefined)
      throw r.error(`\`${k}\` may not be specified in a \`${what}\` profile (${key})`, k);
  }
  if (what === "package" && t["build-override"] !== undefined)
    throw r.error(`\`build-override\` may not be nested in a \`package\` profile (${key})`, "build-override");
  if (what === "build-override" && t.package !== undefined)
    throw r.error(`\`package\` may not be nested in a \`build-override\` profile (${key})`, key);
  return readSettings(r, t, key);
}

function debugLevel(v: unknown): string {
  if (v === true) return "2";
  if (v === false) return "0";
  if (v === "full") return "2";
  if (v === "limited") return "1";
  if (v === "none") return "0";
  return String(v);
}

/** Cargo refuses a package that two `package.<spec>` tables of one profile both name. */
export function checkPackageOverrides(
  root: RawManifest,
  profiles: Record<string, Profile>,
  packages: Package[],
) {
  // The root profiles first: a profile inheriting theirs (`bench`, `test`) repeats their tables.
  const names = Object.keys(profiles).sort((a, b) => rootFirst(a) - rootFirst(b) || (a < b ? -1 : 1));
  for (const name of names) {
    const profile = profiles[name] as Profile;
    const specs = Object.keys(profile.packageOverrides).filter((s) => s !== "*");
    if (specs.length < 2) continue;
    for (const pkg of packages) {
      const found = specs.filter((s) => packageSpecMatches(s, pkg));
      if (found.length > 1)
        throw root.reader.error(
          `multiple package overrides in profile \`${name}\` match package \`${pkg.name} v${pkg.version}\` (${found.join(", ")}): keep one`,
          found[1],
        );
    }
  }
}

const rootFirst = (name: string) => (name === "dev" || name === "release" ? 0 : 1);
