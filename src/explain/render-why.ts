/**
 * The human output of `crateflake why`: an inverted tree like `cargo tree -i`, target and host apart, each
 * dependent annotated with the edge that leads down (kind, platform condition, enabling features), then
 * the feature chain when `--feature` was given.
 */
import type { EdgeInfo } from "./edges.ts";
import type { FeatureCause } from "./features.ts";
import { parsePackageId, sourceLabel } from "./package-id.ts";
import type { Side, TreeNode } from "./paths.ts";
import type { UnitSummary, WhyReport } from "./why.ts";

const ROLE_LABEL: Record<string, string> = {
  "build-script": "build script",
  "build-script-run": "build script run",
  "proc-macro": "proc-macro",
  bin: "bin",
  example: "example",
  test: "test",
  doctest: "doctest",
  bench: "bench",
  doc: "doc",
  check: "check",
};

const SIDE_TITLE: Record<Side, string> = {
  target: "target units",
  host: "host units (build scripts, proc-macros and their dependencies)",
};

export function unitLabel(u: UnitSummary): string {
  const source = sourceLabel(parsePackageId(u.pkgId));
  const role = ROLE_LABEL[u.role];
  const binName = u.role === "bin" || u.role === "example" || u.role === "test" ? ` "${u.targetName}"` : "";
  return `${u.name} v${u.version}${source ? ` (${source})` : ""}${role ? ` (${role}${binName})` : ""}`;
}

export function edgeLabel(e: EdgeInfo): string {
  const parts: string[] = [e.kind];
  if (e.dependency && e.dependency.replace(/-/g, "_") !== e.externName) parts.push(`as ${e.dependency}`);
  if (e.platform) parts.push(e.platform);
  if (e.optional) {
    parts.push(
      e.enabledBy.length > 0
        ? `optional, enabled by ${e.enabledBy.map((f) => `"${f}"`).join(", ")}`
        : "optional",
    );
  }
  return `[${parts.join(", ")}]`;
}

export function renderWhy(report: WhyReport): string {
  const lines: string[] = [];
  const { crate, version, feature } = report.query;
  const platform = report.target ?? "host";
  if (report.matches.length === 0) {
    lines.push(`${crate}${version ? `@${version}` : ""} is not in the unit graph for ${platform}`);
    return `${lines.join("\n")}\n`;
  }
  for (const m of report.matches) {
    const u = report.units[m.unit];
    if (lines.length > 0) lines.push("");
    lines.push(`${unitLabel(u)} for ${u.platform ?? (report.target ? "the host" : "host")}`);
    lines.push(`  features: ${u.features.length > 0 ? u.features.join(", ") : "(none)"}`);
    for (const side of m.sides) {
      const tree = m.trees[side];
      const paths = m.paths[side];
      if (!tree || !paths) continue;
      lines.push("");
      lines.push(`${SIDE_TITLE[side]}: ${paths.count} path${paths.count === 1 ? "" : "s"} from the roots`);
      renderTree(report, tree, "", "", lines);
    }
    if (m.feature) {
      lines.push("");
      lines.push(`feature "${m.feature.feature}" of ${unitLabel(u)}:`);
      if (m.feature.because.length === 0) lines.push("└── (no cause found in this graph)");
      renderCauses(report, m.feature.because, "", lines);
    } else if (feature) {
      lines.push("");
      lines.push(`feature "${feature}" is not on for this unit`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function renderTree(
  report: WhyReport,
  node: TreeNode,
  prefix: string,
  branch: string,
  lines: string[],
): void {
  const u = report.units[node.unit];
  let line = `${prefix}${branch}${unitLabel(u)}`;
  if (node.edge !== undefined) line += ` ${edgeLabel(report.edges[`${node.unit}:${node.edge}`])}`;
  if (node.root) line += " (root)";
  if (node.repeated) line += " (*)";
  lines.push(line);
  const childPrefix = prefix + (branch === "" ? "" : branch === "└── " ? "    " : "│   ");
  node.dependents.forEach((d, i) => {
    renderTree(report, d, childPrefix, i === node.dependents.length - 1 ? "└── " : "├── ", lines);
  });
}

/** One line for a cause; `label` names a unit. */
export function causeLine(c: FeatureCause, label: (unit: number) => string): string {
  const u = label(c.unit);
  switch (c.kind) {
    case "root":
      return c.feature === "default"
        ? `default features of root ${u}`
        : `requested for root ${u} (--features or --all-features)`;
    case "feature":
      return c.value === ""
        ? `implicit feature "${c.by}" of ${u} (its optional dependency)`
        : `feature "${c.by}" of ${u} lists "${c.value}"`;
    case "dep-feature":
      return `feature "${c.by}" of ${u} lists "${c.value}"`;
    case "dependency": {
      const how = c.via === "features" ? "with this feature" : "with default features";
      return `${u} depends on ${c.dependency} ${how}${c.because.length > 0 ? ", optional, turned on by" : ""}`;
    }
    case "seen":
      return `feature "${c.feature}" of ${u} (*)`;
  }
}

function renderCauses(report: WhyReport, causes: FeatureCause[], prefix: string, lines: string[]): void {
  causes.forEach((c, i) => {
    const last = i === causes.length - 1;
    lines.push(`${prefix}${last ? "└── " : "├── "}${causeLine(c, (i) => unitLabel(report.units[i]))}`);
    if ("because" in c) renderCauses(report, c.because, prefix + (last ? "    " : "│   "), lines);
  });
}
