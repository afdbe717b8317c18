/**
 * `[target.<triple>.<links>]` in `.cargo/config.toml`: Cargo does not run the build script of a package
 * with that `links` name when building for that triple, and uses the table's values as its output
 * (Cargo's `parse_links_overrides`). Only plain triples: `[target.'cfg(..)']` tables have no overrides.
 * A table becomes the `cargo:` instructions the build script would have printed, in Cargo's order (keys
 * sorted), so the Nix builder parses them like a script's output (nix/run-build-script.sh).
 */
import type { Table, TomlReader } from "./toml.ts";
import { isTable } from "./toml.ts";

/** Triple → links name → the instructions, one per line. */
export type LinksOverrides = Record<string, Record<string, string[]>>;

/** Keys of `[target.<triple>]` that are not links names (`ar` is historical). */
const TARGET_KEYS = new Set(["ar", "linker", "runner", "rustflags", "rustdocflags"]);

/** List-valued keys: each value becomes one instruction of the same name (Cargo's aliases joined). */
const LISTS: Record<string, string> = {
  "rustc-link-lib": "rustc-link-lib",
  "rustc-link-search": "rustc-link-search",
  "rustc-link-arg": "rustc-link-arg",
  "rustc-link-arg-cdylib": "rustc-cdylib-link-arg",
  "rustc-cdylib-link-arg": "rustc-cdylib-link-arg",
  "rustc-link-arg-bins": "rustc-link-arg-bins",
  "rustc-link-arg-tests": "rustc-link-arg-tests",
  "rustc-link-arg-benches": "rustc-link-arg-benches",
  "rustc-link-arg-examples": "rustc-link-arg-examples",
  "rustc-cfg": "rustc-cfg",
  "rustc-check-cfg": "rustc-check-cfg",
};

/** The overrides of one config file's `[target]` table, added to `into` where a nearer file set none. */
export function readLinksOverrides(r: TomlReader, target: Table, into: LinksOverrides): void {
  for (const triple of Object.keys(target)) {
    if (triple.startsWith("cfg(")) continue;
    const t = r.table(target[triple], `target.${triple}`);
    for (const links of Object.keys(t)) {
      if (TARGET_KEYS.has(links) || !isTable(t[links])) continue;
      into[triple] ??= {};
      into[triple][links] ??= instructions(r, t[links], `target.${triple}.${links}`);
    }
  }
}

function instructions(r: TomlReader, table: Table, where: string): string[] {
  const out: string[] = [];
  const line = (s: string, key: string) => {
    if (/[\r\n]/.test(s)) throw r.error(`\`${where}.${key}\` must not contain a line break`, key);
    out.push(s);
  };
  for (const key of Object.keys(table).sort()) {
    const v = table[key];
    const name = `${where}.${key}`;
    if (key in LISTS) {
      for (const s of r.strList(v, name) ?? []) line(`cargo:${LISTS[key]}=${s}`, key);
    } else if (key === "rustc-flags") {
      line(`cargo:rustc-flags=${r.str(v, name)}`, key);
    } else if (key === "rustc-env") {
      const env = r.table(v, name);
      for (const k of Object.keys(env)) line(`cargo:rustc-env=${k}=${r.str(env[k], `${name}.${k}`)}`, k);
    } else if (key === "warning" || key === "rerun-if-changed" || key === "rerun-if-env-changed") {
      throw r.error(`\`${name}\` is not supported in build script overrides: remove it`, key);
    } else {
      line(`cargo::metadata=${key}=${r.str(v, name)}`, key);
    }
  }
  return out;
}
