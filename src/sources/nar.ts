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
  const out = new HashWriter(createHash("sha256"));
  out.str("nix-archive-1");
  serialise(out, path, "", opts);
  return `sha256-${out.digest().toString("base64")}`;
}

/** Batches the many small writes of a NAR into large hash updates (most of the cost otherwise). */
class HashWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;

  constructor(private readonly hash: Hash) {}

  bytes(b: Uint8Array): void {
    if (b.length > this.buf.length - this.used) {
      this.flush();
      if (b.length > this.buf.length) {
        this.hash.update(b);
        return;
      }
    }
    this.buf.set(b, this.used);
    this.used += b.length;
  }

  len(n: number): void {
    if (this.buf.length - this.used < 8) this.flush();
    this.buf.writeUInt32LE(n % 0x100000000, this.used);
    this.buf.writeUInt32LE(Math.floor(n / 0x100000000), this.used + 4);
    this.used += 8;
  }

  pad(n: number): void {
    if (n % 8) this.bytes(PAD.subarray(0, 8 - (n % 8)));
  }

  str(s: string | Buffer): void {
    const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
    this.len(b.length);
    this.bytes(b);
    this.pad(b.length);
  }

  /** The contents of a regular file, `size` bytes, read in place into the buffer. */
  file(path: string, size: number): void {
    const fd = openSync(path, "r");
    try {
      let done = 0;
      while (done < size) {
        if (this.used === this.buf.length) this.flush();
        const n = readSync(fd, this.buf, this.used, Math.min(this.buf.length - this.used, size - done), done);
        if (n === 0) throw new Error(`${path} shrank while hashing`);
        this.used += n;
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    this.pad(size);
  }

  flush(): void {
    if (this.used > 0) this.hash.update(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  digest(): Buffer {
    this.flush();
    return this.hash.digest();
  }
}

const PAD = Buffer.alloc(8);

function serialise(out: HashWriter, abs: string, rel: string, opts: NarOptions): void {
  const st = lstatSync(abs);
  out.str("(");
  out.str("type");
  if (st.isSymbolicLink()) {
    out.str("symlink");
    out.str("target");
    out.str(readlinkSync(abs, { encoding: "buffer" }));
  } else if (st.isDirectory()) {
    out.str("directory");
    const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
      Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
    );
    for (const ent of entries) {
      const childRel = rel ? `${rel}/${ent.name}` : ent.name;
      if (opts.filter) {
        const kind = ent.isSymbolicLink() ? "symlink" : ent.isDirectory() ? "directory" : "regular";
        if (!opts.filter(childRel, kind)) continue;
      }
      out.str("entry");
      out.str("(");
      out.str("name");
      out.str(ent.name);
      out.str("node");
      serialise(out, join(abs, ent.name), childRel, opts);
      out.str(")");
    }
  } else if (st.isFile()) {
    out.str("regular");
    if (st.mode & 0o100) {
      out.str("executable");
      out.str("");
    }
    out.str("contents");
    out.len(st.size);
    out.file(abs, st.size);
  } else {
    throw new Error(`cannot put ${abs} in a Nix archive: not a file, directory or symlink`);
  }
  out.str(")");
}
