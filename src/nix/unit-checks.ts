/**
 * What the Nix output needs of a unit that Cargo checks only at build time, or not at all: its crate root
 * inside its own package (a package is built from its own directory, so `lib.path = "../../etc/passwd"`
 * or an absolute path cannot be built, and must not reach the build as `$src/../..`), a target name that
 * is a valid crate name, and names short enough for a Nix store path (at most 211 characters).
 * Failures are UserErrors naming the package's manifest.
 */
import { UserError } from "../errors.ts";

const MAX_DERIVATION_NAME = 200;

/** The crate root, relative to the package root and `/`-separated, checked to stay inside it. */
export function checkedCrateRoot(
  rel: string,
  targetName: string,
  srcPath: string,
  manifestPath: string,
): string {
  const parts = rel.split("/");
  if (rel === "" || rel.startsWith("/") || /^[A-Za-z]:/.test(rel) || parts.includes(".."))
    throw new UserError(
      `target \`${targetName}\` has its crate root ${srcPath} outside the package directory: Nix builds each package from its own directory, so move the file inside it`,
      manifestPath,
    );
  return rel;
}

/** A target's crate name must be what rustc accepts (letters, digits, `_`), and the derivation name short. */
export function checkUnitNames(
  pkg: { name: string; version: string; manifestPath: string },
  targetName: string,
  crateName: string,
): void {
  if (!/^[\p{L}\p{N}_]+$/u.test(crateName))
    throw new UserError(
      `target name ${JSON.stringify(targetName.length > 80 ? `${targetName.slice(0, 77)}...` : targetName)} is not a valid crate name: rustc accepts letters, digits, \`_\` and \`-\` only`,
      pkg.manifestPath,
    );
  const drvName = `rust-0000-${pkg.name}-${pkg.version}-bin-${targetName}`;
  if (drvName.length > MAX_DERIVATION_NAME)
    throw new UserError(
      `package \`${pkg.name.length > 40 ? `${pkg.name.slice(0, 37)}...` : pkg.name}\`: its name, version and target name make a ${drvName.length}-character Nix derivation name; Nix store names are limited to 211 characters`,
      pkg.manifestPath,
    );
}
