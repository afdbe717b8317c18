/**
 * Cargo.toml → `Package`: `[package]`, the target tables, every dependency table (also under
 * `[target.X]`), `[features]`, with `workspace = true` inheritance applied from the workspace root's
 * `[workspace.package]` and `[workspace.dependencies]`; `[lints]` (lints.ts).
 */
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseTargetSpec } from "../platform/platform.ts";
import { packageId } from "./ids.ts";
import { readLints } from "./lints.ts";
import type { Dependency, DepKind, DepSource, Package, SourceId } from "./model.ts";
import { featureNameProblem, packageNameProblem } from "./names.ts";
import { discoverTargets, type TomlTarget } from "./targets.ts";
import { isTable, lineOf, parseToml, type Table, TomlReader } from "./toml.ts";

/** A manifest file, parsed but not yet interpreted. */
export interface RawManifest {
  path: string;
  text: string;
  toml: Table;
  reader: TomlReader;
}

export function parseManifest(text: string, path: string): RawManifest {
  return { path, text, toml: parseToml(text, path), reader: new TomlReader(path, text) };
}

/** What a member can inherit from its workspace root. */
export interface WorkspaceInherit {
  /** Directory of the workspace root manifest. */
  root: string;
  manifest: RawManifest;
}

export interface ManifestContext {
  /** Source of the package: `path+file:///DIR` for local packages, the lockfile's source otherwise. */
  source: SourceId;
  /** Files of the package relative to its directory (`/`-separated), for target discovery. */
  files: string[];
  workspace?: WorkspaceInherit;
}

const DEP_TABLES: [string[], DepKind][] = [
  [["dependencies"], "normal"],
  [["dev-dependencies", "dev_dependencies"], "dev"],
  [["build-dependencies", "build_dependencies"], "build"],
];

export function toPackage(m: RawManifest, ctx: ManifestContext): Package {
  const r = m.reader;
  const pkg = r.optTable(m.toml.package ?? m.toml.project, "package");
  if (!pkg) throw r.error("no [package] table: this manifest is not a package (a virtual workspace?)");
  const root = dirname(m.path);
  const inherit = (key: string): unknown => inheritPackageField(m, ctx, pkg, key);
  const name = r.str(pkg.name, "package.name");
  if (name === undefined) throw r.error("`package.name` is missing", "package");
  const nameProblem = packageNameProblem(name);
  if (nameProblem) throw r.error(nameProblem, "name");
  checkCargoFeatures(m, name);
  const version = r.str(inherit("version"), "package.version") ?? "0.0.0";
  const edition = r.str(inherit("edition"), "package.edition") ?? "2015";
  const build = pkg.build;
  if (build !== undefined && typeof build !== "string" && typeof build !== "boolean")
    throw r.error("`package.build` must be a path or a boolean", "build");
  const metadata = r.optTable(pkg.metadata, "package.metadata");
  const crateflake = metadata?.crateflake;

  const targets = discoverTargets({
    packageName: name,
    edition,
    root,
    files: ctx.files,
    lib: m.toml.lib === undefined ? undefined : readTarget(m, m.toml.lib, "lib"),
    bins: readTargetList(m, "bin"),
    examples: readTargetList(m, "example"),
    tests: readTargetList(m, "test"),
    benches: readTargetList(m, "bench"),
    build: build === true ? "build.rs" : build,
    autolib: r.bool(pkg.autolib, "package.autolib"),
    autobins: r.bool(pkg.autobins, "package.autobins"),
    autoexamples: r.bool(pkg.autoexamples, "package.autoexamples"),
    autotests: r.bool(pkg.autotests, "package.autotests"),
    autobenches: r.bool(pkg.autobenches, "package.autobenches"),
  });
  if (ctx.files.length > 0 && !targets.some((t) => t.kind.some((k) => k !== "custom-build")))
    throw r.error(
      "no targets: add src/lib.rs, src/main.rs, a [lib] section or a [[bin]] section (Cargo refuses this manifest too)",
    );
  return {
    id: packageId(ctx.source, name, version),
    name,
    version,
    source: ctx.source,
    manifestPath: m.path,
    edition,
    links: r.str(pkg.links, "package.links") ?? null,
    features: readFeatures(m),
    dependencies: readDependencies(m, ctx),
    targets,
    authors: r.strList(inherit("authors"), "package.authors") ?? [],
    description: r.str(inherit("description"), "package.description") ?? null,
    homepage: r.str(inherit("homepage"), "package.homepage") ?? null,
    repository: r.str(inherit("repository"), "package.repository") ?? null,
    license: r.str(inherit("license"), "package.license") ?? null,
    licenseFile: inheritedPath(m, ctx, pkg, "license-file"),
    readme: readme(m, ctx, pkg),
    rustVersion: r.str(inherit("rust-version"), "package.rust-version") ?? null,
    crateflake: isTable(crateflake) ? crateflake : null,
    lints: readLints(m, ctx.workspace),
    rustFiles: ctx.files.filter((f) => f.endsWith(".rs")).length,
  };
}

