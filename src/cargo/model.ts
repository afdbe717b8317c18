/**
 * The project model: what `load` produces and everything after it reads. Names follow Cargo's own
 * (`PackageId`, `SourceId`, `Dependency`, `Target`). All paths are absolute; all collections are sorted
 * where Cargo sorts them, so that output built from the model is deterministic.
 */

import type { NixSource } from "../sources/source.ts";
import type { LinksOverrides } from "./links-overrides.ts";
import type { RustflagsConfig } from "./rustflags.ts";

/**
 * A package id in Cargo's current spelling: `SOURCE#NAME@VERSION`, e.g.
 * `registry+https://github.com/rust-lang/crates.io-index#serde@1.0.152` or
 * `path+file:///abs/dir#cats@0.1.0`.
 */
export type PackageId = string;

/**
 * Where a package comes from, as Cargo writes it in Cargo.lock `source` and in package ids:
 * `registry+URL`, `sparse+URL`, `git+URL?rev=..#COMMIT`, or `path+file:///DIR` (path sources never
 * appear in Cargo.lock).
 */
export type SourceId = string;

export const CRATES_IO_INDEX = "https://github.com/rust-lang/crates.io-index";
export const CRATES_IO_SOURCE: SourceId = `registry+${CRATES_IO_INDEX}`;

export type DepKind = "normal" | "build" | "dev";

/** Where a manifest dependency asks to be found (before source replacement). */
export type DepSource =
  | {
      kind: "registry" /** `null` is crates.io; otherwise the `[registries]` name */;
      registry: string | null;
      index?: string;
    }
  | { kind: "path" /** absolute directory */; path: string }
  | { kind: "git"; url: string; branch?: string; tag?: string; rev?: string };

/** One entry of a `[dependencies]`-like table, after workspace inheritance. */
export interface Dependency {
  /** The name the depending crate uses (the table key; differs from `package` when renamed). */
  name: string;
  /** The package name on the source (the `package = ` key, else `name`). */
  package: string;
  /** Version requirement as written (`"*"` when none was given). */
  req: string;
  kind: DepKind;
  optional: boolean;
  defaultFeatures: boolean;
  features: string[];
  /** `cfg(...)` expression or target triple of a `[target.X.*dependencies]` table, else null. */
  platform: string | null;
  source: DepSource;
  /** `public = true` (unstable; recorded for the unit graph's `public` field). */
  public: boolean;
  /** The `package` key was written (Cargo's `explicit_name_in_toml`): the extern crate name is `name` with
   * `-` → `_`, even when it equals `package`, instead of the dependency's lib target name. */
  renamed?: boolean;
}

/** A compile target of a package, as `cargo metadata` describes it. */
export interface Target {
  /** `lib`, `rlib`, `dylib`, `cdylib`, `staticlib`, `proc-macro`, `bin`, `example`, `test`, `bench`, `custom-build`. */
  kind: string[];
  crateTypes: string[];
  /** Target name (for a lib: `lib.name`, else the package name with `-` → `_`). */
  name: string;
  /** Absolute path of the crate root file. */
  srcPath: string;
  edition: string;
  requiredFeatures: string[];
  test: boolean;
  doctest: boolean;
  bench: boolean;
  harness: boolean;
  doc: boolean;
}

/** A manifest, read and normalised: inheritance applied, targets discovered. */
export interface Package {
  id: PackageId;
  name: string;
  version: string;
  source: SourceId;
  /** Absolute path of its Cargo.toml. For a package read from a `.crate` archive this is where Cargo would
   * unpack it (the file need not exist); see `sources/`. */
  manifestPath: string;
  edition: string;
  links: string | null;
  /** `[features]`, as written (implicit features of optional deps are NOT added here). */
  features: Record<string, string[]>;
  dependencies: Dependency[];
  targets: Target[];
  /** Fields Cargo exposes to builds as `CARGO_PKG_*`. */
  authors: string[];
  description: string | null;
  homepage: string | null;
  repository: string | null;
  license: string | null;
  licenseFile: string | null;
  readme: string | null;
  rustVersion: string | null;
  /** `[package.metadata.crateflake]`, when present. */
  crateflake: Record<string, unknown> | null;
  /** `[lints]` (or the workspace's, inherited) as the rustc flags Cargo passes for its compiles
   * (`--warn=missing_docs`, `--allow=clippy::all`, ...), in Cargo's order (cargo/lints.ts). */
  lints: string[];
  /** How many `.rs` files the package has: the emitter's guess at its compile work (`rank`, nix/emit.ts). */
  rustFiles: number;
}

