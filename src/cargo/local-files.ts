/**
 * The file list target discovery needs for a package on disk: top-level files, `src/` (with `src/bin/`
 * two levels deep), `examples/`, `tests/`, `benches/` two levels deep. Relative, `/`-separated, sorted.
 * Only these places can hold auto-discovered targets, so the rest of the tree (`target/`, ...) is skipped.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export function localFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isFile() || e.isSymbolicLink()) out.push(p);
      else if (e.isDirectory() && depth > 1) walk(p, depth - 1);
    }
  };
  walk("", 1);
  walk("src", 1);
  walk("src/bin", 2);
  for (const d of ["examples", "tests", "benches"]) walk(d, 2);
  return [...new Set(out)].sort();
}
