/**
 * The workspace a manifest belongs to, found the way Cargo finds it: the manifest itself when it has
 * `[workspace]`, else `package.workspace`, else the nearest ancestor with `[workspace]` that does not
 * exclude it; a package outside any workspace is its own. Members are the root package, the `members`
 * globs, and path dependencies of members that live under the root (and are not excluded).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.ts";
import { expandDirGlob, hasGlob } from "./glob.ts";
import { pathSourceId } from "./ids.ts";
import {
  parseManifest,
  type RawManifest,
  readDependency,
  toPackage,
  type WorkspaceInherit,
  workspaceTable,
} from "./manifest.ts";
import type { Dependency } from "./model.ts";
import { isTable, lineOf, type Table } from "./toml.ts";

export type Resolver = "1" | "2" | "3";

/** A `[patch.SOURCE]` entry: `source` is the table key as written (`crates-io`, a registry name or a URL). */
export interface Patch {
  source: string;
  dep: Dependency;
}

export interface Workspace {
  /** Directory of the root manifest. */
  root: string;
  /** The manifest the workspace was loaded from (Cargo's "current" package when it is one). */
  current: string;
  rootManifest: RawManifest;
  /** The root manifest has no `[package]`. */
  virtual: boolean;
  /** Manifest paths of the members, root package first, then `members` in order, then path dependencies. */
  members: string[];
  defaultMembers: string[];
  resolver: Resolver;
  inherit: WorkspaceInherit;
  patches: Patch[];
  /** `[replace]`: `"name:version"` (or a package id spec) → the replacement. */
  replace: { spec: string; dep: Dependency }[];
  /** `[workspace.metadata.crateflake]`. */
  crateflake: Record<string, unknown> | null;
}

/** Reads (and caches) manifests from disk. */
export class ManifestCache {
  private readonly cache = new Map<string, RawManifest>();

  /** `from`: the manifest and line that refer to `path`, named in the error when it does not exist. */
  read(path: string, missing?: () => UserError): RawManifest {
    const hit = this.cache.get(path);
    if (hit) return hit;
    if (!existsSync(path)) throw missing ? missing() : new UserError("manifest does not exist", path);
    const m = parseManifest(readFileSync(path, "utf8"), path);
    this.cache.set(path, m);
    return m;
  }

  tryRead(path: string): RawManifest | undefined {
    return existsSync(path) ? this.read(path) : undefined;
  }
}

