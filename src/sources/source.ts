/**
 * The contract every kind of crate source implements (registry download, Cargo's caches, local registry,
 * directory source, vendored directory, git, path). Shaped after Yarn berry's Fetcher: `supports` says
 * whether this source can serve a locked package, `fetch` returns what `load` and the Nix emitter need.
 */
import type { LockedPackage } from "../cargo/model.ts";

/** How the generated Nix gets the package's source tree, verified, without network at evaluation. */
export type NixSource =
  /** A `.crate` archive (tar.gz), fetched by a fixed-output derivation with Cargo.lock's sha256. `file` is
   *  set by the emitter for a `file://` URL (nix/crate-archive.nix then copies the file by its hash). */
  | { kind: "crate"; url: string; sha256: string; file?: string }
  /** A git checkout: `narHash` is `sha256-<base64>` of the tree (NAR serialisation), `subdir` the package. */
  | {
      kind: "git";
      url: string;
      rev: string;
      narHash: string;
      subdir: string;
      /** The tree includes submodules (fetchGit's `submodules = true`); absent means false. */
      submodules?: boolean;
      /** The ref Cargo.lock names (`refs/heads/BRANCH`, `refs/tags/TAG`), for fetchGit's `ref`; absent for the
       * default branch or a `rev`. A rev not reachable from it needs fetchGit's `allRefs = true`. */
      ref?: string;
    }
  /** A directory on disk (path dependency, vendored or directory source). Fetchers and the loader give
   *  absolute paths; the emitter makes those inside the flake flake-relative. `narHash` is set for
   *  directory sources outside the project (Cargo.lock's directory), so they can be copied as fixed-output
   *  paths: it is the hash of the tree nix/source.nix's filter keeps (see sources/path.ts). */
  | { kind: "path"; path: string; narHash?: string };

export interface FetchedPackage {
  /** Text of the package's Cargo.toml (the normalised one from the archive, for registry crates). */
  manifestText: string;
  /** Path to report in errors about that manifest, and the directory its relative paths hang off. */
  manifestPath: string;
  /** Every file of the package, relative to its root, `/`-separated, sorted. Target discovery reads it. */
  files: string[];
  nix: NixSource;
  /**
   * Git packages in a repository workspace: that workspace's root Cargo.toml in the checkout. The
   * inheritance is already written out in `manifestText`; this is for reference (e.g. `cargo metadata`'s
   * workspace of the dependency).
   */
  workspaceRoot?: string;
}

export interface Fetcher {
  /** Can this source serve the locked package (by its `source` and `name`/`version`)? No I/O beyond stat. */
  supports(pkg: LockedPackage): boolean;
  /** Find or download the package, verify it (checksum), and read its manifest and file list. */
  fetch(pkg: LockedPackage): Promise<FetchedPackage>;
}

/**
 * Thrown by `fetch` when a source that looked able to serve a package (by `supports`) turns out not to,
 * e.g. a cached archive whose checksum belongs to another registry: the next source is tried.
 */
export class NotServed extends Error {}