/** `cargo-features` that stable Cargo accepts (stabilised; it only warns that they are no longer needed). */
const STABILISED_CARGO_FEATURES = new Set([
  "test-dummy-stable",
  "alternative-registries",
  "edition",
  "rename-dependency",
  "profile-overrides",
  "default-run",
  "named-profiles",
  "resolver",
  "strip",
  "rust-version",
  "edition2021",
  "workspace-inheritance",
  "edition2024",
]);

/** crateflake builds what stable Cargo builds: an unstable (nightly-only) Cargo feature is refused. */
function checkCargoFeatures(m: RawManifest, name: string): void {
  const features = m.reader.strList(m.toml["cargo-features"], "cargo-features") ?? [];
  const unstable = features.filter((f) => !STABILISED_CARGO_FEATURES.has(f));
  if (unstable.length > 0)
    throw m.reader.error(
      `\`${name}\` uses the unstable Cargo feature ${unstable.map((f) => `\`${f}\``).join(", ")} (cargo-features, nightly Cargo only), which crateflake does not support: remove it from cargo-features and from the manifest`,
      "cargo-features",
    );
}

/** A `[package]` value, or the `[workspace.package]` one when written as `{ workspace = true }`. */
function inheritPackageField(m: RawManifest, ctx: ManifestContext, pkg: Table, key: string): unknown {
  const v = pkg[key];
  if (!isTable(v) || v.workspace === undefined) return v;
  if (v.workspace !== true) throw m.reader.error(`\`package.${key}.workspace\` must be true`, key);
  const ws = ctx.workspace;
  const wsPkg = ws
    ? ws.manifest.reader.optTable(workspaceTable(ws.manifest)?.package, "workspace.package")
    : undefined;
  if (!ws || !wsPkg || wsPkg[key] === undefined)
    throw m.reader.error(
      `\`package.${key}\` is inherited from the workspace, but the workspace root${ws ? ` (${ws.manifest.path})` : ""} has no \`workspace.package.${key}\``,
      key,
    );
  return wsPkg[key];
}

/** Path-valued package keys: inherited ones are relative to the workspace root; made relative to this package. */
function inheritedPath(m: RawManifest, ctx: ManifestContext, pkg: Table, key: string): string | null {
  const v = pkg[key];
  if (isTable(v) && v.workspace === true && ctx.workspace) {
    const p = m.reader.str(inheritPackageField(m, ctx, pkg, key), `package.${key}`);
    return p === undefined ? null : relative(dirname(m.path), resolve(ctx.workspace.root, p));
  }
  return m.reader.str(inheritPackageField(m, ctx, pkg, key), `package.${key}`) ?? null;
}

function readme(m: RawManifest, ctx: ManifestContext, pkg: Table): string | null {
  const v = pkg.readme;
  if (v === false) return null;
  if (typeof v === "string" || isTable(v)) return inheritedPath(m, ctx, pkg, "readme");
  // Cargo picks README.md, README.txt or README when the key is absent.
  for (const f of ["README.md", "README.txt", "README"]) if (ctx.files.includes(f)) return f;
  return null;
}

export function workspaceTable(m: RawManifest): Table | undefined {
  return m.reader.optTable(m.toml.workspace, "workspace");
}

function readFeatures(m: RawManifest): Record<string, string[]> {
  const t = m.reader.table(m.toml.features, "features");
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(t).sort()) {
    const problem = featureNameProblem(k);
    if (problem) throw m.reader.error(problem, k);
    out[k] = m.reader.strList(t[k], `features.${k}`) ?? [];
  }
  return out;
}

