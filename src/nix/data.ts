/**
 * The data file the Nix library (`nix/*.nix`) builds from: `.crateflake/data.json`, read with
 * `builtins.fromJSON` (measured about 2x faster to evaluate than an equivalent Nix attrset literal, and
 * JSON's own escaping means nothing from a manifest can inject Nix code).
 *
 * Everything here is relative to the flake root or to a package root: no absolute path of the flake's own
 * tree, so the bytes are the same on every machine. Keys are sorted when written (see `emit.ts`).
 *
 * A unit's key is a hash of everything that determines its output (package, target, mode, platform,
 * features, profile, toolchain name and its dependencies' keys), so the same unit reached from several
 * resolved graphs (two roots sharing a library) is one entry, hence one derivation.
 */
import type { PackageId, Project } from "../cargo/model.ts";
import type { Pipelining } from "../generate/config.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";
import type { NixSource } from "../sources/source.ts";

/** Version of this format; the Nix library refuses data of another version. */
/** 3: a crate source may name its archive's `file` (a `file://` URL read by `builtins.path`); 4: links
 * overrides, strip, rustflags, primary. */
export const NIX_DATA_VERSION = 4;
/** 5: version 4 with pipelined units (`pipelined`, src/nix/pipelining.ts); written only when pipelining
 * is on, so that data without it stays as it was. */
export const NIX_DATA_VERSION_PIPELINED = 5;

export interface NixData {
  version: typeof NIX_DATA_VERSION | typeof NIX_DATA_VERSION_PIPELINED;
  /**
   * The files the data was made from (manifests, lockfiles, `.cargo/config.toml`), flake-relative path →
   * sha256 hex. Evaluation compares them with `builtins.hashFile` and fails when one changed.
   */
  inputs: Record<string, string>;
  /** Package key (`NAME-VERSION-HASH8`, the hash of the source's identity: a `.crate`'s sha256 or a copied
   * tree's NAR hash, not where it is fetched from; see `sourceIdentity` in emit.ts) → package. */
  packages: Record<string, NixPackage>;
  /** Unit key (`NAME-VERSION-HASH16`) → unit. */
  units: Record<string, NixUnit>;
  /** Output name (`app`, `wasm`, ...) → what it builds. */
  outputs: Record<string, NixOutput>;
  /**
   * Check name (`test-<package>`, `clippy-<package>`, `doc`) → what it checks: `checks.<system>.<name>` of
   * the flake (see `src/generate/checks.ts`). Present only when checks were planned; the library reads
   * it as `d.checks or { }`.
   */
  checks?: Record<string, NixCheck>;
}

/**
 * One quality gate, as a derivation over already-built units (nix/test.nix, nix/clippy.nix, nix/doc.nix):
 * - `test`: its roots are `cargo test --no-run`'s units of one package: units of mode `test` are compiled
 *   with `--test` and run in a derivation of their own (in a writable copy of the package at `dir` of its
 *   workspace, from target/<profile>/deps/, as Cargo runs them); a `doctest` unit runs `rustdoc --test`;
 *   examples (mode `build`) are built.
 * - `clippy`: its roots are the package's lib and bins of a normal build; each is checked by
 *   `clippy-driver --emit=metadata` with the dependencies' libraries of that build (no rebuild).
 * - `doc`: its roots are the local libs and bins to document with `rustdoc`, against their dependencies'
 *   libraries; the check's derivation is also the flake's `packages.<system>.doc`.
 */
export interface NixCheck {
  kind: "test" | "clippy" | "doc";
  /** Key into the library's `toolchains` argument (checks are native: `default`). */
  toolchain: string;
  roots: string[];
  /** A test check's package root relative to the workspace root (`crates/x`; `` for the root itself or a
   * package outside it), where Cargo runs: doctests are named from there (`crates/x/src/lib.rs - f (line
   * 3)`), and the test binaries run from its `target/<profile>/deps/`, beside the package's binaries. */
  dir?: string;
  /** A test check's arguments for its test binaries and, as `--test-args`, its doctests (`cargo test --
   * ARGS`, `[checks] test-args`). */
  testArgs?: string[];
}

