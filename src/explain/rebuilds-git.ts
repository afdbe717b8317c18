/**
 * What `rebuilds` reads from git: a file at a revision, and the files changed since it in the working
 * tree (tracked files only: a flake in a git repository sees no untracked file), attributed to the path
 * packages whose source tree (nix/source.nix) holds them.
 */
import { spawnSync } from "node:child_process";
import { isAbsolute, join } from "node:path";
/** Files at the flake root that source.nix leaves out of every path source (the list it reads). */
import OWN_FILES from "../../nix/own-files.json" with { type: "json" };
import { UserError } from "../errors.ts";
import type { NixData } from "../nix/data.ts";
import { packageTreeFilter } from "../sources/path.ts";

function git(root: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.error) throw new UserError(`cannot run git: ${r.error.message}`, root);
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim().split("\n")[0] ?? "" };
}

/** `rev` as a commit, or a one-line error naming the directory. */
export function checkRevision(root: string, rev: string): void {
  const r = git(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  if (!r.ok) throw new UserError(`\`${rev}\` is not a git revision here (give one, or --data FILE)`, root);
}

/** The text of `path` (relative to `root`) at `rev`, or null when the revision has no such file. */
export function showAt(root: string, rev: string, path: string): string | null {
  const r = git(root, ["show", `${rev}:./${path}`]);
  return r.ok ? r.out : null;
}

/** Tracked files that differ between `rev` and the working tree, relative to `root`. */
export function changedSince(root: string, rev: string): string[] {
  const r = git(root, ["diff", "--name-only", "--no-renames", "--relative", "-z", rev, "--", "."]);
  if (!r.ok) throw new UserError(`git diff ${rev} failed: ${r.err}`, root);
  return r.out.split("\0").filter((f) => f !== "");
}

/**
 * Package key → its changed files (relative to the package root), for each path package inside the flake,
 * keeping only what nix/source.nix puts in its source: no target/, .git, result links, generated flake
 * files, nor files of a nested package (below another directory holding a Cargo.toml).
 */
export function sourceEdits(root: string, data: NixData, changed: string[]): Map<string, string[]> {
  const edits = new Map<string, string[]>();
  for (const [key, pkg] of Object.entries(data.packages)) {
    const s = pkg.source;
    if (s.kind !== "path" || isAbsolute(s.path)) continue;
    const prefix = s.path === "." ? "" : `${s.path}/`;
    const files = changed
      .filter((f) => f.startsWith(prefix))
      .map((f) => f.slice(prefix.length))
      .filter((f) => inSource(root, prefix, f));
    if (files.length > 0) edits.set(key, files.sort());
  }
  return edits;
}

function inSource(root: string, prefix: string, file: string): boolean {
  if (prefix === "" && OWN_FILES.some((g) => file === g || file.startsWith(`${g}/`))) return false;
  const keep = packageTreeFilter(join(root, prefix));
  const parts = file.split("/");
  for (let i = 1; i < parts.length; i++) if (!keep(parts.slice(0, i).join("/"), "directory")) return false;
  return true;
}
