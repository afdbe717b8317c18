/**
 * A copy of a local registry with one more version of one crate: the same sources under a bumped version,
 * so a benchmark can `cargo update -p NAME --precise NEW` offline, as a user bumps a dependency. The
 * `.crate` files are hard links; the index is copied; the new `.crate` is packed deterministically.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  cpSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { indexPath } from "./synthetic-files.ts";
import { crateArchive } from "./tar.ts";

function filesUnder(dir: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push([relative(dir, p), readFileSync(p)]);
    }
  };
  walk(dir);
  return out;
}

/** `to`: the new versions (each one a new `.crate` and index line). */
export function registryWithBump(base: string, out: string, name: string, from: string, to: string[]): void {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(base)) if (f.endsWith(".crate")) linkSync(join(base, f), join(out, f));
  cpSync(join(base, "index"), join(out, "index"), { recursive: true });

  const scratch = mkdtempSync(join(tmpdir(), "crateflake-bump-"));
  try {
    execFileSync("tar", ["xzf", join(base, `${name}-${from}.crate`), "-C", scratch]);
    const sources = filesUnder(join(scratch, `${name}-${from}`));
    const indexFile = join(out, "index", indexPath(name));
    const lines = readFileSync(indexFile, "utf8").trim().split("\n");
    for (const version of to) {
      const files = sources.map(([p, body]): [string, Buffer] => {
        if (p !== "Cargo.toml") return [p, body];
        const text = body
          .toString("utf8")
          .replace(new RegExp(`^version = "${from.replace(/\./g, "\\.")}"$`, "m"), `version = "${version}"`);
        return [p, Buffer.from(text, "utf8")];
      });
      const bytes = crateArchive(`${name}-${version}`, files);
      writeFileSync(join(out, `${name}-${version}.crate`), bytes);
      const entry = JSON.parse(lines.find((l) => JSON.parse(l).vers === from)!);
      entry.vers = version;
      entry.cksum = createHash("sha256").update(bytes).digest("hex");
      appendFileSync(indexFile, `${JSON.stringify(entry)}\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
