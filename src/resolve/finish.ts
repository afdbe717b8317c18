/**
 * From drafted units to the printed graph (Cargo's `rebuild_unit_graph_shared` and `--unit-graph`
 * serialisation). Without `--target`, the target side was drafted under the host triple; here it becomes
 * platform `null`, and a host unit identical to a target-side unit (same package, target, mode, features)
 * is merged into it. Host units that stay apart get debuginfo 0, as Cargo's build-override default.
 */
import type { Project } from "../cargo/model.ts";
import { hostProfileIsTargetProfile, profileDebuginfo, profileKeyString, unitProfile } from "./profile.ts";
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
  sortKey: string;
}

export function finishGraph(input: FinishInput): UnitGraph {
  const { units, noTarget, hostTriple } = input;
  // Identity of a printed unit: everything but the drafted kind, plus its printed platform and debuginfo.
  const printed = new Map<string, Final>();
  const byDraft = new Map<string, Final>();
  const level = profileDebuginfo(input.project, input.profileName);
  // Host units use opt-level 0 (the build-override default): unless the profile does too, they can never
  // be the same unit as a target-side one, and a root proc-macro differs from the same proc-macro as a dependency.
  const merge = hostProfileIsTargetProfile(input.project, input.profileName);
  const identity = (d: UnitDraft, platform: string | null, debuginfo: number | string, split: boolean) =>
    `${d.pkg.id}|${d.target.kind.join(",")}:${d.target.name}|${d.mode}|${platform}|${d.features.join(",")}|${debuginfo}|${split}|${d.profile.run}|${!merge && d.profile.hostDeferred}`;
  const draftKey = (d: UnitDraft, kind: string, hostDeferred: boolean) =>
    `${d.pkg.id}|${d.target.kind.join(",")}:${d.target.name}|${d.mode}|${kind}|${d.features.join(",")}|${profileKeyString({ ...d.profile, hostDeferred })}`;

  for (const d of [...units.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    let platform: string | null = d.kind === HOST ? null : d.kind;
    let debuginfo = level;
    // Apple's split-debuginfo only applies when the profile has debuginfo at all.
    const split = d.profile.split && level !== 0;
    if (noTarget) {
      platform = null;
      // A host unit shared with the target side keeps its debuginfo (and becomes that unit).
      // (A root proc-macro is such a unit too: drafted for the host, but not as a host dependency.)
      const shared =
        merge && (units.has(draftKey(d, hostTriple, false)) || units.has(draftKey(d, HOST, false)));
      if (d.kind === HOST && d.profile.hostDeferred && !shared) debuginfo = 0;
    }
    const id = identity(d, platform, debuginfo, split);
    let f = printed.get(id);
    if (!f) {
      f = {
        draft: d,
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
            input.project,
            input.profileName,
            { ...d.profile, split },
            debuginfo,
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
  }

  const finals = [...printed.values()].sort((a, b) =>
    a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0,
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
