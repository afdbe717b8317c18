/**
 * A local registry (`[source.X] local-registry = DIR`): `DIR/index/` plus `DIR/NAME-VERSION.crate`, made
 * by `cargo local-registry` or ../shared/rust/make-local-registry.py. The archive's sha256 must equal
 * Cargo.lock's checksum.
 *
 * `manifestPath` is where Cargo itself unpacks the crate: `$CARGO_HOME/registry/src/-HASH/NAME-VERSION/
 * Cargo.toml` (HASH of the local registry's source id, see cargo-dirs.ts), so paths match `cargo metadata`.
 * The file need not exist. Nix gets the archive as a `file://` URL with the same sha256.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { LockedPackage } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { cargoRegistrySrcDir } from "./cargo-dirs.ts";
import { sha256Hex, verifyChecksum } from "./checksum.ts";
import type { CrateContentsCache } from "./contents-cache.ts";
import type { FetchedPackage, Fetcher } from "./source.ts";

export class LocalRegistryFetcher implements Fetcher {
  private readonly srcDir: string;

  constructor(
    /** The local registry's root directory (absolute). */
    readonly root: string,
    cargoHome: string,
    /** Which locked packages this registry replaces (decided by source replacement). */
    private readonly serves: (pkg: LockedPackage) => boolean,
    private readonly contents: CrateContentsCache,
  ) {
    this.srcDir = cargoRegistrySrcDir(cargoHome, "local-registry", pathToFileURL(root).href);
  }

  archivePath(pkg: LockedPackage): string {
    return join(this.root, `${pkg.name}-${pkg.version}.crate`);
  }

  supports(pkg: LockedPackage): boolean {
    return this.serves(pkg);
  }

  async fetch(pkg: LockedPackage): Promise<FetchedPackage> {
    const path = this.archivePath(pkg);
    // Synchronous reads: a registry of small local files is read faster without the promise machinery.
    let exists = false;
    try {
      exists = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      // a name no file can have (a NUL byte from a hostile lockfile): not in the registry
    }
    if (!exists) {
      throw new UserError(
        `${pkg.name} ${pkg.version} is not in the local registry ${this.root} (no ${path}); ` +
          "add it to the registry or update Cargo.lock",
      );
    }
    if (!pkg.checksum) throw missingChecksum(pkg);
    const checksum = pkg.checksum;
    const sha256 = checksum.toLowerCase();
    // Never null: a mismatch throws instead of declining the archive.
    const contents = (await this.contents.fromFile(path, pkg.name, pkg.version, sha256, async () => {
      const bytes = readFileSync(path);
      verifyChecksum(pkg, checksum, sha256Hex(bytes), path);
      return bytes;
    }))!;
    return {
      manifestText: contents.manifestText,
      manifestPath: join(this.srcDir, `${pkg.name}-${pkg.version}`, "Cargo.toml"),
      files: contents.files,
      nix: { kind: "crate", url: pathToFileURL(path).href, sha256 },
    };
  }
}

/** A registry package whose Cargo.lock entry has no checksum cannot be verified: refuse it. */
export function missingChecksum(pkg: LockedPackage): UserError {
  return new UserError(
    `Cargo.lock has no checksum for ${pkg.name} ${pkg.version} from ${pkg.source}; ` +
      "run `cargo generate-lockfile` (or `cargo update -p " +
      `${pkg.name}\`) to record it`,
  );
}
