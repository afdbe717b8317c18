/**
 * `openSources`: for each locked package, the first source that serves it, in Cargo's order of authority:
 * a source replacement from `.cargo/config.toml` (local registry or directory/vendored source), Cargo's own
 * download cache, then a download from the registry (or a git checkout for git sources). Each kind is one
 * Fetcher in its own file; this file only wires them and memoises results per package.
 */
import { join } from "node:path";
import type { CargoConfig, LockedPackage } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { LocalRegistryFetcher } from "./local-registry.ts";
import { type ReplacedSource, replacedSource } from "./replacement.ts";
import type { FetchedPackage, Fetcher } from "./source.ts";

export interface OpenSourcesOptions {
  config: CargoConfig;
  /** Directory of Cargo.lock; errors about lock entries name `Cargo.lock` there. */
  lockfileDir: string;
  /** Where downloads and git checkouts are cached (default `$XDG_CACHE_HOME/crateflake` or `~/.cache/crateflake`). */
  cacheDir?: string;
  /** No progress bar. */
  quiet?: boolean;
  /** Parallel downloads (default 8). */
  concurrency?: number;
}

export interface Sources {
  fetch(pkg: LockedPackage): Promise<FetchedPackage>;
}

export function openSources(opts: OpenSourcesOptions): Sources {
  const { config } = opts;
  const replaced = new Map<string, ReplacedSource>();
  const replacementOf = (pkg: LockedPackage): ReplacedSource | null => {
    if (!pkg.source) return null;
    let r = replaced.get(pkg.source);
    if (!r) {
      r = replacedSource(config, pkg.source);
      replaced.set(pkg.source, r);
    }
    return r;
  };

  const localRegistries = new Map<string, LocalRegistryFetcher>();
  const fetchers: ((pkg: LockedPackage) => Fetcher | null)[] = [
    (pkg) => {
      const r = replacementOf(pkg);
      if (r?.kind !== "local-registry") return null;
      let f = localRegistries.get(r.path);
      if (!f) {
        const root = r.path;
        f = new LocalRegistryFetcher(root, config.cargoHome, (p) => {
          const rp = replacementOf(p);
          return rp?.kind === "local-registry" && rp.path === root;
        });
        localRegistries.set(root, f);
      }
      return f;
    },
  ];

  const results = new Map<string, Promise<FetchedPackage>>();
  const lockPath = join(opts.lockfileDir, "Cargo.lock");
  return {
    fetch(pkg) {
      const key = `${pkg.source}#${pkg.name}@${pkg.version}`;
      let result = results.get(key);
      if (!result) {
        result = (async () => {
          if (!pkg.source) {
            throw new UserError(
              `${pkg.name} ${pkg.version} is a path package; read it from its directory`,
              lockPath,
            );
          }
          for (const candidate of fetchers) {
            const f = candidate(pkg);
            if (f?.supports(pkg)) return f.fetch(pkg);
          }
          throw new UserError(
            `no source can provide ${pkg.name} ${pkg.version} from ${pkg.source}`,
            lockPath,
          );
        })();
        results.set(key, result);
      }
      return result;
    },
  };
}
