/**
 * `loadProject`: the whole project model from a manifest path. Reads the workspace, Cargo.lock and
 * `.cargo/config.toml`, then the manifest of every locked package — path packages from disk, every other
 * one through a fetcher (src/sources/) — and ties each manifest dependency to the locked package Cargo
 * chose. Separate roots (packages joined only by path dependencies, each with its own Cargo.lock) are
 * separate projects: `loadProjects`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { openSources } from "../sources/index.ts";
import type { FetchedPackage, NixSource } from "../sources/source.ts";
import { loadConfig } from "./config.ts";
import { pathSourceId } from "./ids.ts";
import { localFiles } from "./local-files.ts";
import { parseLockfile, resolveLockRef } from "./lockfile.ts";
import { parseManifest, toPackage, type WorkspaceInherit } from "./manifest.ts";
import { matchDependencies } from "./match.ts";
import type { CargoConfig, LockedPackage, Lockfile, Package, PackageId, Project } from "./model.ts";
import { checkPackageOverrides, readProfiles } from "./profiles.ts";
import { envRustflags } from "./rustflags.ts";
import { lineOf } from "./toml.ts";
import {
  inheritFor,
  loadWorkspace,
  ManifestCache,
  missingPathDep,
  pathDependencies,
  type Workspace,
} from "./workspace.ts";

export interface LoadOptions {
  /** Finds a non-path locked package; default: `openSources` from src/sources/. */
  fetch?: (pkg: LockedPackage) => Promise<FetchedPackage>;
  /** Environment for `CARGO_HOME` (config discovery); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  quiet?: boolean;
  /** Take rustflags only from config files inside this directory (see `ConfigOptions`). */
  rustflagsWithin?: string;
  /** Take `CARGO_ENCODED_RUSTFLAGS`/`RUSTFLAGS` from `env` too, as one Cargo run would (`plan`); a
   * flake's committed data must not depend on them, so `generate` does not. */
  rustflagsFromEnv?: boolean;
}

export async function loadProject(manifestPath: string, opts: LoadOptions = {}): Promise<Project> {
  return (await loadProjectDetailed(manifestPath, opts)).project;
}

/** A loaded project with the workspace and config it was read with (for `crateflake metadata`). */
export interface LoadedProject {
  project: Project;
  workspace: Workspace;
  config: CargoConfig;
}

