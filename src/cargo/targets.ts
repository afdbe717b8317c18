/**
 * Cargo's target discovery, pure: from the declared `[lib]`/`[[bin]]`/... tables and the package's file
 * list, the targets `cargo metadata` reports (kinds, crate types, names, paths, flags). It takes the file
 * list rather than reading a directory because registry crates are read from archives without unpacking.
 */
import { posix } from "node:path";
import type { Target } from "./model.ts";

/** One `[lib]`/`[[bin]]`/`[[example]]`/`[[test]]`/`[[bench]]` table, as written. */
export interface TomlTarget {
  name?: string;
  path?: string;
  crateTypes?: string[];
  procMacro?: boolean;
  edition?: string;
  requiredFeatures?: string[];
  test?: boolean;
  doctest?: boolean;
  bench?: boolean;
  harness?: boolean;
  doc?: boolean;
}

export interface TargetInput {
  packageName: string;
  edition: string;
  /** Absolute package directory (where Cargo.toml is). */
  root: string;
  /** Files of the package, relative to `root`, `/`-separated. */
  files: string[];
  lib?: TomlTarget;
  bins?: TomlTarget[];
  examples?: TomlTarget[];
  tests?: TomlTarget[];
  benches?: TomlTarget[];
  /** `package.build`: a path, `false`, or undefined (then `build.rs` when it exists). */
  build?: string | false;
  /** `package.autolib = false`: no lib unless `[lib]` is declared (Cargo 1.83+). */
  autolib?: boolean;
  autobins?: boolean;
  autoexamples?: boolean;
  autotests?: boolean;
  autobenches?: boolean;
}

type Kind = "bin" | "example" | "test" | "bench";

const DOCTESTABLE = new Set(["lib", "rlib", "dylib", "proc-macro"]);

const DIRS: Record<Kind, string> = { bin: "src/bin", example: "examples", test: "tests", bench: "benches" };

export function discoverTargets(input: TargetInput): Target[] {
  const files = new Set(input.files.map((f) => posix.normalize(f)));
  const out: Target[] = [];
  const lib = libTarget(input, files);
  if (lib) out.push(lib);
  for (const kind of ["bin", "example", "test", "bench"] as const) {
    out.push(...kindTargets(input, files, kind));
  }
  const build = buildScript(input, files);
  if (build) out.push(build);
  return out;
}

/** Cargo's default lib name: the package name with `-` replaced by `_`. */
export function libName(packageName: string): string {
  return packageName.replace(/-/g, "_");
}

function libTarget(input: TargetInput, files: Set<string>): Target | null {
  const t = input.lib;
  if (!t && (input.autolib === false || !files.has("src/lib.rs"))) return null;
  const path = t?.path ?? "src/lib.rs";
  let crateTypes = t?.crateTypes ?? [];
  if (t?.procMacro) crateTypes = ["proc-macro"];
  if (crateTypes.length === 0) crateTypes = ["lib"];
  return make(input, {
    kind: [...crateTypes],
    crateTypes,
    name: t?.name ?? libName(input.packageName),
    path,
    t,
    // Only crate types rustdoc can link against get doctests (a cdylib/staticlib-only lib does not).
    defaults: { test: true, doctest: crateTypes.some((c) => DOCTESTABLE.has(c)), bench: true, doc: true },
  });
}

function kindTargets(input: TargetInput, files: Set<string>, kind: Kind): Target[] {
  const declared = declaredOf(input, kind);
  const inferred = inferTargets(input, files, kind);
  const auto = autoFlag(input, kind);
  // Cargo: in edition 2015, declaring any target of a kind turns inference of that kind off.
  const autodiscover = auto ?? !(input.edition === "2015" && declared.length > 0);
  const list: { t: TomlTarget | undefined; name: string; path: string }[] = [];
  const seenNames = new Set<string>();
  const seenPaths = new Set<string>();
  for (const t of declared) {
    const name = t.name ?? "";
    // Cargo drops a declared example without `path` whose file is not there (observed with cargo 1.95).
    if (kind === "example" && t.path === undefined && !findDeclared(input, files, kind, name, inferred))
      continue;
    const path = posix.normalize(t.path ?? declaredPath(input, files, kind, name, inferred));
    list.push({ t, name, path });
    seenNames.add(name);
    seenPaths.add(path);
  }
  if (autodiscover) {
    for (const [name, path] of inferred) {
      if (!seenNames.has(name) && !seenPaths.has(path)) list.push({ t: undefined, name, path });
    }
  }
  // Cargo leaves an "already normalised" kind (auto-discovery off, every target with name and path, as
  // `cargo package` writes them) in declared order; otherwise it lists the kind's targets by name.
  const normalized = auto === false && declared.every((t) => t.name !== undefined && t.path !== undefined);
  if (!normalized) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list.map(({ t, name, path }) => {
    const crateTypes = t?.crateTypes ?? ["bin"];
    return make(input, {
      kind: kind === "bin" ? ["bin"] : t?.crateTypes ? [...crateTypes] : [kind],
      crateTypes,
      name,
      path,
      t,
      defaults: {
        test: kind === "bin" || kind === "test",
        doctest: false,
        bench: kind === "bin" || kind === "bench",
        doc: kind === "bin",
      },
    });
  });
}

