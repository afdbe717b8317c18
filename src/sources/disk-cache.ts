/**
 * crateflake's own download cache: `.crate` files under `CACHE/crates/`, named by content
 * (`NAME-VERSION-SHA256.crate`), so registries never collide and a file is never served unverified.
 * Written as a temporary file and renamed: an interrupted download leaves no partial file behind.
 */
import { readFile, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic.ts";
import { sha256Hex } from "./checksum.ts";

/** `$XDG_CACHE_HOME/crateflake`, else `~/.cache/crateflake`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg?.startsWith("/") ? xdg : join(homedir(), ".cache"), "crateflake");
}

export class CrateCache {
  constructor(readonly dir: string) {}

  path(name: string, version: string, sha256: string): string {
    return join(this.dir, "crates", `${name}-${version}-${sha256.toLowerCase()}.crate`);
  }

  /** The cached archive, if present and still matching its checksum (a corrupt one is deleted). */
  async get(name: string, version: string, sha256: string): Promise<Buffer | null> {
    const path = this.path(name, version, sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return null;
    }
    if (sha256Hex(bytes) === sha256.toLowerCase()) return bytes;
    await rm(path, { force: true });
    return null;
  }

  async put(name: string, version: string, sha256: string, bytes: Uint8Array): Promise<void> {
    writeFileAtomic(this.path(name, version, sha256), bytes);
  }
}
