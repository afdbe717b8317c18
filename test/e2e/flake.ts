/**
 * A generated flake driven from its directory with the stand-in inputs (test/stand-in/): thin wrappers
 * over test/nix/support.ts in the (dir, args) order the flake-level tests use.
 */
import { copyDir, nixBuild as nixBuildIn, nix as nixIn, overrideInputs, wouldBuild } from "../nix/support.ts";

/** `nix ARGS --override-input ...` in the flake directory. */
export function nix(dir: string, args: string[]) {
  const r = nixIn([...args, ...overrideInputs], dir);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Build one flake attribute; returns its output path (retrying only builders killed from outside). */
export const nixBuild = (dir: string, attr: string): string => nixBuildIn(dir, attr);

/** The derivations `nix build` would still build for an attribute. */
export const toBuild = (dir: string, attr: string): string[] => wouldBuild(dir, attr);

export const copyTree = copyDir;