export async function loadProjectDetailed(
  manifestPath: string,
  opts: LoadOptions = {},
): Promise<LoadedProject> {
  const start = manifestFile(manifestPath);
  const cache = new ManifestCache();
  const ws = loadWorkspace(start, cache);

  // Local packages: members, their path dependencies (transitively), and `[patch]` paths.
  const local = new Map<string, { inherit: WorkspaceInherit | undefined }>();
  const queue: string[] = [];
  const visit = (p: string, inherit: WorkspaceInherit | undefined) => {
    if (local.has(p)) return;
    local.set(p, { inherit });
    queue.push(p);
  };
  for (const m of ws.members) visit(m, ws.inherit);
  for (const patch of [...ws.patches, ...ws.replace]) {
    if (patch.dep.source.kind !== "path") continue;
    const p = join(patch.dep.source.path, "Cargo.toml");
    cache.read(p, () => missingPathDep(ws.rootManifest.path, cache, patch.dep.name, p));
    visit(p, inheritFor(p, cache));
  }
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const dep of pathDependencies(cache.read(from), local.get(from)!.inherit)) {
      const p = join(dep.path, "Cargo.toml");
      cache.read(p, () => missingPathDep(from, cache, dep.name, p));
      visit(p, ws.members.includes(p) ? ws.inherit : inheritFor(p, cache));
    }
  }

  const lockPath = join(ws.root, "Cargo.lock");
  if (!existsSync(lockPath))
    throw new UserError(
      `no Cargo.lock next to the workspace root: run \`cargo generate-lockfile\` in ${ws.root}`,
      ws.rootManifest.path,
    );
  const lockfile = parseLockfile(readFileSync(lockPath, "utf8"), lockPath);
  const config = loadConfig(dirname(start), { env: opts.env, rustflagsWithin: opts.rustflagsWithin });
  const fetch = opts.fetch ?? defaultFetch(config, ws.root, opts);

  const packages = new Map<PackageId, Package>();
  const sources = new Map<PackageId, NixSource>();
  const lockedOf = new Map<PackageId, LockedPackage>();
  const idOfLocked = new Map<LockedPackage, PackageId>();
  const idOfManifest = new Map<string, PackageId>();

  const pathLocked = lockfile.packages.filter((p) => p.source === null);
  for (const [path, { inherit }] of local) {
    const m = cache.read(path);
    if (m.toml.package === undefined && m.toml.project === undefined) continue;
    const dir = dirname(path);
    const pkg = toPackage(m, { source: pathSourceId(dir), files: localFiles(dir), workspace: inherit });
    const locked = pathLocked.find((l) => l.name === pkg.name && l.version === pkg.version);
    if (!locked) {
      // An unused `[patch]` is recorded in `[patch.unused]`, not in `[[package]]`.
      if (
        !ws.members.includes(path) &&
        [...ws.patches, ...ws.replace].some(
          (p) => p.dep.source.kind === "path" && join(p.dep.source.path, "Cargo.toml") === path,
        )
      )
        continue;
      throw new UserError(
        `\`${pkg.name} ${pkg.version}\` (${path}) is not in Cargo.lock: run \`cargo update\` or \`cargo generate-lockfile\``,
        lockPath,
      );
    }
    add(pkg, locked, { kind: "path", path: dir });
    idOfManifest.set(path, pkg.id);
  }

  // A `[replace]`d package is never fetched: every edge to it goes to its replacement (Cargo's
  // `Resolve::deps`), which the lock lists as a package of its own.
  const remote = lockfile.packages.filter((p) => p.source !== null && p.replace === undefined);
  const fetched = await Promise.all(remote.map((l) => fetch(l).catch((e) => fetchError(e, l, lockPath))));
  remote.forEach((locked, i) => {
    const f = fetched[i];
    const m = parseManifest(f.manifestText, f.manifestPath);
    const pkg = toPackage(m, { source: locked.source!, files: f.files });
    if (pkg.name !== locked.name || pkg.version !== locked.version)
      throw new UserError(
        `Cargo.lock says ${locked.name} ${locked.version}, but the manifest fetched for it is ${pkg.name} ${pkg.version}`,
        f.manifestPath,
      );
    add(pkg, locked, f.nix);
  });

  for (const locked of pathLocked) {
    if (!idOfLocked.has(locked))
      throw new UserError(
        `Cargo.lock lists the path package \`${locked.name} ${locked.version}\`, which no manifest of the project reaches: run \`cargo update\``,
        lockPath,
        lineOf(readFileSync(lockPath, "utf8"), locked.name),
      );
  }

  const replacementOf = replacements(lockfile, ws, idOfLocked);
  const mctx = {
    config,
    patches: ws.patches,
    lockVersion: lockfile.version,
    pathVersion: (dir: string) => packages.get(idOfManifest.get(join(dir, "Cargo.toml")) ?? "")?.version,
  };
  const memberIds = new Set(ws.members.map((m) => idOfManifest.get(m)));
  const resolved = new Map<PackageId, (PackageId | null)[]>();
  for (const [id, pkg] of packages) {
    const locked = lockedOf.get(id)!;
    const candidates = locked.dependencies.map((ref) => resolveLockRef(lockfile, ref, locked));
    const picks = matchDependencies(pkg.dependencies, locked.source, candidates, mctx);
    // Cargo resolves dev-dependencies of workspace members only; a non-member's dev-dependency that names a
    // package the lock lists for another reason must not be tied to it.
    if (!memberIds.has(id)) {
      pkg.dependencies.forEach((d, i) => {
        if (d.kind === "dev") picks[i] = null;
      });
    }
    resolved.set(
      id,
      picks.map((i) =>
        i === null ? null : idOfLocked.get(replacementOf.get(candidates[i]) ?? candidates[i])!,
      ),
    );
  }
  checkLocal(ws.members, idOfManifest, packages, resolved, cache, lockPath);

  const sortedPackages = new Map([...packages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const idsOf = (paths: string[]) => paths.map((p) => idOfManifest.get(p)).filter((x): x is string => !!x);
  const project: Project = {
    root: ws.root,
    rootManifest: ws.rootManifest.path,
    lockfile,
    resolver: ws.resolver,
    members: idsOf(ws.members),
    defaultMembers: idsOf(ws.defaultMembers),
    packages: sortedPackages,
    resolved: new Map([...resolved.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    profiles: readProfiles(ws.rootManifest),
    sources: new Map([...sources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    configTargets: config.buildTargets,
    linksOverrides: config.linksOverrides,
    rustflags: {
      env: opts.rustflagsFromEnv ? envRustflags(opts.env ?? process.env) : null,
      ...config.rustflags,
    },
    crateflake: ws.crateflake,
  };
  checkPackageOverrides(ws.rootManifest, project.profiles, [...sortedPackages.values()]);
  return { project, workspace: ws, config };

  function add(pkg: Package, locked: LockedPackage, nix: NixSource) {
    if (packages.has(pkg.id)) throw new UserError(`two packages have the id ${pkg.id}`, pkg.manifestPath);
    packages.set(pkg.id, pkg);
    sources.set(pkg.id, nix);
    lockedOf.set(pkg.id, locked);
    idOfLocked.set(locked, pkg.id);
  }
}

/**
 * `[replace]`: each locked package with `replace = "…"` → the locked package built in its place. A
 * `[replace]` entry naming a locked package that Cargo.lock does not mark is a stale lock (Cargo would
 * re-resolve): building the original silently would be wrong.
 */
function replacements(
  lockfile: Lockfile,
  ws: Workspace,
  idOfLocked: Map<LockedPackage, PackageId>,
): Map<LockedPackage, LockedPackage> {
  const out = new Map<LockedPackage, LockedPackage>();
  for (const locked of lockfile.packages) {
    if (locked.replace === undefined) continue;
    const to = resolveLockRef(lockfile, locked.replace, locked);
    if (!idOfLocked.has(to))
      throw new UserError(
        `\`${locked.name} ${locked.version}\` is replaced by \`${locked.replace}\`, which no \`[replace]\` of ${ws.rootManifest.path} names: run \`cargo update\``,
        lockfile.path,
        lineOf(readFileSync(lockfile.path, "utf8"), `replace = "${locked.replace}"`),
      );
    out.set(locked, to);
  }
  for (const { spec } of ws.replace) {
    const { name, version } = replaceSpec(spec);
    if (version === undefined)
      throw new UserError(
        `\`[replace]\`: replacements must specify a version to replace, but \`${spec}\` does not (write \`"${name}:VERSION"\`)`,
        ws.rootManifest.path,
        replaceLine(ws.rootManifest.text, spec),
      );
    const targets = new Set(out.values());
    const stale = lockfile.packages.find(
      (l) =>
        l.source !== null &&
        l.replace === undefined &&
        !targets.has(l) &&
        l.name === name &&
        l.version === version,
    );
    if (stale)
      throw new UserError(
        `\`[replace]\` of \`${spec}\` is not recorded in Cargo.lock (\`${name} ${version}\` has no \`replace\`): run \`cargo update -p ${name}\``,
        ws.rootManifest.path,
        replaceLine(ws.rootManifest.text, spec),
      );
  }
  return out;
}

/** The line of a `[replace]` key (lineOf alone would find the dependency of the same name first). */
function replaceLine(text: string, spec: string): number | undefined {
  const table = lineOf(text, "replace") ?? 0;
  const within = lineOf(text.split("\n").slice(table).join("\n"), spec);
  return within === undefined ? table || undefined : table + within;
}

/** The name and version of a `[replace]` key: `name:version`, `name@version`, or `URL#name@version`. */
function replaceSpec(spec: string): { name: string; version: string | undefined } {
  const hash = spec.lastIndexOf("#");
  const url = hash >= 0 ? spec.slice(0, hash) : "";
  const rest = hash >= 0 ? spec.slice(hash + 1) : spec;
  const m = /^([^:@]*)(?:[:@](.*))?$/.exec(rest)!;
  // `URL#version`: the name is the URL's last path segment.
  if (hash >= 0 && m[2] === undefined && /^\d/.test(m[1]))
    return {
      name:
        url
          .replace(/[?].*$/, "")
          .split("/")
          .pop() ?? "",
      version: m[1],
    };
  return { name: m[1], version: m[2] };
}

/**
 * Cargo.lock lists every dependency of a workspace member (all features, all platforms, dev too), and the
 * non-optional normal and build dependencies of other path packages; one that is missing means the lock
 * is out of date. An optional one is let through (old or hand-written lockfiles lack them): a build that
 * does not turn it on is what Cargo builds, and one that does fails in the resolver (resolve-graph.ts)
 * saying to run `cargo generate-lockfile`.
 */
function checkLocal(
  members: string[],
  idOfManifest: Map<string, PackageId>,
  packages: Map<PackageId, Package>,
  resolved: Map<PackageId, (PackageId | null)[]>,
  cache: ManifestCache,
  lockPath: string,
) {
  for (const [path, id] of idOfManifest) {
    const pkg = packages.get(id)!;
    const member = members.includes(path);
    resolved.get(id)!.forEach((r, i) => {
      const d = pkg.dependencies[i];
      if (r !== null || d.optional || (!member && d.kind === "dev")) return;
      throw new UserError(
        `dependency \`${d.name}\` of \`${pkg.name}\` is not in Cargo.lock (${lockPath}): run \`cargo update\` or \`cargo generate-lockfile\``,
        path,
        lineOf(cache.read(path).text, d.name),
      );
    });
  }
}

/** Several roots, each loaded on its own (separate roots are separate projects). */
export async function loadProjects(manifestPaths: string[], opts: LoadOptions = {}): Promise<Project[]> {
  const out: Project[] = [];
  for (const p of manifestPaths) out.push(await loadProject(p, opts));
  return out;
}

/** A fetch error that names no file comes from the lock entry's source or checksum: name Cargo.lock. */
function fetchError(err: unknown, locked: LockedPackage, lockPath: string): never {
  if (!(err instanceof UserError) || err.file) throw err;
  throw new UserError(`${locked.name} ${locked.version}: ${err.message}`, lockPath);
}

function manifestFile(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs) && statSync(abs).isDirectory()) return manifestFile(join(abs, "Cargo.toml"));
  if (!existsSync(abs)) throw new UserError("manifest does not exist", abs);
  return abs;
}

function defaultFetch(config: CargoConfig, lockfileDir: string, opts: LoadOptions) {
  const sources = openSources({ config, lockfileDir, cacheDir: opts.cacheDir, quiet: opts.quiet });
  return (pkg: LockedPackage) => sources.fetch(pkg);
}
