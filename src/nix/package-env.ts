/** The `CARGO_PKG_*` values Cargo gives rustc and build scripts, from a package's manifest. */
import type { Package } from "../cargo/model.ts";

export function packageEnv(pkg: Package): Record<string, string> {
  // Cargo splits the version at the first `-` (pre-release) and drops `+build` metadata.
  const core = pkg.version.replace(/\+.*$/, "");
  const dash = core.indexOf("-");
  const [major = "", minor = "", patch = ""] = (dash < 0 ? core : core.slice(0, dash)).split(".");
  return {
    AUTHORS: pkg.authors.join(":"),
    DESCRIPTION: pkg.description ?? "",
    HOMEPAGE: pkg.homepage ?? "",
    LICENSE: pkg.license ?? "",
    LICENSE_FILE: pkg.licenseFile ?? "",
    NAME: pkg.name,
    README: pkg.readme ?? "",
    REPOSITORY: pkg.repository ?? "",
    RUST_VERSION: pkg.rustVersion ?? "",
    VERSION: pkg.version,
    VERSION_MAJOR: major,
    VERSION_MINOR: minor,
    VERSION_PATCH: patch,
    VERSION_PRE: dash < 0 ? "" : core.slice(dash + 1),
  };
}
