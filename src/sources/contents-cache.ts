/**
 * What crateflake reads from a `.crate` archive (its Cargo.toml and file list), kept on disk as
 * `CACHE/crate-contents/v1/NAME-VERSION-SHA256.json`. Callers verify the archive's sha256 first and the
 * entry is keyed by it, so an entry is never stale: it only saves the gunzip and the tar walk on later runs
 * (Cargo keeps its unpacked `registry/src/` for the same reason). A missing, corrupt or unwritable cache
 * only means reading the archive again.
 *
 * An entry also records the archive file it was last verified against, by its stamp (device, inode,
 * size, mtime and ctime in nanoseconds). While the file keeps that stamp its bytes are the verified
 * ones: any write changes the ctime, which no user can set back (a file written in the last seconds gets
 * no stamp, see `archiveStamp`). Then the archive is not even read, as Cargo trusts its unpacked
 * `registry/src/` once `.cargo-ok` is there.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic.ts";
import { type CrateContents, readCrateArchive } from "./crate-archive.ts";

/** An archive file as it was when its sha256 was verified (see the top of this file). */
export interface VerifiedArchive {
  path: string;
  stamp: string;
}

interface Entry extends CrateContents {
  verified?: VerifiedArchive;
}

/** How long a written file's timestamps may still repeat: file systems stamp times in steps (2 s on FAT,
 * a clock tick elsewhere), so a file written twice within one step keeps its stamp (git's "racy" files). */
const RACY_MS = 2000n;

/** The archive's stamp, taken before reading it; null when it cannot be stat'ed, or was written too
 * recently (before `now` − RACY_MS) for its stamp to show a further write. */
export function archiveStamp(path: string, now = Date.now()): string | null {
  try {
    const s = statSync(path, { bigint: true });
    if (BigInt(now) - s.ctimeMs < RACY_MS || BigInt(now) - s.mtimeMs < RACY_MS) return null;
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

export class CrateContentsCache {
  /** `dir`: crateflake's cache directory, or null for no cache. */
  constructor(private readonly dir: string | null) {}

  private entryPath(name: string, version: string, sha256: string): string | null {
    return (
      this.dir && join(this.dir, "crate-contents", "v1", `${name}-${version}-${sha256.toLowerCase()}.json`)
    );
  }

  /** The contents of the archive at `archive.path` whose sha256 Cargo.lock says is `sha256`, when the
   * file still has the stamp it had when that was verified; null means: read and verify it. */
  verified(archive: VerifiedArchive, name: string, version: string, sha256: string): CrateContents | null {
    const path = this.entryPath(name, version, sha256);
    const entry = path ? readEntry(path) : null;
    return entry && sameArchive(entry.verified, archive) ? contentsOf(entry) : null;
  }

  /** The contents of `bytes` (the archive of `name` `version`, whose sha256 the caller has verified);
   * `archive`: the file they were read from, stamped before reading, for `verified` to find next time. */
  async read(
    bytes: Uint8Array,
    name: string,
    version: string,
    sha256: string,
    label: string,
    archive?: VerifiedArchive | null,
  ): Promise<CrateContents> {
    const path = this.entryPath(name, version, sha256);
    return this.store(path, path ? readEntry(path) : null, bytes, name, version, label, archive ?? null);
  }

  /**
   * The contents of the archive file `file`, whose sha256 Cargo.lock says is `sha256`: from the entry while
   * the file keeps its verified stamp, else from the bytes `load` reads and verifies (null when they are
   * not this archive, and then so is the answer). The entry is read once either way.
   */
  async fromFile(
    file: string,
    name: string,
    version: string,
    sha256: string,
    load: () => Promise<Uint8Array | null>,
  ): Promise<CrateContents | null> {
    const stamp = archiveStamp(file);
    const archive = stamp === null ? null : { path: file, stamp };
    const path = this.entryPath(name, version, sha256);
    const entry = path ? readEntry(path) : null;
    if (archive && entry && sameArchive(entry.verified, archive)) return contentsOf(entry);
    const bytes = await load();
    return bytes && this.store(path, entry, bytes, name, version, file, archive);
  }

  /** The entry's contents, else the archive's; the entry is (re)written when missing or when it does not
   * name `archive` as verified. */
  private async store(
    path: string | null,
    entry: Entry | null,
    bytes: Uint8Array,
    name: string,
    version: string,
    label: string,
    archive: VerifiedArchive | null,
  ): Promise<CrateContents> {
    const contents = entry ? contentsOf(entry) : await readCrateArchive(bytes, name, version, label);
    const stale = !entry || (archive !== null && !sameArchive(entry.verified, archive));
    if (path && stale) writeEntry(path, archive ? { ...contents, verified: archive } : contents);
    return contents;
  }
}

function sameArchive(a: VerifiedArchive | undefined, b: VerifiedArchive): boolean {
  return a?.path === b.path && a.stamp === b.stamp;
}

function contentsOf(entry: Entry): CrateContents {
  return { manifestText: entry.manifestText, files: entry.files };
}

function readEntry(path: string): Entry | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8"));
    if (typeof v?.manifestText !== "string" || !Array.isArray(v.files)) return null;
    const ok = typeof v.verified?.path === "string" && typeof v.verified.stamp === "string";
    return { manifestText: v.manifestText, files: v.files, ...(ok ? { verified: v.verified } : {}) };
  } catch {
    // absent or unreadable: read the archive
  }
  return null;
}

function writeEntry(path: string, entry: Entry): void {
  try {
    writeFileAtomic(path, JSON.stringify(entry));
  } catch {
    // an unwritable cache only costs reading the archive next time
  }
}
