/**
 * A small layered layout (Sugiyama's method, simplified) for drawing a DAG left to right: each node's
 * layer is its longest distance from a root, nodes within a layer are ordered by the barycentre of their
 * neighbours over a few sweeps, then placed on a grid. Deterministic: ties break on a caller-given key.
 */

export interface LayoutInput {
  /** Number of nodes; nodes are 0..count-1. */
  count: number;
  /** Directed edges `[from, to]`, drawn left (from) to right (to). Must form a DAG. */
  edges: [number, number][];
  /** Width of each node's box, in px. */
  widths: number[];
  /** Tie-break order (e.g. the label); smaller comes first. */
  keys: string[];
}

export interface Layout {
  width: number;
  height: number;
  /** Top-left corner of each node's box. */
  x: number[];
  y: number[];
  layer: number[];
  nodeHeight: number;
}

export const NODE_HEIGHT = 24;
const ROW_GAP = 10;
const LAYER_GAP = 90;
const MARGIN = 20;
const SWEEPS = 6;

export function layeredLayout(input: LayoutInput): Layout {
  const { count, edges, widths, keys } = input;
  const out: number[][] = Array.from({ length: count }, () => []);
  const inc: number[][] = Array.from({ length: count }, () => []);
  for (const [a, b] of edges) {
    if (a === b) continue;
    out[a].push(b);
    inc[b].push(a);
  }
  const layer = longestPathLayers(count, out, inc);
  const layers: number[][] = Array.from({ length: Math.max(-1, ...layer) + 1 }, () => []);
  for (let i = 0; i < count; i++) layers[layer[i]].push(i);
  const byKey = (a: number, b: number) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b);
  for (const l of layers) l.sort(byKey);
  const pos = new Array<number>(count).fill(0);
  const renumber = (l: number[]) => {
    l.forEach((n, i) => {
      pos[n] = i;
    });
  };
  layers.forEach(renumber);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const l of order) {
      const bary = new Map<number, number>();
      for (const n of l) {
        const nb = down ? inc[n] : out[n];
        bary.set(n, nb.length === 0 ? pos[n] : nb.reduce((s, m) => s + pos[m], 0) / nb.length);
      }
      l.sort((a, b) => bary.get(a)! - bary.get(b)! || byKey(a, b));
      renumber(l);
    }
  }
  // Columns as wide as their widest node; rows centred vertically against the tallest column.
  const colX: number[] = [];
  let x = MARGIN;
  for (const l of layers) {
    colX.push(x);
    x += Math.max(0, ...l.map((n) => widths[n])) + LAYER_GAP;
  }
  const tallest = Math.max(0, ...layers.map((l) => l.length));
  const fullHeight = tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const xs = new Array<number>(count).fill(0);
  const ys = new Array<number>(count).fill(0);
  layers.forEach((l, li) => {
    const h = l.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
    const top = MARGIN + Math.round((fullHeight - h) / 2);
    l.forEach((n, i) => {
      xs[n] = colX[li];
      ys[n] = top + i * (NODE_HEIGHT + ROW_GAP);
    });
  });
  return {
    width: x - LAYER_GAP + MARGIN,
    height: fullHeight + 2 * MARGIN,
    x: xs,
    y: ys,
    layer,
    nodeHeight: NODE_HEIGHT,
  };
}

/** Layer = longest path from a source (Kahn's order); nodes on a cycle, if any, go after their sources. */
function longestPathLayers(count: number, out: number[][], inc: number[][]): number[] {
  const layer = new Array<number>(count).fill(0);
  const indeg = inc.map((l) => l.length);
  const queue: number[] = [];
  for (let i = 0; i < count; i++) if (indeg[i] === 0) queue.push(i);
  let done = 0;
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q];
    done++;
    for (const m of out[n]) {
      layer[m] = Math.max(layer[m], layer[n] + 1);
      if (--indeg[m] === 0) queue.push(m);
    }
  }
  if (done < count) {
    // Malformed input with a cycle: put the leftover nodes one layer after everything placed.
    const last = Math.max(0, ...layer) + 1;
    for (let i = 0; i < count; i++) if (indeg[i] > 0) layer[i] = last;
  }
  return layer;
}