export function loadWorkspace(manifestPath: string, cache = new ManifestCache()): Workspace {
  const start = cache.read(manifestPath);
  const rootPath = findRootManifest(start, cache);
  const rootManifest = cache.read(rootPath);
  const root = dirname(rootPath);
  const ws = workspaceTable(rootManifest);
  const r = rootManifest.reader;
  const rootPkg = rootManifest.toml.package !== undefined;
  const inherit: WorkspaceInherit = { root, manifest: rootManifest };

  const memberGlobs = r.strList(ws?.members, "workspace.members") ?? [];
  const exclude = (r.strList(ws?.exclude, "workspace.exclude") ?? []).map((e) => resolve(root, e));
  const explicit = new Set<string>();
  const members: string[] = [];
  for (const pattern of memberGlobs) if (!hasGlob(pattern)) explicit.add(resolve(root, pattern));
  // Cargo's order: each `members` entry followed by its path dependencies under the root (depth first),
  // then the root package and its path dependencies.
  const addWithPathDeps = (p: string) => {
    if (members.includes(p)) return;
    members.push(p);
    for (const dep of pathDependencies(cache.read(p), inherit)) {
      const d = join(dep.path, "Cargo.toml");
      if (!isUnder(d, root) || isExcluded(d, exclude, explicit)) continue;
      cache.read(d, () => missingPathDep(p, cache, dep.name, d));
      addWithPathDeps(d);
    }
  };
  if (ws) {
    for (const pattern of memberGlobs) {
      const dirs = hasGlob(pattern) ? expandDirGlob(root, pattern) : [resolve(root, pattern)];
      for (const dir of dirs) {
        const p = join(dir, "Cargo.toml");
        if (isExcluded(p, exclude, explicit)) continue;
        cache.read(
          p,
          () =>
            new UserError(
              `workspace member \`${pattern}\`: ${p} does not exist`,
              rootPath,
              lineOf(rootManifest.text, "members"),
            ),
        );
        addWithPathDeps(p);
      }
    }
    if (rootPkg) addWithPathDeps(rootPath);
  } else if (rootPkg) {
    members.push(rootPath);
  }
  if (start.path !== rootPath && !members.includes(start.path)) {
    throw new UserError(
      `this package believes it is in the workspace at ${rootPath}, but it is not a member: add it to \`workspace.members\` or \`workspace.exclude\` there`,
      start.path,
    );
  }

  const defaultGlobs = r.strList(ws?.["default-members"], "workspace.default-members");
  let defaultMembers: string[];
  if (start.path !== rootPath) {
    // Cargo: run from (or pointed at) a member, that member is the default, whatever `default-members` says.
    defaultMembers = [start.path];
  } else if (defaultGlobs) {
    defaultMembers = [];
    for (const pattern of defaultGlobs) {
      const dirs = hasGlob(pattern) ? expandDirGlob(root, pattern) : [resolve(root, pattern)];
      for (const dir of dirs) {
        const p = join(dir, "Cargo.toml");
        if (!members.includes(p))
          throw new UserError(
            `default member \`${pattern}\` is not a workspace member`,
            rootPath,
            lineOf(rootManifest.text, "default-members"),
          );
        if (!defaultMembers.includes(p)) defaultMembers.push(p);
      }
    }
  } else if (rootPkg) {
    defaultMembers = [rootPath];
  } else {
    defaultMembers = [...members];
  }

  const metadata = ws && isTable(ws.metadata) ? ws.metadata : undefined;
  return {
    root,
    current: start.path,
    rootManifest,
    virtual: !rootPkg,
    members,
    defaultMembers,
    resolver: resolverOf(rootManifest),
    inherit,
    patches: readPatches(rootManifest, inherit),
    replace: readReplace(rootManifest, inherit),
    crateflake: metadata && isTable(metadata.crateflake) ? metadata.crateflake : null,
  };
}

/** The manifest path of the workspace root for `m`. */
export function findRootManifest(m: RawManifest, cache: ManifestCache): string {
  if (m.toml.workspace !== undefined) return m.path;
  const pkg = m.reader.table(m.toml.package, "package");
  const explicit = m.reader.str(pkg.workspace, "package.workspace");
  if (explicit !== undefined) {
    const p = join(resolve(dirname(m.path), explicit), "Cargo.toml");
    const root = cache.read(
      p,
      () =>
        new UserError(
          `\`package.workspace\` points to ${p}, which does not exist`,
          m.path,
          lineOf(m.text, "workspace"),
        ),
    );
    if (root.toml.workspace === undefined)
      throw new UserError(
        `\`package.workspace\` points to ${p}, which has no [workspace]`,
        m.path,
        lineOf(m.text, "workspace"),
      );
    return p;
  }
  let dir = dirname(dirname(m.path));
  for (;;) {
    const candidate = cache.tryRead(join(dir, "Cargo.toml"));
    if (candidate && candidate.toml.workspace !== undefined) {
      const ws = workspaceTable(candidate);
      const r = candidate.reader;
      const exclude = (r.strList(ws?.exclude, "workspace.exclude") ?? []).map((e) => resolve(dir, e));
      const explicit = new Set(
        (r.strList(ws?.members, "workspace.members") ?? [])
          .filter((p) => !hasGlob(p))
          .map((p) => resolve(dir, p)),
      );
      if (!isExcluded(m.path, exclude, explicit)) return candidate.path;
    }
    const parent = dirname(dir);
    if (parent === dir) return m.path;
    dir = parent;
  }
}

