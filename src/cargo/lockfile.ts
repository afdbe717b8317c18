/**
 * Cargo.lock, versions 1 to 4. Version 1 keeps checksums in `[metadata]` ("checksum NAME VERSION (SOURCE)")
 * and may have a `[root]` package; versions 3 and 4 have a `version` key; version 2 is told from 1 by the
 * absence of `[metadata]` checksums. Dependency references are `name`, `name version` or
 * `name version (source)`, shortened only as far as they stay unambiguous.
 */
import { UserError } from "../errors.ts";
import type { LockedPackage, Lockfile } from "./model.ts";
import { lineOf, parseToml, type Table, TomlReader } from "./toml.ts";

export const NEWEST_LOCK_VERSION = 4;

export function parseLockfile(text: string, path: string): Lockfile {
  const toml = parseToml(text, path);
  const r = new TomlReader(path, text);
  const metadata = r.table(toml.metadata, "metadata");
  const checksums = new Map<string, string>();
  for (const [k, v] of Object.entries(metadata)) {
    if (!k.startsWith("checksum ")) continue;
    if (typeof v !== "string") throw r.error(`\`metadata."${k}"\` must be a string`, k);
    checksums.set(k.slice("checksum ".length), v);
  }

  let version: number;
  if (toml.version === undefined) version = checksums.size > 0 || toml.root !== undefined ? 1 : 2;
  else if (typeof toml.version === "number" && Number.isInteger(toml.version)) version = toml.version;
  else throw r.error("`version` must be an integer", "version");
  if (version < 1 || version > NEWEST_LOCK_VERSION)
    throw new UserError(
      `Cargo.lock version ${version} is not supported (crateflake reads versions 1 to ${NEWEST_LOCK_VERSION}); regenerate it with a cargo that writes a supported version, e.g. \`cargo generate-lockfile\``,
      path,
      lineOf(text, "version"),
    );

  const tables: unknown[] = [];
  if (toml.root !== undefined) tables.push(toml.root);
  if (toml.package !== undefined) {
    if (!Array.isArray(toml.package))
      throw r.error("`package` must be an array of tables ([[package]])", "package");
    tables.push(...toml.package);
  }
  const packages = tables.map((t, i) => lockedPackage(r, t, i, checksums, version));
  packages.sort(compareLocked);
  return { path, version, packages };
}

function lockedPackage(
  r: TomlReader,
  v: unknown,
  i: number,
  checksums: Map<string, string>,
  lockVersion: number,
): LockedPackage {
  const t: Table = r.table(v, `package[${i}]`);
  const name = r.str(t.name, "name");
  const version = r.str(t.version, "version");
  if (!name || !version) throw r.error(`[[package]] number ${i + 1} has no name or version`);
  const written = r.str(t.source, "source") ?? null;
  const source = written === null ? null : lockSource(written, lockVersion);
  const checksum =
    r.str(t.checksum, "checksum") ??
    (written ? (checksums.get(`${name} ${version} (${written})`) ?? null) : null);
  const replace = r.str(t.replace, "replace");
  return {
    name,
    version,
    source,
    checksum: checksum === "<none>" ? null : checksum,
    dependencies: r.strList(t.dependencies, "dependencies") ?? [],
    ...(replace !== undefined ? { replace } : {}),
  };
}

function compareLocked(a: LockedPackage, b: LockedPackage): number {
  return a.name < b.name
    ? -1
    : a.name > b.name
      ? 1
      : a.version < b.version
        ? -1
        : a.version > b.version
          ? 1
          : 0;
}

/** A parsed dependency reference of a locked package. */
export interface LockRef {
  name: string;
  version?: string;
  source?: string;
}

export function parseLockRef(ref: string): LockRef {
  const m = /^(\S+)(?: (\S+))?(?: \((.+)\))?$/.exec(ref.trim());
  if (!m) return { name: ref };
  return { name: m[1], ...(m[2] ? { version: m[2] } : {}), ...(m[3] ? { source: m[3] } : {}) };
}

/** The locked packages of one name (indexed once per lockfile: every reference is looked up). */
const byName = new WeakMap<Lockfile, Map<string, LockedPackage[]>>();
function lockedByName(lock: Lockfile, name: string): LockedPackage[] {
  let index = byName.get(lock);
  if (!index) {
    index = new Map();
    for (const x of lock.packages) {
      const list = index.get(x.name);
      if (list) list.push(x);
      else index.set(x.name, [x]);
    }
    byName.set(lock, index);
  }
  return index.get(name) ?? [];
}

/** Finds the locked packages a reference names; throws when it names none or several. */
export function resolveLockRef(lock: Lockfile, ref: string, from: LockedPackage): LockedPackage {
  const p = parseLockRef(ref);
  const hits = lockedByName(lock, p.name).filter(
    (x) =>
      (p.version === undefined || x.version === p.version) &&
      (p.source === undefined ||
        (x.source !== null && withoutCommit(x.source) === withoutCommit(lockSource(p.source, lock.version)))),
  );
  if (hits.length === 1) return hits[0];
  // A path package's reference never has a source, so without one Cargo takes the only path package.
  const paths = p.source === undefined ? hits.filter((x) => x.source === null) : [];
  if (paths.length === 1) return paths[0];
  throw new UserError(
    `package \`${from.name} ${from.version}\` depends on \`${ref}\`, which ${hits.length === 0 ? "is not in the lockfile" : "is ambiguous"}: regenerate the lockfile with \`cargo generate-lockfile\``,
    lock.path,
  );
}

/** A reference names a git source without its `#commit` (a source id's equality ignores the commit). */
function withoutCommit(source: string): string {
  return source.startsWith("git+") ? source.replace(/#.*$/, "") : source;
}

/**
 * A source as Cargo means it. Version 4 percent-encodes the query of git sources (`?branch=feat%2Fx`);
 * Cargo's `SourceId` (and `cargo metadata`'s `source`, and lockfiles up to v3) spell it decoded.
 */
export function lockSource(written: string, lockVersion: number): string {
  if (lockVersion < 4 || !written.startsWith("git+")) return written;
  return written.replace(/\?([^#]*)/, (_, query: string) => {
    const decoded = query
      .split("&")
      .map((kv) =>
        kv
          .split("=")
          .map((x) => decodeURIComponent(x))
          .join("="),
      )
      .join("&");
    return `?${decoded}`;
  });
}
