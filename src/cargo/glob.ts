/**
 * The glob patterns Cargo accepts in `workspace.members` (`*`, `?`, `[abc]` within one path segment),
 * expanded against the directory tree. Matches are returned sorted, as Cargo's glob crate yields them.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Directories matching `pattern` (relative to `base`), absolute, sorted. */
export function expandDirGlob(base: string, pattern: string): string[] {
  let current = [base];
  for (const seg of pattern.split("/").filter((s) => s !== "" && s !== ".")) {
    const next: string[] = [];
    for (const dir of current) {
      if (!hasGlob(seg)) {
        const p = join(dir, seg);
        if (existsSync(p)) next.push(p);
        continue;
      }
      const re = segmentRegExp(seg);
      let entries: string[] = [];
      try {
        entries = readdirSync(dir).sort();
      } catch {
        continue;
      }
      // Cargo's glob options let `*` match a leading dot too.
      for (const e of entries) if (re.test(e)) next.push(join(dir, e));
    }
    current = next;
  }
  return current.filter((p) => statSync(p).isDirectory()).sort();
}

export function segmentRegExp(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = seg.slice(i + 1, end).replace(/^!/, "^");
        re += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
