/** Small in-memory projects for the resolver's unit tests (no files, no lockfile parsing). */
import type { Dependency, Package, PackageId, Project, Target } from "../../src/cargo/model.ts";
import { NO_RUSTFLAGS } from "../../src/cargo/rustflags.ts";

export interface PkgSpec {
  name: string;
  version?: string;
  /** Path packages (members) get `path+file:///ws/NAME`; others the crates.io source. */
  local?: boolean;
  features?: Record<string, string[]>;
  deps?: (Partial<Dependency> & { name: string; to: string })[];
  lib?: "lib" | "proc-macro" | null;
  bins?: { name: string; requiredFeatures?: string[] }[];
  build?: boolean;
  links?: string;
}

export function target(kind: string, name: string, extra: Partial<Target> = {}): Target {
  const crateTypes = kind === "proc-macro" ? ["proc-macro"] : kind === "custom-build" ? ["bin"] : [kind];
  return {
    kind: [kind],
    crateTypes,
    name,
    srcPath: `/src/${name}.rs`,
    edition: "2021",
    requiredFeatures: [],
    test: kind !== "custom-build",
    doctest: kind === "lib" || kind === "proc-macro",
    bench: kind !== "custom-build",
    harness: true,
    doc: kind !== "custom-build",
    ...extra,
  };
}

export function idOf(spec: PkgSpec): PackageId {
  const version = spec.version ?? "1.0.0";
  return spec.local
    ? `path+file:///ws/${spec.name}#${spec.name}@${version}`
    : `registry+https://github.com/rust-lang/crates.io-index#${spec.name}@${version}`;
}

/** A project whose `local` packages are the members; `to` names a package as `name` or `name@version`. */
export function project(specs: PkgSpec[], resolver: "1" | "2" | "3" = "2"): Project {
  const byName = new Map<string, PkgSpec>();
  for (const s of specs) {
    byName.set(`${s.name}@${s.version ?? "1.0.0"}`, s);
    if (!byName.has(s.name)) byName.set(s.name, s);
  }
  const packages = new Map<PackageId, Package>();
  const resolved = new Map<PackageId, (PackageId | null)[]>();
  for (const s of specs) {
    const id = idOf(s);
    const libName = s.name.replaceAll("-", "_");
    const targets: Target[] = [];
    if (s.lib !== null) targets.push(target(s.lib ?? "lib", libName));
    for (const b of s.bins ?? [])
      targets.push(target("bin", b.name, { requiredFeatures: b.requiredFeatures ?? [] }));
    if (s.build) targets.push(target("custom-build", "build-script-build"));
    const deps: Dependency[] = (s.deps ?? []).map((d) => {
      const to = byName.get(d.to);
      if (!to) throw new Error(`no package ${d.to}`);
      return {
        name: d.name,
        package: d.package ?? to.name,
        req: "*",
        kind: d.kind ?? "normal",
        optional: d.optional ?? false,
        defaultFeatures: d.defaultFeatures ?? true,
        features: d.features ?? [],
        platform: d.platform ?? null,
        source: { kind: "registry", registry: null },
        public: false,
      };
    });
    resolved.set(
      id,
      (s.deps ?? []).map((d) => idOf(byName.get(d.to) as PkgSpec)),
    );
    packages.set(id, {
      id,
      name: s.name,
      version: s.version ?? "1.0.0",
      source: s.local ? `path+file:///ws/${s.name}` : "registry+https://github.com/rust-lang/crates.io-index",
      manifestPath: `/ws/${s.name}/Cargo.toml`,
      edition: "2021",
      links: s.links ?? null,
      features: s.features ?? {},
      dependencies: deps,
      targets,
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
  }
  const members = specs
    .filter((s) => s.local)
    .map(idOf)
    .sort();
  return {
    root: "/ws",
    rootManifest: "/ws/Cargo.toml",
    rustflags: NO_RUSTFLAGS,
    lockfile: { path: "/ws/Cargo.lock", version: 4, packages: [] },
    resolver,
    members,
    defaultMembers: members,
    packages,
    resolved,
    profiles: {},
    configTargets: [],
    linksOverrides: {},
    crateflake: null,
    sources: new Map(),
  } as Project;
}
