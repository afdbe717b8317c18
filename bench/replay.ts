/**
 * Replays a measured cold `nix build` on N build slots, as is and with pipelining: some libraries get a
 * second derivation that stops at the rmeta, which dependent libraries compile against, as cargo lets a
 * dependent start once the metadata is written. The answer to "would splitting metadata from codegen
 * pay on this machine?" without building it. Used for the README's cold-build notes.
 *
 *   nix build .#app --log-format internal-json -v 2>&1 | node --import tsx bench/replay.ts timeline > t.tsv
 *   nix derivation show -r .#app > drvs.json      (Nix 2.8: nix show-derivation -r)
 *   node --import tsx bench/replay.ts drvs.json t.tsv target/cargo-timings/cargo-timing.html [SLOTS]
 *
 * Or, with a build made with `pipelining` on (bench/pipelining.ts keeps its timeline and graph), the
 * measured durations of its metadata and full derivations, replayed as they are on more slots:
 *   node --import tsx bench/replay.ts measured drvs.json t.tsv [SLOTS...]
 *
 * A split library's rmeta derivation lasts its front-end share of the measured compile (cargo's
 * `--timings` sections of the same crate) plus OVERHEAD, the measured cost of one more derivation.
 * Builds start in name order when a slot is free, as Nix 2.8 does (see the README's Decisions).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseTimingHtml } from "./critical-path.ts";

const OVERHEAD = 0.15;

export interface Node {
  id: string;
  name: string;
  deps: string[];
  seconds: number;
  rlib: boolean;
  pkg: string;
  crate: string;
}

/** Nix's internal-json log on stdin → `start<TAB>seconds<TAB>name` per build. */
async function timeline(): Promise<void> {
  const t0 = Date.now();
  const started = new Map<number, { name: string; start: number }>();
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.startsWith("@nix ")) continue;
    const now = (Date.now() - t0) / 1000;
    const e = JSON.parse(line.slice(5));
    if (e.action === "start" && e.type === 105) {
      const name = String(e.text)
        .replace(/.*\/nix\/store\/[a-z0-9]{32}-/, "")
        .replace(/\.drv'.*/, "");
      started.set(e.id, { name, start: now });
    } else if (e.action === "stop" && started.has(e.id)) {
      const b = started.get(e.id)!;
      process.stdout.write(`${b.start.toFixed(2)}\t${(now - b.start).toFixed(2)}\t${b.name}\n`);
    }
  }
}

function nodesOf(drvFile: string, timelineFile: string): Map<string, Node> {
  const seconds = new Map<string, number>();
  for (const line of readFileSync(timelineFile, "utf8").trim().split("\n")) {
    const [, s, name] = line.split("\t");
    seconds.set(name as string, Number(s));
  }
  const drvs = JSON.parse(readFileSync(drvFile, "utf8")) as Record<
    string,
    { inputDrvs: Record<string, unknown>; env: Record<string, string> }
  >;
  const nodes = new Map<string, Node>();
  for (const [id, d] of Object.entries(drvs)) {
    const name = id.replace(/^\/nix\/store\/[a-z0-9]{32}-/, "").replace(/\.drv$/, "");
    nodes.set(id, {
      id,
      name,
      deps: Object.keys(d.inputDrvs),
      seconds: seconds.get(name) ?? 0.05,
      rlib: d.env.unitKind === "lib" && d.env.crateTypes === "lib",
      pkg: d.env.pkgName ?? "",
      crate: `${d.env.pkgName}-${d.env.pkgVersion}`,
    });
  }
  return nodes;
}

/** The graph with an rmeta derivation for each library `split` picks; its dependent libraries use it. */
export function pipelined(
  nodes: Map<string, Node>,
  frontEnd: Map<string, number>,
  split: (n: Node) => boolean,
) {
  const out = new Map<string, Node>();
  const meta = new Set<string>();
  for (const n of nodes.values()) {
    out.set(n.id, { ...n });
    if (!n.rlib || !split(n)) continue;
    meta.add(n.id);
    const share = frontEnd.get(n.crate) ?? 0.5;
    out.set(`${n.id}#rmeta`, { ...n, id: `${n.id}#rmeta`, seconds: n.seconds * share + OVERHEAD });
  }
  for (const n of out.values()) if (n.rlib) n.deps = n.deps.map((d) => (meta.has(d) ? `${d}#rmeta` : d));
  return out;
}

/** Wall time on `slots` slots: ready builds start in name order (rmeta before its full build). */
export function replay(nodes: Map<string, Node>, slots: number): number {
  const order = (n: Node) => `${n.name}${n.id.endsWith("#rmeta") ? "0" : "1"}`;
  const finished = new Map<string, number>();
  const pending = new Set(nodes.keys());
  const running: { id: string; end: number }[] = [];
  let now = 0;
  while (pending.size > 0 || running.length > 0) {
    const ready = [...pending]
      .map((id) => nodes.get(id)!)
      .filter((n) => n.deps.every((d) => (finished.get(d) ?? Number.POSITIVE_INFINITY) <= now))
      .sort((a, b) => (order(a) < order(b) ? -1 : 1));
    while (running.length < slots && ready.length > 0) {
      const n = ready.shift()!;
      pending.delete(n.id);
      running.push({ id: n.id, end: now + n.seconds });
    }
    running.sort((a, b) => a.end - b.end);
    const next = running.shift()!;
    now = next.end;
    finished.set(next.id, now);
  }
  return now;
}

/** The wall time of a measured build's graph on each number of slots. */
export function measured(nodes: Map<string, Node>, slots: number[]): { slots: number; seconds: number }[] {
  return slots.map((n) => ({ slots: n, seconds: replay(nodes, n) }));
}

async function main(args: string[]): Promise<void> {
  if (args[0] === "timeline") return timeline();
  if (args[0] === "measured") {
    const [, drvFile, timelineFile, ...slots] = args;
    if (!drvFile || !timelineFile) throw new Error("usage: see the top of bench/replay.ts");
    const nodes = nodesOf(drvFile, timelineFile);
    const metas = [...nodes.values()].filter((n) => n.name.endsWith("-metadata")).length;
    const counts = slots.length ? slots.map(Number) : [2, 4, 8, 16];
    for (const r of measured(nodes, counts))
      console.log(
        `${r.slots} slots: ${r.seconds.toFixed(1)} s (${nodes.size} derivations, ${metas} metadata)`,
      );
    return;
  }
  const [drvFile, timelineFile, timingHtml, slots = "2"] = args;
  if (!drvFile || !timelineFile || !timingHtml) throw new Error("usage: see the top of bench/replay.ts");
  const nodes = nodesOf(drvFile, timelineFile);
  const frontEnd = new Map<string, number>();
  for (const u of parseTimingHtml(readFileSync(timingHtml, "utf8")))
    if (u.kind === "lib" && u.rmeta !== null && u.duration > 0)
      frontEnd.set(`${u.name.replace(/_/g, "-")}-${u.version}`, u.rmeta / u.duration);
  const splits: [string, (n: Node) => boolean][] = [
    ["no split", () => false],
    ["tokio, h2, hyper", (n) => ["tokio", "h2", "hyper"].includes(n.pkg)],
    ["libraries over 3 s", (n) => n.seconds > 3],
    ["every library", () => true],
  ];
  for (const [label, split] of splits)
    console.log(
      `${slots} slots, ${label}: ${replay(pipelined(nodes, frontEnd, split), Number(slots)).toFixed(1)} s`,
    );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2));
