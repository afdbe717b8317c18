/**
 * Mutations of valid manifests, lockfiles and configs for the fuzzer: delete, add, duplicate or retype
 * keys, random and hostile strings, bad versions and requirements, bad dependency references in
 * Cargo.lock, truncated files, random bytes and duplicated lines. A mutation is plain data (fast-check
 * generates and shrinks it); `applyMutations` is deterministic, so a reported counterexample replays.
 */
import fc from "fast-check";
import { parse, stringify } from "smol-toml";

export type Mutation =
  | { kind: "delete"; file: number; pick: number }
  | { kind: "set"; file: number; pick: number; value: unknown }
  | { kind: "add"; file: number; pick: number; key: string; value: unknown }
  | { kind: "string"; file: number; pick: number; value: string }
  | { kind: "version"; file: number; pick: number; value: string }
  | { kind: "lockref"; file: number; pick: number; value: string }
  | { kind: "truncate"; file: number; at: number }
  | { kind: "insert"; file: number; at: number; text: string }
  | { kind: "dupline"; file: number; pick: number };

const hostileStrings = [
  "",
  " ",
  "*",
  "../../etc/passwd",
  "/etc/passwd",
  "/",
  ".",
  "..",
  "src/../../../x.rs",
  "a".repeat(10_000),
  "\u0000",
  "a\u0000b",
  "\u0001\u001f\u007f",
  "\n",
  "a\nb",
  "\ud800",
  '${builtins.abort "x"}',
  "''${x}",
  "$(touch /tmp/crateflake-fuzz-pwned)",
  "`id`",
  "a/b",
  "dep:x",
  "x/y",
  "x?/y",
  "workspace",
  "default",
  "build.rs",
  "src/lib.rs",
  "src/main.rs",
  "lib",
  "proc-macro",
  "cdylib",
  "2015",
  "2021",
  "2024",
  "2030",
  "cfg(unix)",
  "cfg(",
  "cfg(all(unix, not(windows)))",
  "wasm32-unknown-unknown",
  "registry+https://github.com/rust-lang/crates.io-index",
  "git+https://example.invalid/x#0000000000000000000000000000000000000000",
  "path+file:///nonexistent",
  "sparse+https://example.invalid/",
  "x 1.0.0",
  "x 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
  "1",
  "2",
  "3",
];

const badVersions = [
  "",
  "0",
  "1.0",
  "1.0.0.0",
  "01.0.0",
  "1.0.0-",
  "1.0.0-\u03b1",
  "1.0.0+",
  "v1.0.0",
  "*",
  "^1.0",
  "~1",
  "1.0.0-alpha.01",
  "18446744073709551616.0.0",
  " 1.0.0",
  "=1.2.3",
  ">=1.0, <2.0",
  ">=1.0,,<2",
  "1.x",
  "latest",
  "0.0.0",
  "99.99.99",
  "1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
  "0".repeat(400),
  "<1, <2, <3, <4, <5, <6, <7, <8, <9, <10, <11, <12, <13, <14, <15, <16, <17, <18, <19, <20, <21, <22, <23, <24, <25, <26, <27, <28, <29, <30, <31, <32, <33",
];

const keys = [
  "name",
  "version",
  "path",
  "build",
  "links",
  "workspace",
  "members",
  "exclude",
  "default-members",
  "features",
  "default-features",
  "optional",
  "package",
  "resolver",
  "edition",
  "lib",
  "bin",
  "test",
  "proc-macro",
  "crate-type",
  "required-features",
  "dependencies",
  "dev-dependencies",
  "build-dependencies",
  "target",
  "patch",
  "replace",
  "git",
  "branch",
  "rev",
  "registry",
  "checksum",
  "source",
  "autobins",
  "rust-version",
  "profile",
  "metadata",
];

/** Any code points, lone surrogates and control characters included (fast-check's "binary" unit builds a
 * reverse mapping of all of Unicode, which dominated the run time). */
const anyText = (maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength }).map((cps) => String.fromCodePoint(...cps));

const scalar = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ maxLength: 12 }),
  anyText(8),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom(...keys), scalar, { maxKeys: 3 }),
  },
);

