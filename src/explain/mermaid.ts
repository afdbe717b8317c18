/** `crateflake graph --format mermaid`: a Mermaid flowchart, left to right, coloured like the HTML page. */
import { REBUILD, SIDE_STROKE, SOURCE_FILL } from "./colors.ts";
import { type GraphModel, nodeLabel } from "./graph-model.ts";
import type { SourceKind } from "./package-id.ts";

/** Mermaid label text: quotes and markup characters as Mermaid's `#code;` entities. */
export function mermaidText(s: string): string {
  return s.replace(/[#"<>&]/g, (c) => `#${c.charCodeAt(0)};`);
}

export function renderMermaid(model: GraphModel): string {
  return `${["flowchart LR", ...mermaidLines(model, "")].join("\n")}\n`;
}

/** Several graphs (the outputs of a flake) as subgraphs of one flowchart; node ids get the graph's prefix. */
export function renderMermaidGroups(groups: { title: string; model: GraphModel }[]): string {
  const lines = ["flowchart LR"];
  groups.forEach((g, k) => {
    const prefix = `g${k}_`;
    lines.push(`  subgraph g${k}["${mermaidText(g.title)}"]`);
    lines.push(...mermaidLines(g.model, prefix));
    lines.push("  end");
  });
  return `${lines.join("\n")}\n`;
}

function mermaidLines(model: GraphModel, prefix: string): string[] {
  const lines: string[] = [];
  for (const n of model.nodes) {
    lines.push(`  ${prefix}${n.id}["${mermaidText(nodeLabel(n))}"]`);
  }
  for (const e of model.edges) {
    const label = [e.kind, ...(e.platform ? [e.platform] : [])].join(" ");
    lines.push(`  ${prefix}u${e.from} -->|"${mermaidText(label)}"| ${prefix}u${e.to}`);
  }
  const kinds: SourceKind[] = ["registry", "path", "git", "other"];
  for (const kind of kinds) {
    for (const side of ["target", "host", "both"] as const) {
      const ids = model.nodes
        .filter((n) => n.sourceKind === kind && n.side === side)
        .map((n) => `${prefix}${n.id}`);
      if (ids.length === 0) continue;
      const cls = `${kind}_${side}`;
      const dash = side === "target" ? "" : ",stroke-dasharray:4 3";
      lines.push(`  classDef ${cls} fill:${SOURCE_FILL[kind]},stroke:${SIDE_STROKE[side]}${dash}`);
      lines.push(`  class ${ids.join(",")} ${cls}`);
    }
  }
  for (const n of model.nodes) {
    if (n.rebuild)
      lines.push(`  style ${prefix}${n.id} fill:${REBUILD.fill},stroke:${REBUILD.stroke},stroke-width:3px`);
  }
  return lines;
}
