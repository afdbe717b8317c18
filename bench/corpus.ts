/**
 * The corpus of real applications (issue 17), outside CI: `node --import tsx bench/corpus.ts [APP...]`
 * (default: every application of bench/corpus/apps.ts). Each one goes through bench/corpus/run-app.ts;
 * results are merged into bench/results/corpus.json (one entry per application, so runs can be resumed
 * one application at a time) and the table of README's corpus section is written to
 * bench/results/corpus.md. Exit 1 when any application differs from Cargo or fails.
 * `--pipelining MODE` (`heavy`, `all`): the same with `pipelining = MODE` in crateflake.toml, in copies
 * of their own, results in bench/results/corpus-pipelining-MODE.{json,md}.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Pipelining } from "../src/generate/config.ts";
import { corpusApps } from "./corpus/apps.ts";
import type { ColdResult } from "./corpus/cold.ts";
import { type AppResult, runApp } from "./corpus/run-app.ts";
import { repoRoot } from "./env.ts";

/** An application's results; `cold` is bench/corpus/cold.ts's, kept when bench/corpus.ts runs again. */
export type Entry = (AppResult | { app: string; error: string }) & { cold?: ColdResult };

const args = process.argv.slice(2);
const at = args.indexOf("--pipelining");
const pipelining = at < 0 ? undefined : (args.splice(at, 2)[1] as Pipelining);
const resultsName = pipelining ? `corpus-pipelining-${pipelining}` : "corpus";
const resultsFile = join(repoRoot, `bench/results/${resultsName}.json`);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const yesNo = (b: boolean | null) => (b === null ? "—" : b ? "yes" : "no");
/** nix / cargo wall time (ratio), and CPU time. */
function coldCell(c: ColdResult | undefined): string {
  if (!c) return "—";
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return `${s(c.nix.wallMs)} / ${s(c.cargo.wallMs)} (${ratio(c.nix.wallMs, c.cargo.wallMs)}); CPU ${s(c.nix.cpuMs)} / ${s(c.cargo.cpuMs)} (${ratio(c.nix.cpuMs, c.cargo.cpuMs)})`;
}

export function corpusTable(entries: Entry[]): string {
  const lines = [
    "| application | shape | crates | derivations | outputs equal to Cargo | tests equal | nix build (derivations built) | cargo build --release | edit rebuilds | cold build: nix / cargo --release |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    if ("error" in e) {
      lines.push(
        `| ${e.app} | | | | no: ${e.error.split("\n")[0].slice(0, 120)} | | | | | ${coldCell(e.cold)} |`,
      );
      continue;
    }
    const runs = `${yesNo(e.outputsEqual)} (${e.runs.filter((r) => r.equal).length}/${e.runs.length} runs)`;
    const tests = e.tests.length
      ? `${yesNo(e.testsEqual)} (${e.tests.map((t) => `${t.tests} tests, ${t.cargoPassed ? "pass" : "fail"}`).join("; ")})`
      : "—";
    const rebuild = `${e.rebuild.derivations.length} (${e.rebuild.onlyMembers ? "members only" : "NOT only members"})`;
    lines.push(
      `| ${e.app} ${e.version} | ${e.shape} | ${e.crates} | ${e.derivations} | ${runs} | ${tests} | ${s(e.nixBuildMs)} (${e.built}) | ${s(e.cargoBuildMs)} | ${rebuild} | ${coldCell(e.cold)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function main(): void {
  const names = args;
  if (pipelining !== undefined && pipelining !== "heavy" && pipelining !== "all") {
    console.error("error: --pipelining takes heavy or all");
    process.exit(2);
  }
  const apps = names.length ? corpusApps.filter((a) => names.includes(a.name)) : corpusApps;
  const unknown = names.filter((n) => !corpusApps.some((a) => a.name === n));
  if (unknown.length) {
    console.error(
      `error: unknown application ${unknown.join(", ")}; known: ${corpusApps.map((a) => a.name).join(", ")}`,
    );
    process.exit(2);
  }
  let ok = true;
  for (const app of apps) {
    let entry: Entry;
    try {
      entry = runApp(app, { pipelining, log: (m) => console.error(m) });
      ok &&= entry.outputsEqual && entry.testsEqual !== false && entry.rebuild.onlyMembers;
    } catch (err) {
      entry = { app: app.name, error: (err as Error).message };
      ok = false;
    }
    // Read again before writing: another run (of other applications) may have written its entries since;
    // keep an application's cold-build figures (bench/corpus/cold.ts) across reruns.
    const previous: Entry[] = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : [];
    const byApp = new Map(previous.map((e) => [e.app, e]));
    const cold = byApp.get(app.name)?.cold;
    byApp.set(app.name, cold ? { ...entry, cold } : entry);
    const ordered = corpusApps.map((a) => byApp.get(a.name)).filter((e): e is Entry => e !== undefined);
    writeFileSync(resultsFile, `${JSON.stringify(ordered, null, 2)}\n`);
    writeFileSync(join(repoRoot, `bench/results/${resultsName}.md`), corpusTable(ordered));
    console.error(JSON.stringify(entry, null, 2).slice(0, 4000));
  }
  process.stdout.write(readFileSync(join(repoRoot, `bench/results/${resultsName}.md`), "utf8"));
  process.exit(ok ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
