/**
 * Registry packages downloaded by crateflake itself (crates.io or any sparse / file:// registry): served
 * from crateflake's cache when present, else downloaded (bounded concurrency, retries), verified against
 * Cargo.lock's sha256 before anything else reads them, and cached.
 *
 * `manifestPath` is where current Cargo would unpack the crate:
 * `$CARGO_HOME/registry/src/HOST-HASH/NAME-VERSION/Cargo.toml` (see cargo-dirs.ts), so paths match
 * `cargo metadata`. Nix gets `{ kind: "crate", url, sha256 }` with the real download URL.
 */
import { join } from "node:path";
import type { LockedPackage } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { cargoRegistryDirNames } from "./cargo-dirs.ts";
import { sha256Hex } from "./checksum.ts";
import type { CrateContentsCache } from "./contents-cache.ts";
import type { CrateCache } from "./disk-cache.ts";
import { getBytes } from "./http.ts";
import { missingChecksum } from "./local-registry.ts";
import type { Progress } from "./progress.ts";
import type { RegistryDownloads } from "./registry-config.ts";
import type { FetchedPackage, Fetcher } from "./source.ts";
import type { ParsedSourceId } from "./source-id.ts";

export interface DownloadDeps {
  cache: CrateCache;
  contents: CrateContentsCache;
  cargoHome: string;
  /** Runs a download within the concurrency bound. */
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  progress: Progress;
  offline: boolean;
  /** Retry tuning, for tests. */
  attempts?: number;
  backoffMs?: number;
}

export class RegistryDownloadFetcher implements Fetcher {
  constructor(
    private readonly id: ParsedSourceId,
    private readonly downloads: RegistryDownloads,
    private readonly deps: DownloadDeps,
  ) {}

  supports(_pkg: LockedPackage): boolean {
    return this.id.kind === "registry" || this.id.kind === "sparse";
  }

  async fetch(pkg: LockedPackage): Promise<FetchedPackage> {
    if (!pkg.checksum) throw missingChecksum(pkg);
    const sha256 = pkg.checksum.toLowerCase();
    const url = await this.downloads.urlFor(pkg.name, pkg.version, sha256);
    const cached = this.deps.cache.path(pkg.name, pkg.version, sha256);
    let contents = await this.deps.contents.fromFile(cached, pkg.name, pkg.version, sha256, () =>
      this.deps.cache.get(pkg.name, pkg.version, sha256),
    );
    if (!contents) {
      if (this.deps.offline && !url.startsWith("file://")) {
        throw new UserError(
          `${pkg.name} ${pkg.version} is not downloaded and offline mode is on ([net] offline or --offline); ` +
            `fetch it once online (${url})`,
        );
      }
      const bytes = await this.download(pkg, url, sha256);
      contents = await this.deps.contents.read(bytes, pkg.name, pkg.version, sha256, url);
    }
    const { manifestText, files } = contents;
    const srcDir = join(this.deps.cargoHome, "registry", "src", cargoRegistryDirNames(this.id)[0]);
    return {
      manifestText,
      manifestPath: join(srcDir, `${pkg.name}-${pkg.version}`, "Cargo.toml"),
      files,
      nix: { kind: "crate", url, sha256 },
    };
  }

  private async download(pkg: LockedPackage, url: string, sha256: string): Promise<Buffer> {
    this.deps.progress.add();
    try {
      const bytes = await this.deps.limit(() =>
        getBytes(url, { attempts: this.deps.attempts, backoffMs: this.deps.backoffMs }),
      );
      const actual = sha256Hex(bytes);
      if (actual !== sha256) {
        throw new UserError(
          `checksum mismatch for ${pkg.name} ${pkg.version}: Cargo.lock has ${sha256}, ` +
            `but ${url} served ${actual}`,
        );
      }
      await this.deps.cache.put(pkg.name, pkg.version, sha256, bytes);
      return bytes;
    } finally {
      this.deps.progress.done();
    }
  }
}