function declaredOf(input: TargetInput, kind: Kind): TomlTarget[] {
  return { bin: input.bins, example: input.examples, test: input.tests, bench: input.benches }[kind] ?? [];
}

function autoFlag(input: TargetInput, kind: Kind): boolean | undefined {
  return {
    bin: input.autobins,
    example: input.autoexamples,
    test: input.autotests,
    bench: input.autobenches,
  }[kind];
}

/** Inferred targets of a kind, as [name, path], in file-name order. */
function inferTargets(input: TargetInput, files: Set<string>, kind: Kind): [string, string][] {
  const dir = DIRS[kind];
  const found = new Map<string, string>();
  if (kind === "bin" && files.has("src/main.rs")) found.set(input.packageName, "src/main.rs");
  const prefix = `${dir}/`;
  const names: [string, string][] = [];
  for (const f of files) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length).split("/");
    if (rest.length === 1 && rest[0].endsWith(".rs")) names.push([rest[0].slice(0, -3), f]);
    else if (rest.length === 2 && rest[1] === "main.rs") names.push([rest[0], f]);
  }
  names.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  for (const [name, path] of names) if (!found.has(name)) found.set(name, path);
  return [...found.entries()];
}

/** Where a declared target without `path` lives, in the order Cargo looks. */
function declaredPath(
  input: TargetInput,
  files: Set<string>,
  kind: Kind,
  name: string,
  inferred: [string, string][],
): string {
  return findDeclared(input, files, kind, name, inferred) ?? `${DIRS[kind]}/${name}.rs`;
}

/** The existing file a declared target without `path` names, if any. */
function findDeclared(
  input: TargetInput,
  files: Set<string>,
  kind: Kind,
  name: string,
  inferred: [string, string][],
): string | undefined {
  const hit = inferred.find(([n]) => n === name);
  if (hit) return hit[1];
  const dir = DIRS[kind];
  const candidates = [`${dir}/${name}.rs`, `${dir}/${name}/main.rs`];
  if (kind === "bin") {
    if (name === input.packageName) candidates.unshift("src/main.rs");
    candidates.push(`src/${name}.rs`);
  }
  return candidates.find((c) => files.has(c));
}

function buildScript(input: TargetInput, files: Set<string>): Target | null {
  if (input.build === false) return null;
  const path = input.build ?? (files.has("build.rs") ? "build.rs" : null);
  if (path === null) return null;
  const stem = posix.basename(path).replace(/\.rs$/, "");
  return make(input, {
    kind: ["custom-build"],
    crateTypes: ["bin"],
    name: `build-script-${stem}`,
    path,
    t: undefined,
    defaults: { test: false, doctest: false, bench: false, doc: false },
  });
}

function make(
  input: TargetInput,
  o: {
    kind: string[];
    crateTypes: string[];
    name: string;
    path: string;
    t: TomlTarget | undefined;
    defaults: { test: boolean; doctest: boolean; bench: boolean; doc: boolean };
  },
): Target {
  const t = o.t;
  return {
    kind: o.kind,
    crateTypes: [...o.crateTypes],
    name: o.name,
    srcPath: posix.isAbsolute(o.path) ? o.path : posix.join(input.root, o.path),
    edition: t?.edition ?? input.edition,
    requiredFeatures: t?.requiredFeatures ?? [],
    test: t?.test ?? o.defaults.test,
    doctest: (t?.doctest ?? true) && o.defaults.doctest,
    bench: t?.bench ?? o.defaults.bench,
    harness: t?.harness ?? true,
    doc: t?.doc ?? o.defaults.doc,
  };
}
