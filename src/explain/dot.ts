/** `crateflake graph --format dot`: Graphviz, left to right, coloured like the HTML page. */
import { REBUILD, SIDE_STROKE, SOURCE_FILL } from "./colors.ts";
import { type GraphModel, nodeLabel } from "./graph-model.ts";

/** A DOT double-quoted string. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** One `digraph`; `title` names a flake output (`dot` draws every graph of a file, one page each). */
export function renderDot(model: GraphModel, title?: string): string {
  const label = `unit graph for ${model.target ?? "the host"}`;
  const lines = [
    `digraph ${title ? dotString(title) : "units"} {`,
    "  rankdir=LR;",
    `  label=${dotString(title ? `${title}: ${label}` : label)};`,
    '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=8];',
  ];
  for (const n of model.nodes) {
    const attrs = [
      `label=${dotString(nodeLabel(n))}`,
      `fillcolor=${dotString(n.rebuild ? REBUILD.fill : SOURCE_FILL[n.sourceKind])}`,
      `color=${dotString(n.rebuild ? REBUILD.stroke : SIDE_STROKE[n.side])}`,
      `tooltip=${dotString(`${n.pkgId}\n${n.side}${n.platform ? ` ${n.platform}` : ""}\nfeatures: ${n.features.join(", ") || "(none)"}${n.rebuild ? `\nrebuilds: ${n.rebuild.lines.join("; ")}` : ""}`)}`,
    ];
    if (n.side !== "target") attrs.push('style="rounded,filled,dashed"');
    if (n.root || n.rebuild) attrs.push(`penwidth=${n.rebuild ? 3 : 2}`);
    lines.push(`  ${n.id} [${attrs.join(", ")}];`);
  }
  for (const e of model.edges) {
    const label = [e.kind, ...(e.platform ? [e.platform] : []), ...e.enabledBy.map((f) => `+${f}`)].join(" ");
    const style =
      e.kind === "build" || e.kind === "build script" || e.kind === "proc-macro" ? ", style=dashed" : "";
    lines.push(`  u${e.from} -> u${e.to} [label=${dotString(label)}${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
