/** The benchmark results: rows of crateflake against a baseline, printed as a table, JSON and Markdown. */
import type { Stat } from "./measure.ts";

export interface Row {
  /** generation, evaluation, cold-build, rebuild, ... */
  part: string;
  /** The project: "cats sample", "synthetic 1,000", ... */
  case: string;
  /** What crateflake's side ran. */
  what: string;
  ours: Stat | null;
  baseline: { label: string; stat: Stat } | null;
  /** ours / baseline, medians. */
  ratio: number | null;
  goal: { text: string; met: boolean } | null;
  note?: string;
  /** When this row was measured (rows of parts not rerun are kept from earlier runs). */
  date?: string;
  /** More numbers for the JSON (critical paths, derivation counts, ...). */
  extra?: Record<string, number>;
}

export interface ProfileEntry {
  functionName: string;
  url: string;
  line: number;
  selfMs: number;
  selfPercent: number;
}

export interface Results {
  date: string;
  machine: Record<string, string>;
  options: Record<string, unknown>;
  rows: Row[];
  profile: { what: string; totalMs: number; top: ProfileEntry[]; file: string } | null;
  notes: string[];
}

export function ms(x: number): string {
  if (x < 1000) return `${Math.round(x)} ms`;
  if (x < 100_000) return `${(x / 1000).toFixed(2)} s`;
  return `${(x / 1000).toFixed(0)} s`;
}

function stat(s: Stat | null): string {
  if (!s) return "—";
  return s.runs > 1 ? `${ms(s.medianMs)} (n=${s.runs})` : ms(s.medianMs);
}

function rss(s: Stat | null): string {
  return s?.peakRssKb ? `${Math.round(s.peakRssKb / 1024)} MiB` : "—";
}

function cells(r: Row): string[] {
  return [
    r.part,
    r.case,
    r.what,
    stat(r.ours),
    r.baseline ? `${r.baseline.label}: ${stat(r.baseline.stat)}` : "—",
    r.ratio === null ? "—" : `${r.ratio.toFixed(2)}×`,
    r.goal ? `${r.goal.text} ${r.goal.met ? "✓" : "✗"}` : "—",
    `${rss(r.ours)}${r.baseline ? ` / ${rss(r.baseline.stat)}` : ""}`,
  ];
}

const header = [
  "part",
  "case",
  "crateflake",
  "median",
  "baseline (median)",
  "ratio",
  "goal",
  "peak RSS (ours / baseline)",
];

export function textTable(rows: Row[]): string {
  const all = [header, ...rows.map(cells)];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  return all.map((r) => r.map((c, i) => c + " ".repeat(widths[i] - [...c].length)).join("  ")).join("\n");
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

export function markdown(res: Results): string {
  const dates = new Map<string, Set<string>>();
  for (const r of res.rows) {
    const d = r.date ?? res.date;
    if (!dates.has(d)) dates.set(d, new Set());
    dates.get(d)!.add(r.part);
  }
  const when =
    dates.size <= 1 ? res.date : [...dates].map(([d, parts]) => `${d} (${[...parts].join(", ")})`).join("; ");
  const lines = [
    `Measured ${when} on ${res.machine.cpus} (${res.machine.cores} cores, shared), ${res.machine.node}, ` +
      `${res.machine.nix}, ${res.machine.cargo}. Medians of interleaved runs; ratio = crateflake / baseline.`,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...res.rows.map((r) => `| ${cells(r).map(escapeCell).join(" | ")} |`),
  ];
  const notes = res.rows.filter((r) => r.note).map((r) => `- ${r.part}, ${r.case}: ${r.note}`);
  if (notes.length + res.notes.length > 0) lines.push("", ...res.notes.map((n) => `- ${n}`), ...notes);
  if (res.profile) {
    lines.push(
      "",
      `Profile of ${res.profile.what} (${ms(res.profile.totalMs)} sampled; top self time):`,
      "",
      "| self | % | function | where |",
      "| --- | --- | --- | --- |",
      ...res.profile.top.map(
        (p) =>
          `| ${ms(p.selfMs)} | ${p.selfPercent.toFixed(1)} | ${escapeCell(p.functionName || "(anonymous)")} | ${escapeCell(`${p.url}:${p.line}`)} |`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