/** One `[[package]]` of Cargo.lock. */
export interface LockedPackage {
  name: string;
  version: string;
  /** Absent for path packages. */
  source: SourceId | null;
  /** sha256 hex of the `.crate` archive, registry packages only. */
  checksum: string | null;
  /** References as written: `name`, `name version` or `name version (source)`. */
  dependencies: string[];
  /** `[replace]`d: the reference of the package built in its place (this one is never fetched). */
  replace?: string;
}

export interface Lockfile {
  path: string;
  /** 1 to 4 (1 and 2 have no `version` key; 2 is told from 1 by the absence of `[metadata]`). */
  version: number;
  packages: LockedPackage[];
}

/** `[profile.*]` of the root manifest, the keys crateflake passes to rustc. */
export interface Profile extends Required<Omit<ProfileSettings, "strip">> {
  name: string;
  lto: string;
  panic: string;
  /** `none`, `debuginfo`, `symbols`; null when not set (Cargo decides per unit: see resolve/profile.ts). */
  strip: string | null;
  /** `[profile.NAME.build-override]`: for host units (build scripts, proc-macros and their dependencies). */
  buildOverride: ProfileSettings;
  /** `[profile.NAME.package.<spec>]` by spec as written; `"*"` is every package but the workspace members. */
  packageOverrides: Record<string, ProfileSettings>;
}

/** The profile keys an override table may set (Cargo refuses `panic`, `lto`, `rpath` and `inherits` there). */
export interface ProfileSettings {
  optLevel?: string;
  /** `0`, `1`, `2`, or a name Cargo passes on (`line-tables-only`, ...). */
  debug?: string;
  debugAssertions?: boolean;
  overflowChecks?: boolean;
  codegenUnits?: number | null;
  incremental?: boolean;
  strip?: string;
}

/**
 * A loaded project: one workspace (or one package that is its own workspace), its lockfile, and every
 * package in that lockfile with its dependencies tied to the locked packages Cargo chose.
 */
export interface Project {
  /** Directory of the workspace root manifest. */
  root: string;
  rootManifest: string;
  lockfile: Lockfile;
  resolver: "1" | "2" | "3";
  members: PackageId[];
  defaultMembers: PackageId[];
  /** Every package of the graph, sorted by id. */
  packages: Map<PackageId, Package>;
  /**
   * For each package, for each index into its `dependencies`: the locked package it resolves to, or
   * null when Cargo.lock does not list it (an optional or other-platform dependency that was never needed).
   */
  resolved: Map<PackageId, (PackageId | null)[]>;
  profiles: Record<string, Profile>;
  /**
   * How each package's source reaches Nix: for registry and git packages the `nix` field of the
   * fetcher's FetchedPackage (src/sources/), for path packages `{ kind: "path", path: <absolute dir> }`.
   */
  sources: Map<PackageId, NixSource>;
  /** `[build] target` from `.cargo/config.toml`, if any. */
  configTargets: string[];
  /** `[target.<triple>.<links>]` of `.cargo/config.toml`: the build scripts Cargo does not run. */
  linksOverrides: LinksOverrides;
  /** Where Cargo would take rustflags from (src/cargo/rustflags.ts). */
  rustflags: RustflagsConfig;
  /** `[workspace.metadata.crateflake]`, when present. */
  crateflake: Record<string, unknown> | null;
}

/** `.cargo/config.toml`, merged from the project's directories upward and `$CARGO_HOME/config.toml`. */
export interface CargoConfig {
  /** `[source.NAME]` tables; paths made absolute against the directory holding the `.cargo` folder. */
  sources: Record<
    string,
    {
      replaceWith?: string;
      registry?: string;
      localRegistry?: string;
      directory?: string;
      git?: string;
      branch?: string;
      tag?: string;
      rev?: string;
    }
  >;
  /** `[registries.NAME] index = "..."`. */
  registries: Record<string, { index: string }>;
  /** `[build] target` (a string or a list in Cargo; always a list here). */
  buildTargets: string[];
  /** `[net] offline`. */
  offline: boolean;
  /** `[target.<triple>.<links>]`: build scripts replaced by the config (src/cargo/links-overrides.ts). */
  linksOverrides: LinksOverrides;
  /** Config files read, nearest first. */
  files: string[];
  cargoHome: string;
  /** `[build] rustflags` and `[target.<triple or cfg(...)>] rustflags`, merged as Cargo merges them. */
  rustflags: { build: string[] | null; target: Record<string, string[]> };
  /** Config files whose rustflags were not taken (outside `ConfigOptions.rustflagsWithin`). */
  ignoredRustflags: string[];
}
