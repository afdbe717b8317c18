/**
 * Cargo's own download cache, read-only: `$CARGO_HOME/registry/cache/*\/NAME-VERSION.crate` (verified
 * against Cargo.lock's sha256, so any registry's directory is safe to look in), then Cargo's unpacked
 * `$CARGO_HOME/registry/src/DIR/NAME-VERSION/` (only DIR of this very registry, current or pre-1.85 name,
 * and only when Cargo finished unpacking it: `.cargo-ok` exists). An unpacked tree cannot be verified
 * against the lockfile; Cargo trusts it too.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LockedPackage } from "../cargo/model.ts";
import { cargoRegistryDirNames } from "./cargo-dirs.ts";
import { sha256Hex } from "./checksum.ts";
import type { CrateContentsCache } from "./contents-cache.ts";
import { listFiles } from "./file-walk.ts";
import type { RegistryDownloads } from "./registry-config.ts";
import { type FetchedPackage, type Fetcher, NotServed } from "./source.ts";
import type { ParsedSourceId } from "./source-id.ts";

export class CargoCacheFetcher implements Fetcher {
  private cacheDirs: string[] | null = null;

  constructor(
    private readonly id: ParsedSourceId,
    private readonly downloads: RegistryDownloads,
    private readonly cargoHome: string,
    private readonly contents: CrateContentsCache,
  ) {}

  /** Cached `.crate` candidates: this registry's own directories first, then every other one. */
  private archives(pkg: LockedPackage): string[] {
    if (!this.cacheDirs) {
      const root = join(this.cargoHome, "registry", "cache");
      const own = cargoRegistryDirNames(this.id);
      let all: string[] = [];
      try {
        all = readdirSync(root).sort();
      } catch {
        // no cache at all
      }
      this.cacheDirs = [...own.filter((d) => all.includes(d)), ...all.filter((d) => !own.includes(d))].map(
        (d) => join(root, d),
      );
    }
    return this.cacheDirs
      .map((d) => join(d, `${pkg.name}-${pkg.version}.crate`))
      .filter((p) => existsSync(p));
  }

  private unpacked(pkg: LockedPackage): string | null {
    for (const name of cargoRegistryDirNames(this.id)) {
      const dir = join(this.cargoHome, "registry", "src", name, `${pkg.name}-${pkg.version}`);
      if (existsSync(join(dir, ".cargo-ok")) && existsSync(join(dir, "Cargo.toml"))) return dir;
    }
    return null;
  }

  supports(pkg: LockedPackage): boolean {
    if (!pkg.checksum || (this.id.kind !== "registry" && this.id.kind !== "sparse")) return false;
    return this.archives(pkg).length > 0 || this.unpacked(pkg) !== null;
  }

  async fetch(pkg: LockedPackage): Promise<FetchedPackage> {
    const sha256 = pkg.checksum!.toLowerCase();
    const url = await this.downloads.urlFor(pkg.name, pkg.version, sha256);
    const nix = { kind: "crate" as const, url, sha256 };
    for (const path of this.archives(pkg)) {
      const contents = await this.contents.fromFile(path, pkg.name, pkg.version, sha256, async () => {
        const bytes = await readFile(path);
        // another registry's crate of the same name, or corrupt
        return sha256Hex(bytes) === sha256 ? bytes : null;
      });
      if (!contents) continue;
      const { manifestText, files } = contents;
      const srcDir = join(this.cargoHome, "registry", "src", cargoRegistryDirNames(this.id)[0]);
      return {
        manifestText,
        manifestPath: join(srcDir, `${pkg.name}-${pkg.version}`, "Cargo.toml"),
        files,
        nix,
      };
    }
    const dir = this.unpacked(pkg);
    if (dir) {
      const manifestPath = join(dir, "Cargo.toml");
      const files = listFiles(dir, (rel) => rel === ".cargo-ok" || rel === ".cargo-checksum.json");
      return { manifestText: readFileSync(manifestPath, "utf8"), manifestPath, files, nix };
    }
    throw new NotServed(
      `${pkg.name} ${pkg.version}: no archive in Cargo's cache matches Cargo.lock's checksum`,
    );
  }
}
