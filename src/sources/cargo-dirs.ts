/**
 * The directory names Cargo gives a registry under `$CARGO_HOME/registry/{index,cache,src}/`:
 * `HOST-HASH`, where HASH is Cargo's `short_hash` of the source id. Cargo ≥ 1.85 hashes with
 * SipHash-1-3-128 (rustc-stable-hash; `isize` written as one byte when < 0xff, a `str` as its bytes then
 * 0xff, finished as `h0 * 3 + h1`); older Cargo with SipHash-2-4 (64-bit, `isize` as 8 bytes). Checked
 * against Cargo's own names: `index.crates.io-1949cf8c6b5b557f`, `github.com-1ecc6299db9ec823`.
 */
import { join } from "node:path";
import { CRATES_IO_GIT_INDEX, CRATES_IO_SPARSE_INDEX, isCratesIo, type ParsedSourceId } from "./source-id.ts";

const MASK = (1n << 64n) - 1n;

/** `cargo::core::SourceKind` discriminants, the first thing hashed. Git is 0 and carries a reference. */
const KIND_DISCRIMINANT = { path: 1, registry: 2, sparse: 3, "local-registry": 4, directory: 5 } as const;

export type RegistryKind = keyof typeof KIND_DISCRIMINANT;

/** `$CARGO_HOME/registry/src/<name>` of current Cargo, where it unpacks `.crate` files of this source. */
export function cargoRegistrySrcDir(cargoHome: string, kind: RegistryKind, url: string): string {
  return join(cargoHome, "registry", "src", cargoRegistryDirName(kind, url));
}

/** The `HOST-HASH` directory name, for current Cargo (`legacy` false) or Cargo before 1.85. */
export function cargoRegistryDirName(kind: RegistryKind, url: string, legacy = false): string {
  const hashedUrl = kind === "sparse" ? `sparse+${url}` : url;
  let host = "";
  try {
    host = new URL(url).hostname;
  } catch {
    // A path-like URL has no host; Cargo then writes an empty one (`-HASH`).
  }
  const discriminant = KIND_DISCRIMINANT[kind];
  const strBytes = [...Buffer.from(hashedUrl, "utf8"), 0xff];
  let hash: bigint;
  if (legacy) {
    const disc = Buffer.alloc(8);
    disc.writeBigInt64LE(BigInt(discriminant));
    hash = sipHash([...disc, ...strBytes], 2, 4, false)[0];
  } else {
    const [h0, h1] = sipHash([discriminant, ...strBytes], 1, 3, true);
    hash = (h0 * 3n + h1) & MASK;
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(hash);
  return `${host}-${out.toString("hex")}`;
}

/**
 * The directory names Cargo may have used for a registry source, the current one first. crates.io is
 * special: Cargo ≥ 1.70 reads it over the sparse protocol even when Cargo.lock spells it with the git
 * index URL, so its files live under `index.crates.io-*`; older Cargo used `github.com-1ecc6299db9ec823`.
 */
export function cargoRegistryDirNames(id: ParsedSourceId): string[] {
  if (id.kind === "git") return [];
  if (isCratesIo(id)) {
    return [
      cargoRegistryDirName("sparse", CRATES_IO_SPARSE_INDEX),
      cargoRegistryDirName("sparse", CRATES_IO_SPARSE_INDEX, true),
      cargoRegistryDirName("registry", CRATES_IO_GIT_INDEX, true),
    ];
  }
  return [cargoRegistryDirName(id.kind, id.url), cargoRegistryDirName(id.kind, id.url, true)];
}

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

function sipRound(v: bigint[]): void {
  v[0] = (v[0] + v[1]) & MASK;
  v[1] = rotl(v[1], 13n) ^ v[0];
  v[0] = rotl(v[0], 32n);
  v[2] = (v[2] + v[3]) & MASK;
  v[3] = rotl(v[3], 16n) ^ v[2];
  v[0] = (v[0] + v[3]) & MASK;
  v[3] = rotl(v[3], 21n) ^ v[0];
  v[2] = (v[2] + v[1]) & MASK;
  v[1] = rotl(v[1], 17n) ^ v[2];
  v[2] = rotl(v[2], 32n);
}

/** SipHash-c-d with keys (0, 0); 64-bit or 128-bit output. BigInt is plenty fast for a few short strings. */
export function sipHash(bytes: number[], c: number, d: number, out128: boolean): bigint[] {
  const v = [0x736f6d6570736575n, 0x646f72616e646f6dn, 0x6c7967656e657261n, 0x7465646279746573n];
  if (out128) v[1] ^= 0xeen;
  const n = bytes.length;
  const end = n - (n % 8);
  const buf = Buffer.from(bytes);
  const compress = (m: bigint) => {
    v[3] ^= m;
    for (let r = 0; r < c; r++) sipRound(v);
    v[0] ^= m;
  };
  for (let i = 0; i < end; i += 8) compress(buf.readBigUInt64LE(i));
  let last = BigInt(n & 0xff) << 56n;
  for (let i = end; i < n; i++) last |= BigInt(buf[i]) << BigInt(8 * (i - end));
  compress(last);
  v[2] ^= out128 ? 0xeen : 0xffn;
  for (let r = 0; r < d; r++) sipRound(v);
  const h0 = v[0] ^ v[1] ^ v[2] ^ v[3];
  if (!out128) return [h0];
  v[1] ^= 0xddn;
  for (let r = 0; r < d; r++) sipRound(v);
  return [h0, v[0] ^ v[1] ^ v[2] ^ v[3]];
}
