/**
 * Small hand-made unit graphs and projects for the explain tests: a line per unit, ids in Cargo's
 * spelling, so tests read like the graphs they describe.
 */
import type { Dependency, Package, Project } from "../../src/cargo/model.ts";
import { NO_RUSTFLAGS } from "../../src/cargo/rustflags.ts";
import type { Unit, UnitGraph } from "../../src/resolve/unit-graph.ts";

const REGISTRY = "registry+https://github.com/rust-lang/crates.io-index";

export function pkgId(name: string, version = "1.0.0", path?: string): string {
  return path ? `path+file://${path}#${name}@${version}` : `${REGISTRY}#${name}@${version}`;
}

export interface U {
  name: string;
  version?: string;
  /** A path package in this directory (else a registry package). */
  path?: string;
  kind?: "lib" | "bin" | "proc-macro" | "custom-build";
  mode?: Unit["mode"];
  platform?: string | null;
  features?: string[];
  /** Dependencies: unit index, or [index, extern name]. */
  deps?: (number | [number, string])[];
}

export function graphOf(units: U[], roots: number[]): UnitGraph {
  return {
    version: 1,
    roots,
    units: units.map((u) => {
      const kind = u.kind ?? "lib";
      return {
        pkg_id: pkgId(u.name, u.version, u.path),
        target: {
          kind: [kind],
          crate_types: [kind === "custom-build" ? "bin" : kind],
          name: kind === "custom-build" ? "build_script_build" : u.name.replace(/-/g, "_"),
          src_path: `/src/${u.name}/lib.rs`,
          edition: "2021",
        },
        profile: {
          name: "dev",
          opt_level: "0",
          lto: "false",
          codegen_units: null,
          debuginfo: 2,
          debug_assertions: true,
          overflow_checks: true,
          rpath: false,
          incremental: false,
          panic: "unwind",
        },
        platform: u.platform ?? null,
        mode: u.mode ?? "build",
        features: [...(u.features ?? [])].sort(),
        dependencies: (u.deps ?? []).map((d) => {
          const [index, extern] = typeof d === "number" ? [d, units[d].name.replace(/-/g, "_")] : d;
          return { index, extern_crate_name: extern, public: false, noprelude: false };
        }),
      };
    }),
  };
}

export interface P {
  name: string;
  version?: string;
  path?: string;
  features?: Record<string, string[]>;
  deps?: (Partial<Dependency> & { name: string })[];
}

/** A Project whose dependencies resolve by package name to the package of that name. */
export function projectOf(packages: P[]): Project {
  const ids = new Map(packages.map((p) => [p.name, pkgId(p.name, p.version, p.path)]));
  const map = new Map<string, Package>();
  const resolved = new Map<string, (string | null)[]>();
  for (const p of packages) {
    const id = ids.get(p.name)!;
    const dependencies: Dependency[] = (p.deps ?? []).map((d) => ({
      package: d.name,
      req: "*",
      kind: "normal",
      optional: false,
      defaultFeatures: true,
      features: [],
      platform: null,
      source: { kind: "registry", registry: null },
      public: false,
      ...d,
    }));
    map.set(id, {
      id,
      name: p.name,
      version: p.version ?? "1.0.0",
      source: p.path ? `path+file://${p.path}` : REGISTRY,
      manifestPath: `/src/${p.name}/Cargo.toml`,
      edition: "2021",
      links: null,
      features: p.features ?? {},
      dependencies,
      targets: [],
      authors: [],
      description: null,
      homepage: null,
      repository: null,
      license: null,
      licenseFile: null,
      readme: null,
      rustVersion: null,
      crateflake: null,
      lints: [],
      rustFiles: 1,
    });
    resolved.set(
      id,
      dependencies.map((d) => ids.get(d.package) ?? null),
    );
  }
  return {
    root: "/ws",
    rootManifest: "/ws/Cargo.toml",
    rustflags: NO_RUSTFLAGS,
    lockfile: { path: "/ws/Cargo.lock", version: 3, packages: [] },
    resolver: "2",
    members: [],
    defaultMembers: [],
    packages: map,
    resolved,
    profiles: {},
    configTargets: [],
    linksOverrides: {},
    crateflake: null,
    sources: new Map(),
  };
}
