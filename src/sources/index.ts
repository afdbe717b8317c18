/**
 * `openSources`: for each locked package, the first source that serves it, in Cargo's order of authority:
 * a source replacement from `.cargo/config.toml` (local registry, or directory/vendored source), Cargo's
 * own caches (`$CARGO_HOME/registry/{cache,src}`), then a download from the registry (or, for git
 * sources, a checkout of the locked commit). Each kind is one Fetcher in its own file; this file only
 * wires them, shares the cache/concurrency/progress, and memoises results per package.
 */
import { join } from "node:path";
import type { CargoConfig, LockedPackage } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { CargoCacheFetcher } from "./cargo-cache.ts";
import { CrateContentsCache } from "./contents-cache.ts";
import { DirectoryFetcher } from "./directory.ts";
import { CrateCache, defaultCacheDir } from "./disk-cache.ts";
import { GitFetcher } from "./git.ts";
import { limiter } from "./limit.ts";
import { LocalRegistryFetcher } from "./local-registry.ts";
import { progressBar } from "./progress.ts";
import { RegistryDownloads } from "./registry-config.ts";
import { RegistryDownloadFetcher } from "./registry-download.ts";
import { type ReplacedSource, replacedSource } from "./replacement.ts";
import { type FetchedPackage, type Fetcher, NotServed } from "./source.ts";
import { sourceKey } from "./source-id.ts";

export interface OpenSourcesOptions {
  config: CargoConfig;
  /** Directory of Cargo.lock (errors name `Cargo.lock` there); directory sources inside it are referenced
   * from Nix by relative path. */
  lockfileDir: string;
  /** crateflake's cache (default `$XDG_CACHE_HOME/crateflake`, else `~/.cache/crateflake`); downloads go to
   * `crates/`, git repositories and checkouts to `git/`. */
  cacheDir?: string;
  /** No progress bar. */
  quiet?: boolean;
  /** Parallel downloads and git fetches (default 8). */
  concurrency?: number;
  /** Download attempts per crate (default 4) and the first retry delay; for tests. */
  attempts?: number;
  backoffMs?: number;
}

export interface Sources {
  fetch(pkg: LockedPackage): Promise<FetchedPackage>;
}

export function openSources(opts: OpenSourcesOptions): Sources {
  const { config } = opts;
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const limit = limiter(opts.concurrency ?? 8);
  const progress = progressBar("Fetching crates", opts.quiet ?? false);
  const offline = config.offline;
  const deps = {
    cache: new CrateCache(cacheDir),
    contents: new CrateContentsCache(cacheDir),
    cargoHome: config.cargoHome,
    limit,
    progress,
    offline,
    attempts: opts.attempts,
    backoffMs: opts.backoffMs,
  };

  const replaced = new Map<string, ReplacedSource>();
  const replacementOf = (source: string): ReplacedSource => {
    let r = replaced.get(source);
    if (!r) {
      r = replacedSource(config, source);
      replaced.set(source, r);
    }
    return r;
  };
  const memo = <T>(map: Map<string, T>, key: string, make: () => T): T => {
    let v = map.get(key);
    if (v === undefined) {
      v = make();
      map.set(key, v);
    }
    return v;
  };
  const localRegistries = new Map<string, LocalRegistryFetcher>();
  const directories = new Map<string, DirectoryFetcher>();
  const registryDownloads = new Map<string, RegistryDownloads>();
  const cargoCaches = new Map<string, CargoCacheFetcher>();
  const downloaders = new Map<string, RegistryDownloadFetcher>();
  const gitFetcher = new GitFetcher(cacheDir, limit, progress, offline);
  const always = () => true;

  /** The fetchers that may serve `pkg`, most authoritative first. */
  const candidates = (pkg: LockedPackage, source: string): Fetcher[] => {
    const r = replacementOf(source);
    if (r.kind === "local-registry") {
      return [
        memo(
          localRegistries,
          r.path,
          () => new LocalRegistryFetcher(r.path, config.cargoHome, always, deps.contents),
        ),
      ];
    }
    if (r.kind === "directory") {
      return [memo(directories, r.path, () => new DirectoryFetcher(r.path, always, opts.lockfileDir))];
    }
    const id = r.id;
    if (id.kind === "git") {
      return [{ supports: () => true, fetch: (p) => gitFetcher.fetchFrom(p, id) }];
    }
    if (id.kind === "registry" || id.kind === "sparse") {
      const key = sourceKey(id);
      const dl = memo(registryDownloads, key, () => new RegistryDownloads(id, cacheDir, config.cargoHome));
      return [
        memo(cargoCaches, key, () => new CargoCacheFetcher(id, dl, config.cargoHome, deps.contents)),
        memo(downloaders, key, () => new RegistryDownloadFetcher(id, dl, deps)),
      ];
    }
    throw new UserError(`${pkg.name} ${pkg.version}: cannot fetch from source ${source}`);
  };

  const results = new Map<string, Promise<FetchedPackage>>();
  const lockPath = join(opts.lockfileDir, "Cargo.lock");
  const fetchOne = async (pkg: LockedPackage): Promise<FetchedPackage> => {
    if (!pkg.source) {
      throw new UserError(
        `${pkg.name} ${pkg.version} is a path package; it is read from its directory`,
        lockPath,
      );
    }
    for (const f of candidates(pkg, pkg.source)) {
      if (!f.supports(pkg)) continue;
      try {
        return await f.fetch(pkg);
      } catch (e) {
        if (!(e instanceof NotServed)) throw e;
      }
    }
    throw new UserError(`no source can provide ${pkg.name} ${pkg.version} from ${pkg.source}`, lockPath);
  };
  return {
    fetch(pkg) {
      const key = `${pkg.source}#${pkg.name}@${pkg.version}#${pkg.checksum}`;
      return memo(results, key, () => fetchOne(pkg));
    },
  };
}

export type { FetchedPackage, Fetcher, NixSource } from "./source.ts";
