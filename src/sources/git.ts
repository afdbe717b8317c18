/**
 * Git sources (`git+URL?branch=..|tag=..|rev=..#COMMIT`): the locked commit is fetched with the `git` CLI
 * into a bare repository under `CACHE/git/db/`, and its tree written to `CACHE/git/checkouts/KEY/COMMIT/`
 * (`git archive`, exactly what Nix's fetchGit unpacks; with `.gitmodules`, a clone with submodules
 * updated recursively instead). Both are written under a temporary name and renamed, so an interrupted
 * fetch never leaves a half tree that is used later. The checkout's NAR hash (without `.git`) is computed
 * once and kept next to it.
 *
 * The package is found by walking the checkout for Cargo.toml files whose `[package] name` matches (as
 * Cargo does); a member that inherits from its repository's workspace gets its manifest back with the
 * inheritance written out, and `workspaceRoot` names that root. `manifestPath` is the real file in the
 * checkout.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { parse } from "smol-toml";
import type { LockedPackage } from "../cargo/model.ts";
import { findRootManifest, ManifestCache } from "../cargo/workspace.ts";
import { UserError } from "../errors.ts";
import { listFiles } from "./file-walk.ts";
import { archiveInto, GitError, git, gitOk } from "./git-cli.ts";
import { resolveInheritance, usesInheritance } from "./inherit.ts";
import { narHash } from "./nar.ts";
import type { Progress } from "./progress.ts";
import type { FetchedPackage, Fetcher } from "./source.ts";
import { type ParsedSourceId, parseSourceId } from "./source-id.ts";

export interface Checkout {
  dir: string;
  narHash: string;
  submodules: boolean;
}

export class GitFetcher implements Fetcher {
  private readonly checkouts = new Map<string, Promise<Checkout>>();
  private readonly repos = new Map<string, Promise<string>>();

  constructor(
    private readonly cacheDir: string,
    private readonly limit: <T>(task: () => Promise<T>) => Promise<T>,
    private readonly progress: Progress,
    private readonly offline = false,
  ) {}

  supports(pkg: LockedPackage): boolean {
    return pkg.source?.startsWith("git+") ?? false;
  }

  /** Fetch `pkg` from `id` (its own source id, or a `[source]` git replacement of it). */
  async fetchFrom(pkg: LockedPackage, id: ParsedSourceId): Promise<FetchedPackage> {
    if (!id.precise) {
      throw new UserError(
        `Cargo.lock has no commit for ${pkg.name} ${pkg.version} (${pkg.source}): run \`cargo update\``,
      );
    }
    const co = await this.checkout(id.url, id.precise, id);
    const manifestPath = findPackage(co.dir, pkg);
    const pkgDir = dirname(manifestPath);
    let manifestText = readFileSync(manifestPath, "utf8");
    let workspaceRoot: string | undefined;
    const manifests = new ManifestCache();
    const rootPath = findRootManifest(manifests.read(manifestPath), manifests);
    if (rootPath.startsWith(co.dir) && manifests.read(rootPath).toml.workspace !== undefined) {
      // Also when the package is the workspace root itself (`[package]` and `[workspace]` in one file).
      workspaceRoot = rootPath;
      if (usesInheritance(manifestText)) {
        manifestText = resolveInheritance(
          manifestText,
          manifestPath,
          readFileSync(rootPath, "utf8"),
          rootPath,
        );
      }
    }
    // As Cargo lists a package's files: no `.git`, no `target/` at the root, no nested packages.
    const files = listFiles(
      pkgDir,
      (rel, kind) =>
        rel.split("/").pop() === ".git" ||
        (kind === "directory" && (rel === "target" || existsSync(join(pkgDir, rel, "Cargo.toml")))),
    );
    const subdir = relative(co.dir, pkgDir).split("\\").join("/");
    return {
      manifestText,
      manifestPath,
      files,
      nix: {
        kind: "git",
        url: id.url,
        rev: id.precise,
        narHash: co.narHash,
        subdir,
        ...(co.submodules ? { submodules: true } : {}),
        ...gitRef(id),
      },
      ...(workspaceRoot ? { workspaceRoot } : {}),
    };
  }

  fetch(pkg: LockedPackage): Promise<FetchedPackage> {
    return this.fetchFrom(pkg, parseSourceId(pkg.source!));
  }

  /** The tree of `commit` from `url`, fetched and unpacked once per process and once per cache. */
  checkout(url: string, commit: string, id?: ParsedSourceId): Promise<Checkout> {
    const key = `${url}#${commit}`;
    let p = this.checkouts.get(key);
    if (!p) {
      p = this.makeCheckout(url, commit, id);
      this.checkouts.set(key, p);
    }
    return p;
  }

  private async makeCheckout(url: string, commit: string, id?: ParsedSourceId): Promise<Checkout> {
    const dir = join(this.cacheDir, "git", "checkouts", repoKey(url), commit);
    const metaPath = `${dir}.json`;
    if (existsSync(metaPath) && existsSync(dir)) {
      const meta = JSON.parse(readFileSync(metaPath, "utf8")) as { narHash: string; submodules: boolean };
      return { dir, ...meta };
    }
    const db = await this.database(url, commit, id);
    const submodules = await gitOk(["-C", db, "cat-file", "-e", `${commit}:.gitmodules`]);
    await mkdir(dirname(dir), { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      if (submodules) {
        await git(["clone", "-q", "--no-checkout", db, tmp]);
        await git(["-C", tmp, "checkout", "-q", "--detach", commit]);
        // Relative submodule URLs are relative to the real remote, not to crateflake's cache.
        await git(["-C", tmp, "remote", "set-url", "origin", url]);
        await this.limit(() =>
          git([
            "-C",
            tmp,
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "update",
            "-q",
            "--init",
            "--recursive",
          ]),
        );
      } else {
        await mkdir(tmp);
        await archiveInto(db, commit, tmp);
      }
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      if (e instanceof GitError) throw new UserError(`cannot check out ${commit} of ${url}: ${e.message}`);
      throw e;
    }
    // Nix's fetchGit leaves out every `.git` (the clone's and the submodules' files).
    const hash = narHash(dir, { filter: (rel) => rel.split("/").pop() !== ".git" });
    const meta = { narHash: hash, submodules };
    await writeFile(`${metaPath}.tmp`, JSON.stringify(meta));
    await rename(`${metaPath}.tmp`, metaPath);
    return { dir, ...meta };
  }

  /** A bare repository holding `commit` of `url`. */
  private database(url: string, commit: string, id?: ParsedSourceId): Promise<string> {
    const dbKey = repoKey(url);
    const prev = this.repos.get(dbKey) ?? Promise.resolve("");
    // One git process per repository at a time: git's own locks would make parallel fetches fail.
    const next = prev.catch(() => "").then(() => this.ensureCommit(url, commit, id));
    this.repos.set(dbKey, next);
    return next;
  }

  private async ensureCommit(url: string, commit: string, id?: ParsedSourceId): Promise<string> {
    const db = join(this.cacheDir, "git", "db", repoKey(url));
    if (!existsSync(join(db, "HEAD"))) {
      await mkdir(dirname(db), { recursive: true });
      const tmp = `${db}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      await git(["init", "-q", "--bare", tmp]);
      await rename(tmp, db).catch(async () => rm(tmp, { recursive: true, force: true }));
    }
    const has = () => gitOk(["-C", db, "cat-file", "-e", `${commit}^{commit}`]);
    if (await has()) return db;
    if (this.offline) {
      throw new UserError(
        `commit ${commit} of ${url} is not in crateflake's git cache and offline mode is on`,
      );
    }
    this.progress.add();
    try {
      await this.limit(async () => {
        // Most servers hand out a reachable commit by id; otherwise fetch the branches and tags.
        if (await gitOk(["-C", db, "fetch", "-q", "--no-tags", url, commit])) return;
        const refs = [
          "+refs/heads/*:refs/remotes/origin/*",
          "+refs/tags/*:refs/tags/*",
          "+HEAD:refs/remotes/origin/HEAD",
        ];
        const ref = id?.reference;
        if (ref && "rev" in ref && !/^[0-9a-f]{40}$/.test(ref.rev))
          refs.push(`+${ref.rev}:refs/remotes/origin/rev`);
        try {
          await git(["-C", db, "fetch", "-q", "--force", url, ...refs]);
        } catch (e) {
          throw new UserError(`cannot fetch ${url}: ${(e as Error).message}`);
        }
      });
    } finally {
      this.progress.done();
    }
    if (!(await has())) {
      throw new UserError(
        `commit ${commit} (locked in Cargo.lock) is not in ${url}; was it force-pushed away? Run \`cargo update\``,
      );
    }
    return db;
  }
}

