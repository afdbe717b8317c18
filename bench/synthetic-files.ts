/**
 * The text of a synthetic project (pure): each crate's Cargo.toml, lib.rs and build.rs, its line in the
 * registry index (crates.io's format, as ../shared/rust/make-local-registry.py writes it), and the
 * workspace that depends on the top layer. The Rust code really uses every dependency, so the crates
 * also build: optional ones under their feature, target-specific ones under their cfg, build-dependencies
 * in build.rs (whose `cargo:rustc-env` the library reads), dev-dependencies in a unit test.
 */
import { externName, type SynCrate, type SynDep, type SynPlan } from "./synthetic-plan.ts";

function depValue(d: SynDep): string {
  const fields = [`version = ${JSON.stringify(d.req)}`];
  if (d.rename) fields.unshift(`package = ${JSON.stringify(d.package)}`);
  if (d.optional) fields.push("optional = true");
  if (!d.defaultFeatures) fields.push("default-features = false");
  if (d.features.length > 0) fields.push(`features = ${JSON.stringify(d.features)}`);
  return `{ ${fields.join(", ")} }`;
}

function tableName(kind: SynDep["kind"]): string {
  return kind === "normal" ? "dependencies" : `${kind}-dependencies`;
}

function depTables(deps: SynDep[]): string[] {
  const tables = new Map<string, string[]>();
  for (const d of deps) {
    const table = d.target ? `target.'${d.target}'.${tableName(d.kind)}` : tableName(d.kind);
    if (!tables.has(table)) tables.set(table, []);
    tables.get(table)!.push(`${d.rename ?? d.package} = ${depValue(d)}`);
  }
  const out: string[] = [];
  for (const [table, lines] of [...tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push("", `[${table}]`, ...lines);
  }
  return out;
}

export function manifestToml(c: SynCrate): string {
  const lines = [
    "[package]",
    `name = ${JSON.stringify(c.name)}`,
    `version = ${JSON.stringify(c.version)}`,
    `edition = ${JSON.stringify(c.edition)}`,
    `description = "Synthetic benchmark crate, layer ${c.layer}"`,
    'license = "MIT"',
    ...depTables(c.deps),
    "",
    "[features]",
    ...Object.entries(c.features).map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`),
  ];
  return `${lines.join("\n")}\n`;
}

function cfgOf(target: string): string {
  return target.replace(/^cfg\((.*)\)$/, "$1");
}

export function libRs(c: SynCrate): string {
  const seed = Number.parseInt(c.name.slice(4), 10);
  const lines = [`//! ${c.name} ${c.version}: a synthetic crate (layer ${c.layer}).`, ""];
  if (c.buildScript) lines.push('pub const BUILD_VALUE: &str = env!("SYN_BUILD_VALUE");', "");
  lines.push("pub fn value() -> u64 {", `    let mut v: u64 = ${seed};`);
  for (const d of c.deps) {
    if (d.kind !== "normal") continue;
    const use = `v = v.wrapping_mul(31).wrapping_add(${externName(d)}::value());`;
    const cfgs: string[] = [];
    if (d.optional) cfgs.push(`feature = ${JSON.stringify(d.viaFeature ?? d.rename ?? d.package)}`);
    if (d.target) cfgs.push(cfgOf(d.target));
    if (cfgs.length === 0) lines.push(`    ${use}`);
    else {
      const cond = cfgs.length === 1 ? cfgs[0] : `all(${cfgs.join(", ")})`;
      lines.push(`    #[cfg(${cond})]`, `    {`, `        ${use}`, "    }");
    }
  }
  if (c.buildScript) lines.push("    v = v.wrapping_add(BUILD_VALUE.len() as u64);");
  lines.push("    v", "}");
  const dev = c.deps.filter((d) => d.kind === "dev");
  if (dev.length > 0) {
    lines.push("", "#[cfg(test)]", "mod tests {", "    #[test]", "    fn values() {");
    for (const d of dev) lines.push(`        assert!(${externName(d)}::value() > 0 || super::value() > 0);`);
    lines.push("    }", "}");
  }
  return `${lines.join("\n")}\n`;
}

export function buildRs(c: SynCrate): string {
  const sum = c.deps
    .filter((d) => d.kind === "build")
    .map((d) => `.wrapping_add(${externName(d)}::value())`)
    .join("");
  return [
    "fn main() {",
    `    let v: u64 = 1u64${sum};`,
    '    println!("cargo:rustc-env=SYN_BUILD_VALUE={}", v);',
    '    println!("cargo:rerun-if-changed=build.rs");',
    "}",
    "",
  ].join("\n");
}

/** The crate's files, relative to its package root, sorted. */
export function crateFiles(c: SynCrate): [string, string][] {
  const files: [string, string][] = [
    ["Cargo.toml", manifestToml(c)],
    ["src/lib.rs", libRs(c)],
  ];
  if (c.buildScript) files.unshift(["build.rs", buildRs(c)]);
  return files;
}

/** One line of the registry index for `c`, whose `.crate` has sha256 `cksum`. */
export function indexLine(c: SynCrate, cksum: string): string {
  const deps = c.deps.map((d) => {
    const e: Record<string, unknown> = {
      name: d.rename ?? d.package,
      req: d.req,
      features: d.features,
      optional: d.optional,
      default_features: d.defaultFeatures,
      target: d.target,
      kind: d.kind,
    };
    if (d.rename) e.package = d.package;
    return e;
  });
  // crates.io keeps features using `dep:` or `?/` syntax apart, in `features2` (index format v2).
  const features: Record<string, string[]> = {};
  const features2: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(c.features)) {
    (v.some((x) => x.startsWith("dep:") || x.includes("?/")) ? features2 : features)[k] = v;
  }
  const entry: Record<string, unknown> = {
    name: c.name,
    vers: c.version,
    deps,
    cksum,
    features,
    yanked: false,
    links: null,
  };
  if (Object.keys(features2).length > 0) {
    entry.features2 = features2;
    entry.v = 2;
  }
  return JSON.stringify(entry);
}

/** crates.io's index path of a package name. */
export function indexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/**
 * The workspace: `app` (a binary using every top-layer crate) and `core` (package `synthetic-core`, a
 * library using a few, which app renames to `base`).
 */
export function workspaceFiles(plan: SynPlan, registryDir: string): [string, string][] {
  const few = plan.rootDeps.slice(0, 3);
  const dep = (d: SynDep) => `${d.package} = ${depValue(d)}`;
  const body = (deps: SynDep[]) =>
    deps.map((d) => `    v = v.wrapping_mul(31).wrapping_add(${externName(d)}::value());`);
  return [
    [
      ".cargo/config.toml",
      [
        "[source.crates-io]",
        'replace-with = "synthetic"',
        "",
        "[source.synthetic]",
        `local-registry = ${JSON.stringify(registryDir)}`,
        "",
        "[net]",
        "offline = true",
        "",
      ].join("\n"),
    ],
    ["Cargo.toml", '[workspace]\nresolver = "2"\nmembers = ["app", "core"]\n'],
    [
      "app/Cargo.toml",
      [
        "[package]",
        'name = "app"',
        'version = "0.1.0"',
        'edition = "2021"',
        "",
        "[dependencies]",
        'base = { path = "../core", package = "synthetic-core" }',
        ...plan.rootDeps.map(dep),
        "",
      ].join("\n"),
    ],
    [
      "app/src/main.rs",
      [
        "fn main() {",
        "    let mut v: u64 = base::value();",
        ...body(plan.rootDeps),
        '    println!("{}", v);',
        "}",
        "",
      ].join("\n"),
    ],
    [
      "core/Cargo.toml",
      [
        "[package]",
        'name = "synthetic-core"',
        'version = "0.1.0"',
        'edition = "2021"',
        "",
        "[dependencies]",
        ...few.map(dep),
        "",
      ].join("\n"),
    ],
    [
      "core/src/lib.rs",
      ["pub fn value() -> u64 {", "    let mut v: u64 = 7;", ...body(few), "    v", "}", ""].join("\n"),
    ],
  ];
}
