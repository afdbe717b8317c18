/**
 * The critical path of a cargo build: unit durations from `cargo build --timings` (the UNIT_DATA array in
 * its HTML report) joined with the dependency edges of Cargo's unit graph (`--unit-graph`, nightly, via
 * ../shared/rust/unit-graph.sh). Two lower bounds on the wall time with unlimited cores:
 *   pipelined    as cargo schedules: a library compile may start once its library dependencies have
 *                written their metadata (end of the `frontend` section); linking waits for whole units
 *   unpipelined  every unit waits for its dependencies to finish, as with one derivation per crate
 * Pure functions over parsed data, and the two parsers.
 */

export interface TimingUnit {
  name: string;
  version: string;
  /** "lib", "build-script", "run", "bin:NAME", "other:..." */
  kind: string;
  features: string[];
  duration: number;
  /** Seconds from the unit's start to its metadata (end of `frontend`), when reported. */
  rmeta: number | null;
}

interface RawTiming {
  name: string;
  version: string;
  target: string;
  /** Absent in older cargo (Debian's 1.65); units then match by package and kind only. */
  features?: string[];
  duration: number;
  rmeta_time?: number | null;
  sections?: [string, { start: number; end: number }][] | null;
}

function timingKind(target: string): string {
  const t = target.trim();
  if (t === "") return "lib";
  if (t === "build-script" || t === "build script") return "build-script";
  if (t.startsWith("build-script (run)") || t === "build script (run)") return "run";
  const bin = t.match(/^(\S+) "bin"$/);
  if (bin) return `bin:${bin[1]}`;
  return `other:${t}`;
}

/** The units of a cargo-timing.html report. */
export function parseTimingHtml(html: string): TimingUnit[] {
  const start = html.indexOf("const UNIT_DATA = ");
  if (start < 0) throw new Error("no UNIT_DATA in the cargo timing report");
  const from = start + "const UNIT_DATA = ".length;
  const end = html.indexOf("];", from);
  const raw = JSON.parse(html.slice(from, end + 1)) as RawTiming[];
  return raw.map((u) => {
    const frontend = u.sections?.find(([n]) => n === "frontend")?.[1].end ?? null;
    return {
      name: u.name,
      version: u.version,
      kind: timingKind(u.target),
      features: [...(u.features ?? [])].sort(),
      duration: u.duration,
      rmeta: u.rmeta_time ?? frontend,
    };
  });
}

export interface GraphUnit {
  name: string;
  version: string;
  kind: string;
  features: string[];
  /** Does this unit only need its library dependencies' metadata (a pipelined library compile)? */
  pipelined: boolean;
  deps: number[];
}

interface RawUnitGraph {
  units: {
    pkg_id: string;
    target: { kind: string[]; crate_types: string[]; name: string };
    mode: string;
    features: string[];
    dependencies: { index: number }[];
  }[];
}

/** name and version from a package id spec (`registry+...#name@1.0.0`, `path+file:///x/name#0.1.0`, or the old `name 1.0.0 (source)`). */
export function parsePkgId(id: string): { name: string; version: string } {
  const hash = id.lastIndexOf("#");
  if (hash >= 0) {
    const frag = id.slice(hash + 1);
    const at = frag.lastIndexOf("@");
    if (at >= 0) return { name: frag.slice(0, at), version: frag.slice(at + 1) };
    const path = id.slice(0, hash).replace(/\/+$/, "");
    return { name: path.slice(path.lastIndexOf("/") + 1), version: frag };
  }
  const [name, version] = id.split(" ");
  return { name, version };
}

export function parseUnitGraph(json: unknown): GraphUnit[] {
  return (json as RawUnitGraph).units.map((u) => {
    const { name, version } = parsePkgId(u.pkg_id);
    const k = u.target.kind;
    const kind =
      u.mode === "run-custom-build"
        ? "run"
        : k.includes("custom-build")
          ? "build-script"
          : k.includes("bin")
            ? `bin:${u.target.name}`
            : k.some((x) => ["lib", "rlib", "proc-macro", "cdylib", "dylib", "staticlib"].includes(x))
              ? "lib"
              : `other:${k.join(",")}`;
    // Cargo pipelines only rlib-only library compiles (a cdylib or proc-macro links).
    const pipelined = u.mode === "build" && u.target.crate_types.every((t) => t === "lib" || t === "rlib");
    return {
      name,
      version,
      kind,
      features: [...u.features].sort(),
      pipelined,
      deps: u.dependencies.map((d) => d.index),
    };
  });
}

export interface CriticalPath {
  pipelinedS: number;
  unpipelinedS: number;
  /** Units of the graph without a timing entry (0 when the two agree). */
  unmatched: number;
}

export function criticalPath(graph: GraphUnit[], timings: TimingUnit[]): CriticalPath {
  const byKey = new Map<string, TimingUnit>();
  const key = (u: { name: string; version: string; kind: string; features: string[] }) =>
    `${u.name}@${u.version}/${u.kind}/${u.features.join(",")}`;
  const loose = (u: { name: string; version: string; kind: string }) => `${u.name}@${u.version}/${u.kind}`;
  const byLoose = new Map<string, TimingUnit>();
  for (const t of timings) {
    byKey.set(key(t), t);
    const prev = byLoose.get(loose(t));
    if (!prev || prev.duration < t.duration) byLoose.set(loose(t), t);
  }
  let unmatched = 0;
  const timing = graph.map((u) => {
    const t = byKey.get(key(u)) ?? byLoose.get(loose(u));
    if (!t) unmatched++;
    return t ?? null;
  });
  const full: (number | null)[] = graph.map(() => null);
  const pipe: (number | null)[] = graph.map(() => null);
  const pipeMeta: (number | null)[] = graph.map(() => null);
  const visit = (i: number): void => {
    if (full[i] !== null) return;
    const u = graph[i];
    const d = timing[i]?.duration ?? 0;
    let startFull = 0;
    let startPipe = 0;
    for (const j of u.deps) {
      visit(j);
      startFull = Math.max(startFull, full[j]!);
      const depIsLib = graph[j].pipelined;
      startPipe = Math.max(startPipe, u.pipelined && depIsLib ? pipeMeta[j]! : pipe[j]!);
    }
    full[i] = startFull + d;
    pipe[i] = startPipe + d;
    pipeMeta[i] = startPipe + (timing[i]?.rmeta ?? d);
  };
  graph.forEach((_, i) => {
    visit(i);
  });
  return {
    pipelinedS: Math.max(0, ...pipe.map((x) => x ?? 0)),
    unpipelinedS: Math.max(0, ...full.map((x) => x ?? 0)),
    unmatched,
  };
}