/** Cargo: excluded when under an `exclude` path and not under a member written without a glob. */
function isExcluded(manifest: string, exclude: string[], explicit: Set<string>): boolean {
  const dir = dirname(manifest);
  const under = (e: string) => dir === e || dir.startsWith(e + sep);
  return exclude.some(under) && ![...explicit].some(under);
}

function isUnder(p: string, root: string): boolean {
  const rel = relative(root, p);
  return !rel.startsWith("..") && !rel.startsWith(sep);
}

/** Path dependencies of a local manifest (any kind, any platform), with absolute directories. */
export function pathDependencies(
  m: RawManifest,
  inherit: WorkspaceInherit | undefined,
): { name: string; path: string }[] {
  if (m.toml.package === undefined && m.toml.project === undefined) return [];
  const pkg = toPackage(m, { source: pathSourceId(dirname(m.path)), files: [], workspace: inherit });
  const out: { name: string; path: string }[] = [];
  for (const d of pkg.dependencies)
    if (d.source.kind === "path") out.push({ name: d.name, path: d.source.path });
  return out;
}

export function missingPathDep(from: string, cache: ManifestCache, name: string, p: string): UserError {
  const m = cache.read(from);
  return new UserError(`path dependency \`${name}\`: ${p} does not exist`, from, lineOf(m.text, name));
}

function resolverOf(root: RawManifest): Resolver {
  const r = root.reader;
  const ws = workspaceTable(root);
  const pkg = r.optTable(root.toml.package, "package");
  const v = r.str(ws?.resolver, "workspace.resolver") ?? r.str(pkg?.resolver, "package.resolver");
  if (v !== undefined) {
    if (v !== "1" && v !== "2" && v !== "3")
      throw r.error(`unknown resolver \`${v}\` (expected "1", "2" or "3")`, "resolver");
    return v;
  }
  if (!pkg) return "1";
  let edition = pkg.edition;
  if (isTable(edition) && edition.workspace === true)
    edition = r.table(ws?.package, "workspace.package").edition;
  if (edition === "2024") return "3";
  if (edition === "2021") return "2";
  return "1";
}

function readPatches(root: RawManifest, inherit: WorkspaceInherit): Patch[] {
  const r = root.reader;
  const patch = r.table(root.toml.patch, "patch");
  const out: Patch[] = [];
  const ctx = { source: pathSourceId(dirname(root.path)), files: [], workspace: inherit };
  for (const source of Object.keys(patch).sort()) {
    const t: Table = r.table(patch[source], `patch.${source}`);
    for (const name of Object.keys(t).sort()) {
      out.push({ source, dep: readDependency(root, ctx, name, t[name], "normal", null) });
    }
  }
  return out;
}

function readReplace(root: RawManifest, inherit: WorkspaceInherit): { spec: string; dep: Dependency }[] {
  const r = root.reader;
  const t = r.table(root.toml.replace, "replace");
  const ctx = { source: pathSourceId(dirname(root.path)), files: [], workspace: inherit };
  return Object.keys(t)
    .sort()
    .map((spec) => {
      const name = spec.replace(/[:@].*$/, "").replace(/^.*#/, "");
      return {
        spec,
        dep: { ...readDependency(root, ctx, spec, t[spec], "normal", null), name, package: name },
      };
    });
}

/** What a local package outside the loaded workspace inherits from: its own workspace root, if any. */
export function inheritFor(manifestPath: string, cache: ManifestCache): WorkspaceInherit | undefined {
  const m = cache.read(manifestPath);
  const rootPath = findRootManifest(m, cache);
  const root = cache.read(rootPath);
  return root.toml.workspace === undefined ? undefined : { root: dirname(rootPath), manifest: root };
}
