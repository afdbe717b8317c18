/**
 * From drafted units to the printed graph (Cargo's `rebuild_unit_graph_shared` and `--unit-graph`
 * serialisation). Without `--target`, the target side was drafted under the host triple; here it becomes
 * platform `null`, and a host unit identical to a target-side unit (same package, target, mode, features,
 * settings, and the same dependencies) is merged into it. Host units that stay apart get debuginfo 0, as
 * Cargo's build-override default. Each unit's strip is decided here too, from its dependencies' debuginfo.
 */
import { createHash } from "node:crypto";
import type { Project } from "../cargo/model.ts";
import {
  debugOn,
  printedDebuginfo,
  profileKeyString,
  settingsFor,
  type UnitSettings,
  unitProfile,
  unitStrip,
} from "./profile.ts";
import type { Unit, UnitDep, UnitGraph } from "./unit-graph.ts";
import { HOST, type UnitDraft } from "./units.ts";

export interface FinishInput {
  project: Project;
  units: Map<string, UnitDraft>;
  roots: UnitDraft[];
  /** No `--target`: the host triple was the requested kind. */
  noTarget: boolean;
  hostTriple: string;
  profileName: string;
}

interface Final {
  unit: Unit;
  draft: UnitDraft;
  /** Creation order: stands for the unit in its dependents' identities. */
  serial: number;
  deps: Final[];
  sortKey: string;
}

