/**
 * Reading a `.crate` archive (a gzipped tar whose entries all live under `NAME-VERSION/`) in memory: the
 * normalised Cargo.toml and the list of files. Nothing is unpacked to disk; the source tree itself reaches
 * Nix through the archive's URL and checksum.
 */
import { gunzipSync } from "node:zlib";
import { UserError } from "../errors.ts";

export interface CrateContents {
  manifestText: string;
  /** Files relative to the package root, sorted (byte order, as Cargo sorts paths). */
  files: string[];
}

/** Read `bytes` (a `.crate` file) of package `name` `version`. `label` names the archive in errors. */
export async function readCrateArchive(
  bytes: Uint8Array,
  name: string,
  version: string,
  label: string,
): Promise<CrateContents> {
  const prefix = `${name}-${version}/`;
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch (e) {
    throw new UserError(`${label} is not a gzip archive (${(e as Error).message})`);
  }
  const files: string[] = [];
  let manifestText: string | null = null;
  // Loaded on first use: most runs find every archive in the contents cache, and it costs ~25 ms to load.
  const { extract } = await import("tar-stream");
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on("entry", (header, stream, next) => {
      const path = header.name.replace(/^\.\//, "");
      const chunks: Buffer[] = [];
      const isManifest = path === `${prefix}Cargo.toml`;
      stream.on("data", (c: unknown) => {
        if (isManifest) chunks.push(c as Buffer);
      });
      stream.on("end", () => {
        if (header.type === "file" || header.type === "symlink" || header.type === "contiguous-file") {
          if (!path.startsWith(prefix)) {
            reject(new UserError(`${label}: entry ${path} is outside ${prefix}`));
            return;
          }
          files.push(path.slice(prefix.length));
          if (isManifest) manifestText = Buffer.concat(chunks).toString("utf8");
        }
        next();
      });
      stream.on("error", reject);
    });
    ex.on("finish", () => resolve());
    ex.on("error", (e: Error) => reject(new UserError(`${label} is not a valid tar archive (${e.message})`)));
  });
  ex.end(tar);
  await done;
  if (manifestText === null) throw new UserError(`${label} has no ${prefix}Cargo.toml`);
  return { manifestText, files: sortPaths(files) };
}

/** Sort paths by their UTF-8 bytes, the order Cargo and Nix use (not locale order). */
export function sortPaths(paths: string[]): string[] {
  return [...new Set(paths)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