export interface NixPackage {
  name: string;
  version: string;
  /** Where the source tree comes from. A `path` source is relative to the flake root when inside it. */
  source: NixSource;
  /** A path package (not vendored): Cargo does not cap its lints. */
  local: boolean;
  /** `package.links`, for `CARGO_MANIFEST_LINKS` and the `DEP_<LINKS>_<KEY>` of dependents. */
  links: string | null;
  edition: string;
  /**
   * The `CARGO_PKG_*` variables Cargo sets for rustc and build scripts, without the prefix:
   * `AUTHORS` (joined with `:`), `DESCRIPTION`, `HOMEPAGE`, `LICENSE`, `LICENSE_FILE`, `NAME`, `README`,
   * `REPOSITORY`, `RUST_VERSION`, `VERSION`, `VERSION_MAJOR`, `VERSION_MINOR`, `VERSION_PATCH`, `VERSION_PRE`.
   */
  env: Record<string, string>;
}

/** The `[profile]` settings a unit is compiled with (from the unit graph's `profile`). */
export interface NixProfile {
  name: string;
  /** `0`-`3`, `s`, `z`. */
  optLevel: string;
  /** `-C debuginfo=`: 0, 1, 2, or `line-tables-only`/`limited`/`full`... as Cargo gives it; null = 0. */
  debuginfo: string;
  debugAssertions: boolean;
  overflowChecks: boolean;
  /** `unwind` or `abort`. */
  panic: string;
  /** `false`, `true`/`fat`, `thin`, `off`. */
  lto: string;
  codegenUnits: number | null;
  /** `-C strip=`: `none` (no flag), `debuginfo` or `symbols`, as Cargo decided for the unit. */
  strip: string;
}

/**
 * One rustc invocation (`mode: "build"`) or one build-script run (`mode: "run-custom-build"`); for checks
 * also a test harness compile (`mode: "test"`: rustc `--test`, `$out/bin/<targetName>`, run by
 * nix/test.nix) or a doctest run (`mode: "doctest"`: `rustdoc --test` of the lib, whose own unit is
 * among `deps`).
 * Its derivation outputs:
 * - a library (`lib`, `rlib`, `proc-macro`): `$out/lib/lib<crateName>-<metadata>.{rlib,so}`;
 * - a binary: `$out/bin/<targetName>`; a cdylib: `$out/lib/<crateName>.{so,wasm}`;
 * - a build-script compile: `$out/bin/build-script-build`;
 * - a build-script run: `$out/out` (OUT_DIR) and the parsed instructions in `$out/nix-support/`.
 */
export interface NixUnit {
  /** Key into `packages`. */
  package: string;
  mode: "build" | "run-custom-build" | "test" | "doctest";
  /** Cargo's target kinds: `lib`, `rlib`, `cdylib`, `proc-macro`, `bin`, `custom-build`, ... */
  kind: string[];
  /** The target's name (`build-script-build` for build scripts; a bin's file name). */
  targetName: string;
  /** `--crate-name`: the target name with `-` → `_`. */
  crateName: string;
  /** `--crate-type` values. */
  crateTypes: string[];
  edition: string;
  /** The crate root, relative to the package root (`src/lib.rs`, `build.rs`). */
  src: string;
  /** Activated features, sorted: `--cfg feature="..."` and `CARGO_FEATURE_*`. */
  features: string[];
  /** `--target` triple, or null for the host (proc-macros, build scripts, native builds). */
  target: string | null;
  /** Key into the library's `toolchains` argument; all units of one output share it. */
  toolchain: string;
  profile: NixProfile;
  /** Cargo's LTO decision for this unit (src/resolve/lto.ts): `run`, `run=NAME`, `off`, `only-object`
   * (`-C embed-bitcode=no`), `only-bitcode` (`-C linker-plugin-lto`) or `object-and-bitcode`. */
  lto: string;
  /** Cargo's rustflags for this unit (src/cargo/rustflags.ts), passed last to rustc, and to a build
   * script as `CARGO_ENCODED_RUSTFLAGS`; none for host units of a `--target` build. */
  rustflags: string[];
  /** A unit of a package the output or check asked for (a root's package): rustc gets
   * `CARGO_PRIMARY_PACKAGE=1`, as Cargo sets it for the packages selected on its command line; false for
   * build-script compiles, which Cargo marks too (see emit.ts). */
  primary: boolean;
  /** `-C metadata=` and `-C extra-filename=-` value: 16 hex digits from the unit key. */
  metadata: string;
  /** 0–9999, the build order among ready derivations (lower first): their names start `rust-NNNN-`, and
   * Nix starts ready builds in name order (see `unitHeight` in emit.ts). Not part of the unit key. */
  rank: number;
  /** Only when true (src/nix/pipelining.ts): a library built by two derivations, one stopping at its
   * metadata (which its dependent libraries compile against) and one making its rlib (for linking).
   * Not part of the unit key: both run the unit's one rustc command. */
  pipelined?: boolean;
  /**
   * Libraries and proc-macros this unit links or loads: `--extern NAME=...`, sorted by name. An
   * integration test also lists its package's binaries (units of kind `bin`): not externs but
   * `CARGO_BIN_EXE_<name>` at compile time.
   */
  deps: NixUnitDep[];
  /**
   * Only on units of mode `test`: false for a target with `harness = false`, which is compiled as a
   * plain binary (no `--test`) and run as it is.
   */
  harness?: boolean;
  /** For a compile: the build-script run whose OUT_DIR, cfgs, env and link flags apply to it. */
  buildScriptRun: string | null;
  /** For a run: the build-script compile unit it runs. */
  buildScript: string | null;
  /** For a run: runs of direct dependencies that have `links`; their metadata becomes `DEP_<LINKS>_<KEY>`. */
  linksDeps: string[];
  /**
   * Only on a run whose build script `.cargo/config.toml` overrides (`[target.<triple>.<links>]`, see
   * src/cargo/links-overrides.ts): the `cargo:` instructions to use as its output, one per line; its
   * `buildScript` is null and no script is compiled or run.
   */
  buildScriptOutput?: string;
}

