/**
 * A directory source (`[source.X] directory = DIR`): unpacked packages, one per subdirectory, each with a
 * `.cargo-checksum.json` `{"package": CHECKSUM, "files": {PATH: SHA256}}`. `cargo vendor` makes them (dirs
 * named `NAME` or `NAME-VERSION`), and Debian ships one at /usr/share/cargo/registry.
 *
 * Verification follows Cargo's: the `package` value must equal Cargo.lock's checksum as a string (Cargo
 * copies it into the lockfile verbatim, even Debian's placeholder text), a listed checksum with none in the
 * lockfile (or the reverse) is an error, and every file listed under `files` must still hash the same.
 * The package is read in place: `manifestPath` is the real `DIR/SUBDIR/Cargo.toml`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { parse } from "smol-toml";
import type { LockedPackage } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { sha256Hex } from "./checksum.ts";
import { listFiles } from "./file-walk.ts";
import { packageTreeFilter, pathNixSource } from "./path.ts";
import type { FetchedPackage, Fetcher, NixSource } from "./source.ts";

/** Cargo's bookkeeping inside unpacked packages; not part of the package. */
const BOOKKEEPING = new Set([".cargo-checksum.json", ".cargo-ok"]);

export class DirectoryFetcher implements Fetcher {
  /** `name@version` → subdirectory, filled by scanning when the usual names do not match. */
  private scanned: Map<string, string> | null = null;

  constructor(
    readonly root: string,
    private readonly serves: (pkg: LockedPackage) => boolean,
    /** Directory the flake is generated in: a source inside it is referenced by relative path, no hash. */
    private readonly flakeRoot: string,
  ) {}

  supports(pkg: LockedPackage): boolean {
    return this.serves(pkg);
  }

  /** The subdirectory holding `pkg`, or null. */
  packageDir(pkg: LockedPackage): string | null {
    for (const cand of [`${pkg.name}-${pkg.version}`, pkg.name]) {
      const dir = join(this.root, cand);
      const id = manifestId(join(dir, "Cargo.toml"));
      if (id && id.name === pkg.name && id.version === pkg.version) return dir;
    }
    if (!this.scanned) {
      this.scanned = new Map();
      const entries = existsSync(this.root) ? readdirSync(this.root, { withFileTypes: true }) : [];
      for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (!ent.isDirectory()) continue;
        const id = manifestId(join(this.root, ent.name, "Cargo.toml"));
        if (id) this.scanned.set(`${id.name}@${id.version}`, join(this.root, ent.name));
      }
    }
    return this.scanned.get(`${pkg.name}@${pkg.version}`) ?? null;
  }

  async fetch(pkg: LockedPackage): Promise<FetchedPackage> {
    const dir = this.packageDir(pkg);
    if (!dir) {
      throw new UserError(
        `${pkg.name} ${pkg.version} is not in the directory source ${this.root}; ` +
          "re-run `cargo vendor` or update Cargo.lock",
      );
    }
    const manifestPath = join(dir, "Cargo.toml");
    verifyDirectoryChecksums(pkg, dir);
    const manifestText = readFileSync(manifestPath, "utf8");
    const keep = packageTreeFilter(dir);
    const files = listFiles(dir, (rel, kind) => BOOKKEEPING.has(rel) || !keep(rel, kind));
    return { manifestText, manifestPath, files, nix: dirNixSource(dir, this.flakeRoot) };
  }
}

/** Check `.cargo-checksum.json` of `dir` against the lock entry and the files on disk. */
export function verifyDirectoryChecksums(pkg: LockedPackage, dir: string): void {
  const checksumPath = join(dir, ".cargo-checksum.json");
  let parsed: { package?: string | null; files?: Record<string, string> };
  try {
    parsed = JSON.parse(readFileSync(checksumPath, "utf8"));
  } catch (e) {
    throw new UserError(
      `cannot read the checksums of ${pkg.name} ${pkg.version} (${(e as Error).message}); ` +
        "directory sources need a .cargo-checksum.json",
      checksumPath,
    );
  }
  const listed = parsed.package ?? null;
  if (listed !== null && pkg.checksum === null) {
    throw new UserError(
      `Cargo.lock has no checksum for ${pkg.name} ${pkg.version}, but the directory source lists ${listed}; ` +
        "the lockfile was made for another source: run `cargo update`",
      checksumPath,
    );
  }
  if (listed === null && pkg.checksum !== null) {
    throw new UserError(
      `Cargo.lock has checksum ${pkg.checksum} for ${pkg.name} ${pkg.version}, but the directory source lists ` +
        "none; it cannot be verified (was it vendored from another source?)",
      checksumPath,
    );
  }
  if (listed !== null && listed !== pkg.checksum) {
    throw new UserError(
      `checksum mismatch for ${pkg.name} ${pkg.version}: Cargo.lock has ${pkg.checksum}, but ${checksumPath} ` +
        `lists ${listed}`,
      checksumPath,
    );
  }
  for (const [file, expected] of Object.entries(parsed.files ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(dir, file);
    let actual: string;
    try {
      actual = sha256Hex(readFileSync(path));
    } catch {
      throw new UserError(
        `${pkg.name} ${pkg.version}: ${file} is listed in .cargo-checksum.json but missing; ` +
          "directory sources are not meant to be edited",
        checksumPath,
      );
    }
    if (actual !== expected) {
      throw new UserError(
        `${pkg.name} ${pkg.version}: the checksum of ${file} changed (listed ${expected}, now ${actual}); ` +
          "directory sources are not meant to be edited",
        checksumPath,
      );
    }
  }
}

/**
 * How Nix reaches an unpacked directory: its absolute path (the emitter makes it flake-relative when it
 * is inside the flake), with the NAR hash of the tree Nix will copy when it is outside `flakeRoot`, so it
 * can be copied as a fixed-output path under pure evaluation.
 */
export function dirNixSource(dir: string, flakeRoot: string): NixSource {
  const rel = relative(flakeRoot, dir);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return pathNixSource(dir, !inside);
}

/** `[package] name` and `version` of a manifest, or null when it is missing or has no literal version. */
function manifestId(path: string): { name: string; version: string } | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  try {
    const pkg = (parse(text) as { package?: { name?: unknown; version?: unknown } }).package;
    if (typeof pkg?.name === "string" && typeof pkg.version === "string") {
      return { name: pkg.name, version: pkg.version };
    }
  } catch {
    // A broken manifest in someone else's directory source is not this package's problem.
  }
  return null;
}
