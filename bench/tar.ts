/**
 * A deterministic `.crate` writer: a gzipped ustar archive with every entry under `NAME-VERSION/`, mtime
 * 0, owner 0, mode 644/755, entries in sorted order. The same files always give the same bytes, hence
 * the same sha256 in the index and in Cargo.lock.
 */
import { gzipSync } from "node:zlib";

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function header(path: string, size: number, type: "0" | "5"): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path longer than 100 bytes: ${path}`);
  const h = Buffer.alloc(512);
  h.write(path, 0, "utf8");
  h.write(octal(type === "5" ? 0o755 : 0o644, 8), 100);
  h.write(octal(0, 8), 108); // uid
  h.write(octal(0, 8), 116); // gid
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136); // mtime
  h.write("        ", 148); // checksum placeholder: eight spaces
  h.write(type, 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

/** The bytes of a `.crate` holding `files` (paths relative to the package root) under `prefix/`. */
export function crateArchive(prefix: string, files: [string, string | Buffer][]): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>([`${prefix}/`]);
  for (const [path] of files) {
    const segs = path.split("/").slice(0, -1);
    for (let i = 1; i <= segs.length; i++) dirs.add(`${prefix}/${segs.slice(0, i).join("/")}/`);
  }
  const entries: [string, Buffer | null][] = [
    ...[...dirs].map((d): [string, null] => [d, null]),
    ...files.map(([p, body]): [string, Buffer] => [
      `${prefix}/${p}`,
      Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"),
    ]),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [path, body] of entries) {
    if (body === null) {
      parts.push(header(path, 0, "5"));
      continue;
    }
    parts.push(header(path, body.length, "0"), body);
    const pad = (512 - (body.length % 512)) % 512;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