export interface NixUnitDep {
  /** Unit key of the dependency (a library or proc-macro). */
  unit: string;
  /** The name in `--extern NAME=PATH` (renames applied, `-` → `_`). */
  extern: string;
}

export interface NixOutput {
  /** Key into the library's `toolchains` argument. */
  toolchain: string;
  /** The root units: their binaries land in `$out/bin`, cdylibs (`.wasm`, `.so`) in `$out/lib`. */
  roots: string[];
}

/** One resolved graph the emitter turns into an output (see `emitNixData` in `emit.ts`). */
export interface EmitGraph {
  /** Output name: `app`, `wasm`, ...; a check's name when `check` is set. */
  name: string;
  /** Emit the graph's roots as a check of this kind (`checks`) instead of an output (`outputs`). */
  check?: NixCheck["kind"];
  /** A test check's `dir` and `testArgs` (see NixCheck). */
  testRun?: { dir: string; testArgs: string[] };
  /** `default` or a target triple like `wasm32-unknown-unknown`: the key into the library's toolchains. */
  toolchain: string;
  graph: UnitGraph;
  project: Project;
  /** How each package's source reaches Nix, keyed by the project's package ids; default `project.sources`. */
  sources?: Map<PackageId, NixSource>;
  /** The native triple this graph was planned for, when not `EmitOptions.nativeTriple` (a release plan
   * shared with systems of another triple, src/generate/native-platform.ts). */
  nativeTriple?: string;
  /** Planned without `--target` (the test checks, as `cargo test`): the host triple, whose rustflags
   * then reach every unit, build scripts and proc-macros included. */
  hostBuild?: string;
}

export interface EmitOptions {
  /** Which libraries get a metadata derivation (src/nix/pipelining.ts); default `off`. */
  pipelining?: Pipelining;
  /** Absolute directory of the flake; path sources inside it are written relative to it. */
  flakeRoot: string;
  /** Flake-relative path → sha256 hex of every manifest/lockfile/config the graphs were made from. */
  inputs: Record<string, string>;
  /** The graphs' native triple: written and hashed as `NATIVE_TARGET`, so the data serves every system
   * that plans alike once the system's triple is swapped in (src/generate/native-platform.ts). */
  nativeTriple?: string;
  /** What emitting a graph added to one data file, kept to replay into another system's data when the
   * same planned graph comes again (one per `generate` run). */
  reuse?: EmitReuse;
}

/** Emitted graphs by their planned `units` array (see `EmitOptions.reuse`). */
export type EmitReuse = WeakMap<object, ReusableGraph[]>;

export interface ReusableGraph {
  toolchain: string;
  sources: object;
  nativeTriple: string | undefined;
  hostBuild: string | undefined;
  /** The root units' packages, sorted and joined by newlines. */
  primary: string;
  /** The graph's unit keys, by unit index. */
  keys: string[];
  /** Every unit the graph reaches: key, the JSON its hash was taken of, its height and its entry. */
  units: [string, string, number, NixUnit][];
  packages: [string, NixPackage][];
}

/** Stands for a system's own triple in shared data; never written to a data file. */
export const NATIVE_TARGET = "{native}";
