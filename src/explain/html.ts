/**
 * `crateflake graph --format html`: one self-contained page (inline CSS and JS, no network) that draws the
 * unit graph as SVG with a layered layout computed here, so the bytes are deterministic and the picture
 * is there before any script runs. The script (html-script.ts) adds search, selection and the side panel,
 * reading the graph model embedded as JSON.
 */
import { REBUILD, SIDE_STROKE, SOURCE_FILL } from "./colors.ts";
import { type GraphModel, nodeLabel } from "./graph-model.ts";
import { PAGE_SCRIPT, PAGE_STYLE } from "./html-assets.ts";
import { layeredLayout } from "./layout.ts";

const CHAR_WIDTH = 7.3; // 12px monospace
const PAD = 16;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside `<script>`: no `</script>`, no `<!--`, no line separators that break old parsers. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** One graph of the page: a flake output (`name`, `caption`) or the only graph of a Cargo build. */
export interface HtmlView {
  name: string;
  caption: string;
  model: GraphModel;
}

export function renderHtml(model: GraphModel): string {
  return renderPage([{ name: "", caption: model.target ?? "host", model }]);
}

/** The drawn graph: an `<svg>` laid out here (so the picture is there before any script runs). */
function svgOf(model: GraphModel, id: string): string {
  const labels = model.nodes.map(nodeLabel);
  const widths = labels.map((l) => Math.ceil(l.length * CHAR_WIDTH) + PAD);
  const layout = layeredLayout({
    count: model.nodes.length,
    edges: model.edges.map((e) => [e.from, e.to]),
    widths,
    keys: labels.map((l, i) => `${l}\u0000${String(i).padStart(8, "0")}`),
  });
  const h = layout.nodeHeight;
  const edgeSvg = model.edges.map((e, k) => {
    const x1 = layout.x[e.from] + widths[e.from];
    const y1 = layout.y[e.from] + h / 2;
    const x2 = layout.x[e.to];
    const y2 = layout.y[e.to] + h / 2;
    const dx = Math.max(30, Math.round((x2 - x1) / 2));
    const d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
    const kind = e.kind.replace(/ /g, "-");
    const title = [e.kind, e.platform, ...e.enabledBy.map((f) => `feature ${f}`)].filter(Boolean).join(", ");
    return `<path class="edge k-${kind}" data-edge="${k}" data-from="${e.from}" data-to="${e.to}" d="${d}"><title>${escapeHtml(title)}</title></path>`;
  });
  const nodeSvg = model.nodes.map((n, i) => {
    const cls = `node src-${n.sourceKind} side-${n.side}${n.root ? " root" : ""}${n.rebuild ? " rebuilds" : ""}`;
    const rebuild = n.rebuild ? `\nrebuilds: ${n.rebuild.lines.join("; ")}` : "";
    const title = `${n.pkgId}\n${n.role}, ${n.side}${n.platform ? ` (${n.platform})` : ""}${rebuild}`;
    return (
      `<g class="${cls}" id="${n.id}" data-index="${i}" data-name="${escapeHtml(n.name)}" transform="translate(${layout.x[i]},${layout.y[i]})">` +
      `<rect width="${widths[i]}" height="${h}" rx="5"/><text x="8" y="16">${escapeHtml(labels[i])}</text>` +
      `<title>${escapeHtml(title)}</title></g>`
    );
  });
  return `<svg${id ? ` id="${id}"` : ""} xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">
<g id="edges">
${edgeSvg.join("\n")}
</g>
<g id="nodes">
${nodeSvg.join("\n")}
</g>
</svg>`;
}

/** The page: the first view drawn; with several views (a flake's outputs) a switch and each view's
 * drawing in a `<template>` the script swaps in. */
export function renderPage(views: HtmlView[]): string {
  const model = views[0].model;
  const title = `crateflake graph — ${views.length > 1 ? "flake outputs" : views[0].caption}`;
  const kinds = [...new Set(views.flatMap((v) => v.model.nodes.map((n) => n.sourceKind)))].sort();
  const legend = [
    ...kinds.map((k) => `<span class="chip src-${k}">${k}</span>`),
    `<span class="chip side-target">target</span>`,
    `<span class="chip side-host">host</span>`,
    ...(views.some((v) => v.model.nodes.some((n) => n.side === "both"))
      ? [`<span class="chip side-both">host and target</span>`]
      : []),
    ...(views.some((v) => v.model.changes) ? [`<span class="chip rebuilds">rebuilds</span>`] : []),
  ].join("");
  const colours = [
    ...Object.entries(SOURCE_FILL).map(
      ([k, c]) => `.src-${k} rect, .chip.src-${k} { fill: ${c}; background: ${c}; }`,
    ),
    ...Object.entries(SIDE_STROKE).map(
      ([k, c]) => `.side-${k} rect, .chip.side-${k} { stroke: ${c}; border-color: ${c}; }`,
    ),
    `.rebuilds rect, .chip.rebuilds { fill: ${REBUILD.fill}; background: ${REBUILD.fill}; stroke: ${REBUILD.stroke}; border-color: ${REBUILD.stroke}; }`,
    `#panel-rebuild.rebuilds { border-color: ${REBUILD.stroke}; }`,
  ].join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${PAGE_STYLE}
${colours}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
${views.length > 1 ? outputSwitch(views) : ""}
<span id="counts">${escapeHtml(countsText(model))}</span>
<form id="search-form" autocomplete="off"><input id="search" type="search" placeholder="find a crate (Enter selects)" aria-label="find a crate"></form>
<span id="search-status"></span>
<span class="legend">${legend}</span>
</header>
<main>
<div id="canvas">
${svgOf(model, "graph")}
</div>
${views.length > 1 ? views.map((v, k) => `<template id="view-${k}">${svgOf(v.model, "")}</template>`).join("\n") : ""}
<aside id="panel"><p class="hint">Click a crate or search for one to see its features and why it is in the build.</p></aside>
</main>
<script type="application/json" id="graph-data">${scriptJson(views.map((v) => ({ name: v.name, caption: v.caption, model: v.model })))}</script>
<script>
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

/** The header's counts (the page's script writes the same for the other views). */
function countsText(model: GraphModel): string {
  const c = model.changes;
  const changes = c ? `; ${c.rebuilt} rebuild against ${c.against}` : "";
  return `${model.nodes.length} units, ${model.edges.length} edges${changes}`;
}

function outputSwitch(views: HtmlView[]): string {
  const options = views.map((v, k) => `<option value="${k}">${escapeHtml(v.caption)}</option>`);
  return `<label>output <select id="output" aria-label="flake output">${options.join("")}</select></label>`;
}