/** A readable, unique directory name for a repository URL. */
function repoKey(url: string): string {
  const base = (url.replace(/\/+$/, "").split("/").pop() ?? "repo")
    .replace(/\.git$/, "")
    .replace(/[^A-Za-z0-9._-]/g, "_");
  return `${base || "repo"}-${createHash("sha256").update(url).digest("hex").slice(0, 16)}`;
}

/** The Cargo.toml of `pkg` inside a checkout, found by `[package] name` (and version when ambiguous). */
export function findPackage(root: string, pkg: LockedPackage): string {
  const found: { path: string; version: unknown }[] = [];
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      if (ent.isFile() && ent.name === "Cargo.toml") {
        const path = join(dir, ent.name);
        try {
          const t = parse(readFileSync(path, "utf8")) as { package?: { name?: unknown; version?: unknown } };
          if (t.package?.name === pkg.name) found.push({ path, version: t.package.version });
        } catch {
          // Cargo skips manifests it cannot parse while searching a repository, unless one is the match.
        }
      }
    }
    for (const ent of entries) {
      if (!ent.isDirectory()) continue;
      if (ent.name.startsWith(".") || ent.name === "target") continue;
      walk(join(dir, ent.name));
    }
  };
  walk(root);
  found.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (found.length === 0) {
    throw new UserError(`no package named \`${pkg.name}\` in the git checkout of ${pkg.source} (${root})`);
  }
  if (found.length === 1) return found[0].path;
  const exact = found.filter((f) => f.version === pkg.version);
  if (exact.length >= 1) return exact[0].path;
  // Inherited versions (`version.workspace = true`): let the loader check the version it reads.
  return found[0].path;
}

/** fetchGit's `ref` for the reference Cargo.lock names. */
function gitRef(id: ParsedSourceId): { ref?: string } {
  const r = id.reference;
  if (r && "branch" in r) return { ref: `refs/heads/${r.branch}` };
  if (r && "tag" in r) return { ref: `refs/tags/${r.tag}` };
  return {};
}
