/**
 * Nix's NAR serialisation of a file tree, hashed with sha256 in a stream: the `narHash` a fixed-output
 * path (`builtins.path`, `fetchGit`, flake inputs) must declare. Equals `nix hash path DIR`
 * (`sha256-BASE64`). Rules (Nix's `archive.cc`): entries sorted by name bytes, a file is executable when
 * its owner-execute bit is set, symlinks are stored as their target, nothing else (times, modes) counts.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import { join } from "node:path";

export interface NarOptions {
  /** Keep an entry? `rel` is `/`-separated relative to the root; return false to leave it (and its subtree) out. */
  filter?: (rel: string, kind: "regular" | "directory" | "symlink") => boolean;
}

/** `sha256-BASE64` of the NAR of `path`. Synchronous I/O: it is a tight loop over many small files. */
export function narHash(path: string, opts: NarOptions = {}): string {
  const hash = createHash("sha256");
  writeStr(hash, "nix-archive-1");
  serialise(hash, path, "", opts);
  return `sha256-${hash.digest("base64")}`;
}

const PAD = Buffer.alloc(8);

function writeLen(hash: Hash, n: number): void {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  hash.update(b);
}

function writeStr(hash: Hash, s: string | Buffer): void {
  const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  writeLen(hash, b.length);
  hash.update(b);
  if (b.length % 8) hash.update(PAD.subarray(0, 8 - (b.length % 8)));
}

function serialise(hash: Hash, abs: string, rel: string, opts: NarOptions): void {
  const st = lstatSync(abs);
  writeStr(hash, "(");
  writeStr(hash, "type");
  if (st.isSymbolicLink()) {
    writeStr(hash, "symlink");
    writeStr(hash, "target");
    writeStr(hash, readlinkSync(abs, { encoding: "buffer" }));
  } else if (st.isDirectory()) {
    writeStr(hash, "directory");
    const names = readdirSync(abs).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      if (opts.filter) {
        const cst = lstatSync(childAbs);
        const kind = cst.isSymbolicLink() ? "symlink" : cst.isDirectory() ? "directory" : "regular";
        if (!opts.filter(childRel, kind)) continue;
      }
      writeStr(hash, "entry");
      writeStr(hash, "(");
      writeStr(hash, "name");
      writeStr(hash, name);
      writeStr(hash, "node");
      serialise(hash, childAbs, childRel, opts);
      writeStr(hash, ")");
    }
  } else if (st.isFile()) {
    writeStr(hash, "regular");
    if (st.mode & 0o100) {
      writeStr(hash, "executable");
      writeStr(hash, "");
    }
    writeStr(hash, "contents");
    writeLen(hash, st.size);
    hashFile(hash, abs, st.size);
    if (st.size % 8) hash.update(PAD.subarray(0, 8 - (st.size % 8)));
  } else {
    throw new Error(`cannot put ${abs} in a Nix archive: not a file, directory or symlink`);
  }
  writeStr(hash, ")");
}

const CHUNK = Buffer.alloc(1 << 20);

function hashFile(hash: Hash, path: string, size: number): void {
  const fd = openSync(path, "r");
  try {
    let done = 0;
    while (done < size) {
      const n = readSync(fd, CHUNK, 0, CHUNK.length, done);
      if (n === 0) throw new Error(`${path} shrank while hashing`);
      hash.update(CHUNK.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}