/** Mutations of `fileCount` files: one to three per case. */
export function mutationsArb(fileCount: number): fc.Arbitrary<Mutation[]> {
  const file = fc.nat({ max: fileCount - 1 });
  const pick = fc.nat();
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), file, pick }),
    fc.record({ kind: fc.constant("set" as const), file, pick, value }),
    fc.record({ kind: fc.constant("add" as const), file, pick, key: fc.constantFrom(...keys), value }),
    fc.record({
      kind: fc.constant("string" as const),
      file,
      pick,
      value: fc.oneof(fc.constantFrom(...hostileStrings), anyText(16)),
    }),
    fc.record({ kind: fc.constant("version" as const), file, pick, value: fc.constantFrom(...badVersions) }),
    fc.record({
      kind: fc.constant("lockref" as const),
      file,
      pick,
      value: fc.oneof(fc.constantFrom(...hostileStrings, ...badVersions.map((v) => `x ${v}`)), fc.string()),
    }),
    fc.record({ kind: fc.constant("truncate" as const), file, at: fc.nat() }),
    fc.record({
      kind: fc.constant("insert" as const),
      file,
      at: fc.nat(),
      text: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom("[", "]", '"', "=", "\n[package]\n", "\u0000"),
      ),
    }),
    fc.record({ kind: fc.constant("dupline" as const), file, pick }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

type Path = (string | number)[];

/** Every node of a parsed TOML document, depth first, as paths from the root. */
function paths(node: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      out.push([...prefix, i]);
      paths(v, [...prefix, i], out);
    });
  } else if (node !== null && typeof node === "object" && !(node instanceof Date)) {
    for (const k of Object.keys(node)) {
      out.push([...prefix, k]);
      paths((node as Record<string, unknown>)[k], [...prefix, k], out);
    }
  }
  return out;
}

function parentOf(doc: unknown, path: Path): Record<string | number, unknown> {
  let node = doc as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  return node;
}

function isContainer(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object";
}

/** Apply one structural mutation to TOML text; null when the text does not parse (any more). */
function structural(text: string, m: Mutation): string | null {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const all = paths(doc);
  const choose = (ps: Path[], n: number): Path | undefined => (ps.length ? ps[n % ps.length] : undefined);
  const leafKey = (p: Path) => String(p[p.length - 1]);
  const get = (p: Path) => parentOf(doc, p)[p[p.length - 1]];
  const put = (p: Path, v: unknown) => {
    parentOf(doc, p)[p[p.length - 1]] = v;
  };
  switch (m.kind) {
    case "delete": {
      const p = choose(all, m.pick);
      if (!p) return null;
      const parent = parentOf(doc, p);
      if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1);
      else delete parent[p[p.length - 1]];
      break;
    }
    case "set": {
      const p = choose(all, m.pick);
      if (!p) return null;
      put(p, m.value);
      break;
    }
    case "add": {
      const tables = [[] as Path, ...all.filter((p) => isContainer(get(p)) && !Array.isArray(get(p)))];
      const p = choose(tables, m.pick)!;
      const t = p.length ? (get(p) as Record<string, unknown>) : doc;
      t[m.key] = m.value;
      break;
    }
    case "string": {
      const p = choose(
        all.filter((q) => typeof get(q) === "string"),
        m.pick,
      );
      if (!p) return null;
      put(p, m.value);
      break;
    }
    case "version": {
      const versionish = all.filter(
        (q) =>
          typeof get(q) === "string" &&
          (/version|checksum|edition|resolver/.test(leafKey(q)) || typeof q[q.length - 2] === "string"),
      );
      const p = choose(versionish, m.pick);
      if (!p) return null;
      put(p, m.value);
      break;
    }
    case "lockref": {
      const refs = all.filter((q) => typeof get(q) === "string" && q.includes("dependencies"));
      const p = choose(refs, m.pick);
      if (!p) return null;
      put(p, m.value);
      break;
    }
    default:
      return null;
  }
  try {
    return stringify(doc);
  } catch {
    return null;
  }
}

/** Apply one mutation to a text. */
export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
    case "insert": {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "dupline": {
      const lines = text.split("\n");
      const i = m.pick % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join("\n");
    }
    default:
      return structural(text, m) ?? text;
  }
}

/** The files (name → text) after the mutations; `names` fixes which index is which file. */
export function applyMutations(
  names: string[],
  originals: Map<string, string>,
  muts: Mutation[],
): Map<string, string> {
  const out = new Map(originals);
  for (const m of muts) {
    const name = names[m.file % names.length];
    out.set(name, applyMutation(out.get(name)!, m));
  }
  return out;
}