function readTargetList(m: RawManifest, key: string): TomlTarget[] | undefined {
  const v = m.toml[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw m.reader.error(`\`${key}\` must be an array of tables ([[${key}]])`, key);
  return v.map((t, i) => {
    const target = readTarget(m, t, `${key}[${i}]`);
    if (!target.name) throw m.reader.error(`a [[${key}]] target has no \`name\``, key);
    return target;
  });
}

function readTarget(m: RawManifest, v: unknown, key: string): TomlTarget {
  const r = m.reader;
  const t = r.table(v, key);
  return {
    name: r.str(t.name, `${key}.name`),
    path: r.str(t.path, `${key}.path`),
    crateTypes: r.strList(r.either(t, "crate-type"), `${key}.crate-type`),
    procMacro: r.bool(r.either(t, "proc-macro"), `${key}.proc-macro`),
    edition: r.str(t.edition, `${key}.edition`),
    requiredFeatures: r.strList(t["required-features"], `${key}.required-features`),
    test: r.bool(t.test, `${key}.test`),
    doctest: r.bool(t.doctest, `${key}.doctest`),
    bench: r.bool(t.bench, `${key}.bench`),
    harness: r.bool(t.harness, `${key}.harness`),
    doc: r.bool(t.doc, `${key}.doc`),
  };
}

function readDependencies(m: RawManifest, ctx: ManifestContext): Dependency[] {
  const out: Dependency[] = [];
  const readTables = (owner: Table, platform: string | null, prefix: string) => {
    for (const [spellings, kind] of DEP_TABLES) {
      for (const key of spellings) {
        if (owner[key] === undefined) continue;
        const t = m.reader.table(owner[key], `${prefix}${key}`);
        for (const name of Object.keys(t).sort())
          out.push(readDependency(m, ctx, name, t[name], kind, platform));
      }
    }
  };
  readTables(m.toml, null, "");
  const targets = m.reader.table(m.toml.target, "target");
  for (const platform of Object.keys(targets).sort()) {
    // Cargo parses `[target.X]` keys with the manifest: a bad one is an error of this file.
    parseTargetSpec(platform, m.path, lineOf(m.text, platform));
    readTables(m.reader.table(targets[platform], `target.${platform}`), platform, `target.${platform}.`);
  }
  return out;
}

/** One dependency entry (also used for `[patch.X]` and `[replace]` entries). */
export function readDependency(
  m: RawManifest,
  ctx: ManifestContext,
  name: string,
  v: unknown,
  kind: DepKind,
  platform: string | null,
): Dependency {
  const r = m.reader;
  const here = dirname(m.path);
  if (typeof v === "string") return dependency(name, { version: v }, here, kind, platform, m, ctx);
  const t = r.table(v, name);
  if (t.workspace === undefined) return dependency(name, t, here, kind, platform, m, ctx);
  if (t.workspace !== true) throw r.error(`\`${name}.workspace\` must be true`, name);
  const ws = ctx.workspace;
  const wsDeps = ws
    ? ws.manifest.reader.table(workspaceTable(ws.manifest)?.dependencies, "workspace.dependencies")
    : undefined;
  const base = wsDeps?.[name];
  if (!ws || base === undefined)
    throw r.error(
      `dependency \`${name}\` is inherited from the workspace, but ${ws ? `${ws.manifest.path} has no \`workspace.dependencies.${name}\`` : "this package is not in a workspace"}`,
      name,
    );
  const wsTable: Table = typeof base === "string" ? { version: base } : ws.manifest.reader.table(base, name);
  const memberFeatures = r.strList(t.features, `${name}.features`) ?? [];
  const wsFeatures = ws.manifest.reader.strList(wsTable.features, `${name}.features`) ?? [];
  const wsDefault = ws.manifest.reader.bool(
    r.either(wsTable, "default-features"),
    `${name}.default-features`,
  );
  const memberDefault = r.bool(r.either(t, "default-features"), `${name}.default-features`);
  const merged: Table = {
    ...wsTable,
    features: [...wsFeatures, ...memberFeatures.filter((f) => !wsFeatures.includes(f))],
    optional: r.bool(t.optional, `${name}.optional`) ?? false,
    "default-features": (wsDefault ?? true) || memberDefault === true,
  };
  delete merged.default_features;
  return dependency(name, merged, ws.root, kind, platform, m, ctx);
}

function dependency(
  name: string,
  t: Table,
  /** Directory that a `path` key is relative to. */
  base: string,
  kind: DepKind,
  platform: string | null,
  m: RawManifest,
  ctx: ManifestContext,
): Dependency {
  const r = m.reader;
  const key = name;
  const version = r.str(t.version, `${key}.version`);
  const path = r.str(t.path, `${key}.path`);
  const git = r.str(t.git, `${key}.git`);
  const registry = r.str(t.registry, `${key}.registry`);
  if (t.artifact !== undefined)
    throw r.error(
      `dependency \`${name}\`: \`artifact = …\` needs Cargo's unstable \`-Z bindeps\`, which crateflake does not support: remove \`artifact\` (and \`target\`, \`lib\`) and build that binary as an output of its own`,
      key,
    );
  let source: DepSource;
  if (git !== undefined) {
    source = { kind: "git", url: git };
    for (const k of ["branch", "tag", "rev"] as const) {
      const v = r.str(t[k], `${key}.${k}`);
      if (v !== undefined) source[k] = v;
    }
  } else if (path !== undefined && !ctx.source.startsWith("registry+") && !ctx.source.startsWith("sparse+")) {
    source = { kind: "path", path: isAbsolute(path) ? path : join(base, path) };
  } else {
    const index = r.str(t["registry-index"], `${key}.registry-index`);
    source = { kind: "registry", registry: registry ?? null, ...(index ? { index } : {}) };
  }
  return {
    name,
    package: r.str(t.package, `${key}.package`) ?? name,
    req: version ?? "*",
    kind,
    optional: r.bool(t.optional, `${key}.optional`) ?? false,
    defaultFeatures: r.bool(r.either(t, "default-features"), `${key}.default-features`) ?? true,
    features: r.strList(t.features, `${key}.features`) ?? [],
    platform,
    source,
    public: r.bool(t.public, `${key}.public`) ?? false,
    renamed: t.package !== undefined,
  };
}

/** The `package` key is present (the dependency is renamed, even when the names happen to be equal). */
export function isRenamed(d: Dependency): boolean {
  return d.renamed === true || d.package !== d.name;
}