export function finishGraph(input: FinishInput): UnitGraph {
  const { units, noTarget, hostTriple } = input;
  // Identity of a printed unit: everything but the drafted kind, plus its printed platform and debuginfo.
  const printed = new Map<string, Final>();
  const byDraft = new Map<string, Final>();
  const settingsOf = settingsFor(input.project, input.profileName);
  // Settings a host unit shares with the same package's target-side units (everything but the deferral
  // of its debuginfo): only then can the two be one unit. The build-override defaults (opt-level 0, no
  // codegen-units) usually make them differ, and a root proc-macro differ from the same proc-macro as a
  // dependency.
  const settingsKey = (s: UnitSettings) =>
    `${s.optLevel}|${s.debug}|${s.debugAssertions}|${s.overflowChecks}|${s.codegenUnits}|${s.incremental}|${s.strip}|${s.lto}|${s.panic}`;
  const keyOf = new Map<UnitSettings, string>();
  const settingsKeyOf = (s: UnitSettings) => {
    let k = keyOf.get(s);
    if (k === undefined) {
      k = settingsKey(s);
      keyOf.set(s, k);
    }
    return k;
  };
  // A build-script run's profile keeps only the opt-level, debuginfo and debug-assertions it serves.
  const profileIdentity = (d: UnitDraft, s: UnitSettings) =>
    d.profile.run ? `run|${s.optLevel}|${s.debugAssertions}` : settingsKeyOf(s);
  const identity = (
    d: UnitDraft,
    s: UnitSettings,
    platform: string | null,
    debuginfo: number | string,
    split: boolean,
  ) =>
    `${d.pkg.id}|${d.target.kind.join(",")}:${d.target.name}|${d.mode}|${platform}|${d.features.join(",")}|${debuginfo}|${split}|${profileIdentity(d, s)}`;
  const draftKey = (d: UnitDraft, kind: string, hostDeferred: boolean) =>
    `${d.pkg.id}|${d.target.kind.join(",")}:${d.target.name}|${d.mode}|${kind}|${d.features.join(",")}|${profileKeyString({ ...d.profile, hostDeferred })}`;

  // Cargo's `traverse_and_share` interns each unit after its dependencies, with a hash of them: without
  // `--target`, a host unit merges into a target-side one only when they depend on the same units.
  const finish = (d: UnitDraft): void => {
    const deps = d.deps.map((dep) => byDraft.get(dep.unit.key) as Final);
    const s = settingsOf(d.pkg, d.profile.hostDeferred);
    let platform: string | null = d.kind === HOST ? null : d.kind;
    const level = printedDebuginfo(s.debug);
    let debuginfo = level;
    // Apple's split-debuginfo only applies when the unit has debuginfo at all.
    const split = d.profile.split && debugOn(level);
    // Decided before a host unit's deferred debuginfo is settled, as Cargo does; a build-script run's
    // profile has no strip of its own.
    const strip = unitStrip(
      d.profile.run ? { ...s, strip: null } : s,
      level,
      deps.map((f) => f.unit.profile.debuginfo ?? 0),
    );
    let depHash = "";
    if (noTarget) {
      platform = null;
      // A host unit shared with the target side keeps its debuginfo (and becomes that unit).
      // (A root proc-macro is such a unit too: drafted for the host, but not as a host dependency.)
      const shared =
        settingsKeyOf(s) === settingsKeyOf(settingsOf(d.pkg, false)) &&
        (units.has(draftKey(d, hostTriple, false)) || units.has(draftKey(d, HOST, false)));
      if (d.kind === HOST && d.profile.hostDeferred && s.debugDeferred && !shared) debuginfo = 0;
      depHash = [...new Set(deps.map((f) => f.serial))].sort((a, b) => a - b).join(",");
    }
    const id = `${identity(d, s, platform, debuginfo, split)}|${depHash}`;
    let f = printed.get(id);
    if (!f) {
      f = {
        draft: d,
        serial: printed.size,
        deps,
        sortKey: sortKey(d, platform, debuginfo, split),
        unit: {
          pkg_id: d.pkg.id,
          target: {
            kind: d.target.kind,
            crate_types: d.target.crateTypes,
            name: d.target.name,
            src_path: d.target.srcPath,
            edition: d.target.edition,
            test: d.target.test,
            doctest: d.target.doctest,
            doc: d.target.doc,
            ...(d.target.requiredFeatures.length > 0 ? { required_features: d.target.requiredFeatures } : {}),
          },
          profile: unitProfile(
            input.profileName,
            s,
            { ...d.profile, split },
            debuginfo,
            strip,
            d.pkg.source.startsWith("path+"),
          ),
          platform,
          mode: d.mode,
          features: d.features,
          dependencies: [],
        },
      };
      printed.set(id, f);
    }
    byDraft.set(d.key, f);
  };
  const drafts = [...units.values()].sort((a, b) => cmp(a.key, b.key));
  for (const d of dependenciesFirst(drafts)) finish(d);

  // Units alike but for their dependencies tie on the sort key: their dependencies' content decides.
  // `printed` holds every unit after its dependencies, so one pass in its order hashes them all.
  let fingerprints: Map<Final, string> | undefined;
  const fingerprint = (f: Final): string => {
    if (!fingerprints) {
      fingerprints = new Map();
      for (const g of printed.values()) {
        const text = [g.sortKey, ...g.deps.map((d) => fingerprints!.get(d)!).sort()].join("\n");
        fingerprints.set(g, createHash("sha256").update(text).digest("hex"));
      }
    }
    return fingerprints.get(f)!;
  };
  const finals = [...printed.values()].sort(
    (a, b) => cmp(a.sortKey, b.sortKey) || cmp(fingerprint(a), fingerprint(b)),
  );
  const index = new Map<Final, number>();
  finals.forEach((f, i) => {
    index.set(f, i);
  });
  for (const f of finals) {
    const deps = new Map<string, UnitDep>();
    for (const d of f.draft.deps) {
      const target = byDraft.get(d.unit.key);
      if (!target) throw new Error(`unit ${d.unit.key} has no entry in the graph`);
      const i = index.get(target) as number;
      deps.set(`${i}|${d.externCrateName}`, {
        index: i,
        extern_crate_name: d.externCrateName,
        public: d.public,
        noprelude: false,
      });
    }
    f.unit.dependencies = [...deps.values()].sort(
      (a, b) => a.index - b.index || (a.extern_crate_name < b.extern_crate_name ? -1 : 1),
    );
  }
  const roots = [...new Set(input.roots.map((r) => index.get(byDraft.get(r.key) as Final) as number))].sort(
    (a, b) => a - b,
  );
  return { version: 1, units: finals.map((f) => f.unit), roots };
}

/** The drafts and everything they depend on, each after its dependencies (iterative: dependency chains
 * can be thousands deep). */
function dependenciesFirst(drafts: UnitDraft[]): UnitDraft[] {
  const order: UnitDraft[] = [];
  const seen = new Set<string>();
  for (const start of drafts) {
    if (seen.has(start.key)) continue;
    seen.add(start.key);
    const stack: { draft: UnitDraft; next: number }[] = [{ draft: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { draft: UnitDraft; next: number };
      const dep = top.draft.deps[top.next++]?.unit;
      if (!dep) {
        stack.pop();
        order.push(top.draft);
      } else if (!seen.has(dep.key)) {
        seen.add(dep.key);
        stack.push({ draft: dep, next: 0 });
      }
    }
  }
  return order;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKey(d: UnitDraft, platform: string | null, debuginfo: number | string, split: boolean): string {
  return [
    d.pkg.name,
    d.pkg.version,
    d.pkg.id,
    d.target.kind.join(","),
    d.target.name,
    platform ?? "",
    d.mode,
    d.features.join(","),
    String(debuginfo),
    split ? "1" : "0",
  ].join("\u0000");
}
