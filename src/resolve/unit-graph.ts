/**
 * The unit graph in the schema of `cargo +nightly build --unit-graph -Z unstable-options` (version 1).
 * `crateflake plan` prints it, the Nix emitter and `why`/`graph` read it; Cargo's own output parses into
 * the same types, which is what the comparison tests rely on.
 */
import type { PackageId } from "../cargo/model.ts";

export interface UnitTarget {
  /** `lib`, `rlib`, `cdylib`, `proc-macro`, `bin`, `example`, `test`, `bench`, `custom-build`, ... */
  kind: string[];
  crate_types: string[];
  name: string;
  src_path: string;
  edition: string;
  test?: boolean;
  doctest?: boolean;
  doc?: boolean;
  required_features?: string[];
}

export interface UnitDep {
  /** Index into `units`. */
  index: number;
  /** The name the dependent uses in `--extern NAME=...` (renames applied, `-` → `_`). */
  extern_crate_name: string;
  public: boolean;
  noprelude: boolean;
}

export interface UnitProfile {
  name: string;
  opt_level: string;
  lto: string;
  codegen_units: number | null;
  debuginfo: number | string | null;
  debug_assertions: boolean;
  overflow_checks: boolean;
  rpath: boolean;
  incremental: boolean;
  panic: string;
  strip?: unknown;
  [key: string]: unknown;
}

/** `build` (compile), `run-custom-build` (run a build script), `test`, `doctest`, `doc`, `check`. */
export type UnitMode = "build" | "run-custom-build" | "test" | "doctest" | "doc" | "check";

export interface Unit {
  pkg_id: PackageId;
  target: UnitTarget;
  profile: UnitProfile;
  /** Target triple, or null for the host (`CompileKind::Host`). */
  platform: string | null;
  mode: UnitMode;
  /** Activated features, sorted. */
  features: string[];
  /** Set on proc-macros and their dependencies' host units in some Cargo versions; optional here. */
  is_std?: boolean;
  dependencies: UnitDep[];
}

export interface UnitGraph {
  version: 1;
  units: Unit[];
  /** Indices of the root units (what `cargo build` was asked for). */
  roots: number[];
}
