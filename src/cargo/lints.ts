/**
 * Cargo's `[lints]` (and `[workspace.lints]`, inherited with `lints.workspace = true`) as the rustc flags
 * Cargo passes for every compile of the package (build script included; clippy-driver and rustdoc get
 * them too): `--warn=NAME`, `--allow=clippy::NAME`, ... Ordered as Cargo orders them (`lints_to_rustflags`):
 * by `priority`, then by lint name descending (so a group such as `all` comes after the single lints of
 * the same priority), then by the flag. The `cargo` tool's lints are Cargo's own, not rustc's.
 * A registry package's lints are passed too; its `--cap-lints allow` silences them, as under Cargo.
 */
import type { RawManifest, WorkspaceInherit } from "./manifest.ts";
import { isTable, type Table } from "./toml.ts";

const LEVELS: Record<string, string> = {
  forbid: "--forbid",
  deny: "--deny",
  warn: "--warn",
  allow: "--allow",
};

export function readLints(m: RawManifest, workspace: WorkspaceInherit | undefined): string[] {
  const r = m.reader;
  const lints = r.optTable(m.toml.lints, "lints");
  if (!lints) return [];
  if (lints.workspace === undefined) return lintFlags(m, lints, "lints");
  if (lints.workspace !== true) throw r.error("`lints.workspace` must be true", "lints");
  if (Object.keys(lints).length > 1)
    throw r.error(
      "`lints.workspace = true` inherits every lint: move the others to `[workspace.lints]`",
      "lints",
    );
  const root = workspace?.manifest;
  const ws = root ? root.reader.optTable(root.toml.workspace, "workspace") : undefined;
  const table = ws && root ? root.reader.optTable(ws.lints, "workspace.lints") : undefined;
  if (!root || !table)
    throw r.error(
      `\`lints.workspace = true\` inherits \`[workspace.lints]\`, but ${root ? `${root.path} has none` : "this package is not in a workspace"}`,
      "lints",
    );
  return lintFlags(root, table, "workspace.lints");
}

function lintFlags(m: RawManifest, lints: Table, where: string): string[] {
  const r = m.reader;
  const flags: { priority: number; name: string; flag: string }[] = [];
  for (const [tool, table] of Object.entries(lints)) {
    if (tool === "cargo") continue;
    for (const [name, config] of Object.entries(r.table(table, `${where}.${tool}`))) {
      const key = `${where}.${tool}.${name}`;
      const level = isTable(config) ? config.level : config;
      const priority = isTable(config) ? (config.priority ?? 0) : 0;
      if (typeof level !== "string" || !(level in LEVELS))
        throw r.error(
          `\`${key}\` must be one of forbid, deny, warn or allow (or a table with \`level\`)`,
          name,
        );
      if (typeof priority !== "bigint" && (typeof priority !== "number" || !Number.isInteger(priority)))
        throw r.error(`\`${key}.priority\` must be an integer`, name);
      flags.push({
        priority: Number(priority),
        name,
        flag: `${LEVELS[level]}=${tool === "rust" ? name : `${tool}::${name}`}`,
      });
    }
  }
  flags.sort((a, b) => a.priority - b.priority || cmp(b.name, a.name) || cmp(a.flag, b.flag));
  return flags.map((f) => f.flag);
}

/** Rust's `Ord` on strings: by bytes (UTF-16 code units agree for the names lints have). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
