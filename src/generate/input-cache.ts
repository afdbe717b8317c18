/**
 * The nothing-changed fast path of `generate` and `check`: the inputs a run read (input-trace.ts) and the
 * hashes of the files it computed are kept in `$XDG_CACHE_HOME/crateflake/inputs/<hash of the flake
 * directory>.json` (crateflake's cache directory, not .crateflake/: the entries hold this machine's file
 * stamps and paths, and .crateflake/ is committed). When every recorded input answers the same and the
 * crateflake that wrote the entry is this one, the outputs would be the same: `generate` writes nothing
 * (if the files on disk still hold them) and `check` compares the files with the recorded hashes, both
 * without loading or planning. Anything else is a miss, and the run records a new entry. A file is
 * compared by its stamp (size, times, inode) and, when that differs or was too recent to trust, by its
 * sha256. `--no-cache` plans everything (and records afresh).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultCacheDir } from "../sources/disk-cache.ts";
import {
  type InputRecord,
  observe,
  original,
  sha256,
  stampOf,
  type Trace,
  traceInputs,
} from "./input-trace.ts";

/** Bump when the entry's shape or meaning changes. */
const FORMAT = 1;

interface OutputRecord {
  hash: string;
  stamp: string | null;
}

interface Entry {
  format: number;
  identity: string;
  root: string;
  records: InputRecord[];
  stderr: string;
  notes: string[];
  outputs: Record<string, OutputRecord>;
}

/** How many lookups found every input unchanged, in this process (the tests tell a hit from a miss by it:
 * both print the same). */
export const lookupStats = { hits: 0 };

export interface Hit {
  /** Warnings the recorded run printed, and its notes: printed again, as the full run would. */
  stderr: string;
  notes: string[];
  /** Files that would be written, and whose content on disk differs (or is missing). */
  stale: string[];
}

let identityMemo: string | undefined;
/** Which crateflake this is: the bundle's bytes (dist/crateflake.mjs), or, running from the sources
 * (tsx, the tests), every source file's stamp. The Nix library files are read while tracing, so inputs. */
export function crateflakeIdentity(): string {
  if (identityMemo) return identityMemo;
  const self = fileURLToPath(import.meta.url);
  const h = createHash("sha256");
  if (!self.endsWith(".ts")) h.update(original.readFileSync(self));
  else {
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        const st = statSync(p, { bigint: true });
        if (st.isDirectory()) walk(p);
        else h.update(`${p}\0${st.size}\0${st.mtimeNs}\0${st.ino}\n`);
      }
    };
    walk(dirname(dirname(self)));
  }
  identityMemo = h.digest("hex");
  return identityMemo;
}

export class InputCache {
  readonly file: string;
  constructor(readonly root: string) {
    this.file = join(defaultCacheDir(), "inputs", `${sha256(root)}.json`);
  }

  /** The recorded run, when every input still answers the same; else null. Refreshes stamps that were too
   * recent to trust when recorded, so the next lookup need not hash those files. */
  lookup(): Hit | null {
    let entry: Entry;
    try {
      entry = JSON.parse(original.readFileSync(this.file, "utf8") as string) as Entry;
    } catch {
      return null;
    }
    if (entry.format !== FORMAT || entry.root !== this.root || entry.identity !== crateflakeIdentity())
      return null;
    let restamped = false;
    for (const r of entry.records) {
      if (r.kind === "read") {
        const now = stampOf(r.path);
        if (now !== null && now === r.stamp) continue;
        if (observe("read", r.path) !== r.value) return null;
        if (now !== null) {
          r.stamp = now;
          restamped = true;
        }
      } else if (observe(r.kind, r.path) !== r.value) return null;
    }
    const stale: string[] = [];
    for (const [rel, out] of Object.entries(entry.outputs)) {
      const path = join(this.root, rel);
      const now = stampOf(path);
      if (now !== null && now === out.stamp) continue;
      if (observe("read", path) !== out.hash) stale.push(rel);
      else if (now !== null) {
        out.stamp = now;
        restamped = true;
      }
    }
    if (restamped) this.save(entry);
    lookupStats.hits++;
    return { stderr: entry.stderr, notes: entry.notes, stale: stale.sort() };
  }

  /** The outputs' stamps, taken before they are compared with (or written over) what is on disk. */
  stamps(files: Map<string, string>): Map<string, string | null> {
    return new Map([...files.keys()].map((rel) => [rel, stampOf(join(this.root, rel))]));
  }

  /**
   * Record a run: what it read, what it printed, and the hashes of the files it computed. `before` holds
   * the files' stamps from before they were compared with the disk, `stale` the ones that did not hold
   * (and were not written); a file keeps a stamp only when it held and its stamp did not move meanwhile.
   * A trace that cannot be replayed records nothing (the old entry no longer matches anyway).
   */
  record(
    trace: Trace,
    notes: string[],
    files: Map<string, string>,
    before: Map<string, string | null>,
    stale: string[],
  ): void {
    if (trace.untraceable) return;
    const notHolding = new Set(stale);
    const outputs: Record<string, OutputRecord> = {};
    for (const [rel, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const stamp = stampOf(join(this.root, rel));
      const held = !notHolding.has(rel) && stamp !== null && stamp === before.get(rel);
      outputs[rel] = { hash: sha256(text), stamp: held ? stamp : null };
    }
    this.save({
      format: FORMAT,
      identity: crateflakeIdentity(),
      root: this.root,
      records: trace.records,
      stderr: trace.stderr,
      notes,
      outputs,
    });
  }

  /** Written without fsync: a torn entry does not parse, which is a miss. */
  private save(entry: Entry): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written (read-only home) only costs time.
    }
  }
}

/** Run `fn` traced when there is a cache to record into, plainly otherwise. */
export async function maybeTraced<T>(
  cache: InputCache | null,
  fn: () => Promise<T>,
): Promise<{ result: T; trace: Trace | null }> {
  if (!cache) return { result: await fn(), trace: null };
  return traceInputs(fn);
}
