/**
 * The text of `crateflake rebuilds`: systems with the same answer together, then per output how many of
 * its units rebuild and each one with its causes.
 */
import type { Cause, OutputRebuilds, RebuiltUnit } from "./rebuilds.ts";

export interface SystemRebuilds {
  system: string;
  /** The system's own triple: its native units' target, written `native` here. */
  triple: string;
  outputs: OutputRebuilds[];
}

export function renderRebuilds(results: SystemRebuilds[], against: string, sourcesCompared: boolean): string {
  const groups = new Map<string, SystemRebuilds[]>();
  for (const r of results) {
    const same = JSON.stringify(r.outputs).split(JSON.stringify(r.triple)).join('"native"');
    groups.set(same, [...(groups.get(same) ?? []), r]);
  }
  const lines: string[] = [];
  for (const members of groups.values()) {
    if (lines.length > 0) lines.push("");
    lines.push(`${members.map((m) => m.system).join(", ")}, against ${against}:`);
    for (const o of members[0].outputs) {
      const n = o.rebuilt.length;
      lines.push(`  ${o.output}: ${n === 0 ? "nothing to rebuild" : `rebuilds ${n} of ${o.units} units`}`);
      for (const u of o.rebuilt)
        lines.push(`    ${unitText(u, members[0].triple)}: ${u.causes.map(causeText).join("; ")}`);
    }
  }
  if (!sourcesCompared) lines.push("", "(against a data file: edits of path crates' sources are not seen)");
  return `${lines.join("\n")}\n`;
}

function unitText(u: RebuiltUnit, native: string): string {
  return `${u.name} ${u.version} ${u.what}${u.target && u.target !== native ? ` for ${u.target}` : ""}`;
}

export function causeText(c: Cause): string {
  switch (c.kind) {
    case "version":
      return `version ${c.from} → ${c.to}`;
    case "source":
      return c.files ? `source edited: ${c.files.join(", ")}` : "source changed (same version)";
    case "features":
      return `features ${[...c.added.map((f) => `+${f}`), ...c.removed.map((f) => `-${f}`)].join(" ")}${c.by && c.by.length > 0 ? ` (turned on by ${c.by.join("; ")})` : ""}`;
    case "profile":
      return `profile: ${c.fields.join(", ")}`;
    case "toolchain":
      return `toolchain ${c.from} → ${c.to}`;
    case "dependency": {
      const parts = [
        ...(c.changed.length > 0 ? [`rebuilt below: ${c.changed.join(", ")}`] : []),
        ...(c.added.length > 0 ? [`new dependency: ${c.added.join(", ")}`] : []),
        ...(c.removed.length > 0 ? [`dependency removed: ${c.removed.join(", ")}`] : []),
      ];
      return parts.join("; ");
    }
    case "everything":
      return c.what;
    case "new":
      return "new unit";
    case "other":
      return `changed: ${c.fields.join(", ")}`;
  }
}
