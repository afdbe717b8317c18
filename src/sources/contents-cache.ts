/**
 * What crateflake reads from a `.crate` archive (its Cargo.toml and file list), kept on disk as
 * `CACHE/crate-contents/v1/NAME-VERSION-SHA256.json`. Callers verify the archive's sha256 first and the
 * entry is keyed by it, so an entry is never stale: it only saves the gunzip and the tar walk on later runs
 * (Cargo keeps its unpacked `registry/src/` for the same reason). A missing, corrupt or unwritable cache
 * only means reading the archive again.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic.ts";
import { type CrateContents, readCrateArchive } from "./crate-archive.ts";

export class CrateContentsCache {
  /** `dir`: crateflake's cache directory, or null for no cache. */
  constructor(private readonly dir: string | null) {}

  /** The contents of `bytes` (the archive of `name` `version`, whose sha256 the caller has verified). */
  async read(
    bytes: Uint8Array,
    name: string,
    version: string,
    sha256: string,
    label: string,
  ): Promise<CrateContents> {
    const path =
      this.dir && join(this.dir, "crate-contents", "v1", `${name}-${version}-${sha256.toLowerCase()}.json`);
    if (path) {
      const cached = readEntry(path);
      if (cached) return cached;
    }
    const contents = await readCrateArchive(bytes, name, version, label);
    if (path) writeEntry(path, contents);
    return contents;
  }
}

function readEntry(path: string): CrateContents | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8"));
    if (typeof v?.manifestText === "string" && Array.isArray(v.files)) return v;
  } catch {
    // absent or unreadable: read the archive
  }
  return null;
}

function writeEntry(path: string, contents: CrateContents): void {
  try {
    writeFileAtomic(path, JSON.stringify(contents));
  } catch {
    // an unwritable cache only costs reading the archive next time
  }
}
