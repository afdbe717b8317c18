/**
 * Path packages are read by the loader from disk; this is how Nix gets them: the directory, without
 * build output and VCS data (`target/`, `.git`, Nix's `result*` links), which change without the source
 * changing. `pathSourceFilter` is the same rule the emitted `builtins.path { filter = ...; }` must apply.
 */
import type { NarOptions } from "./nar.ts";
import { narHash } from "./nar.ts";
import type { NixSource } from "./source.ts";

/** Keep this entry (relative, `/`-separated) of a path package? */
export function pathSourceFilter(rel: string, kind: "regular" | "directory" | "symlink"): boolean {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  if (base === ".git") return false;
  if (kind === "directory" && rel === "target") return false;
  if (kind === "symlink" && /^result(-.*)?$/.test(base) && !rel.includes("/")) return false;
  return true;
}

/** `{ kind: "path" }` for a local package directory; `withHash` adds the NAR hash of the filtered tree. */
export function pathNixSource(dir: string, withHash = false): NixSource {
  if (!withHash) return { kind: "path", path: dir };
  const opts: NarOptions = { filter: pathSourceFilter };
  return { kind: "path", path: dir, narHash: narHash(dir, opts) };
}
