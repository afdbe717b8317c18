/**
 * The corpus of real applications (issue 17), outside CI: `node --import tsx bench/corpus.ts [APP...]`
 * (default: every application of bench/corpus/apps.ts). Each one goes through bench/corpus/run-app.ts;
 * results are merged into bench/results/corpus.json (one entry per application, so runs can be resumed
 * one application at a time) and the table of README's corpus section is written to
 * bench/results/corpus.md. Exit 1 when any application differs from Cargo or fails.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { corpusApps } from "./corpus/apps.ts";
import { type AppResult, runApp } from "./corpus/run-app.ts";
import { repoRoot } from "./env.ts";

type Entry = AppResult | { app: string; error: string };

const resultsFile = join(repoRoot, "bench/results/corpus.json");
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const yesNo = (b: boolean | null) => (b === null ? "—" : b ? "yes" : "no");

export function corpusTable(entries: Entry[]): string {
  const lines = [
    "| application | shape | crates | derivations | outputs equal to Cargo | tests equal | nix build (derivations built) | cargo build --release | edit rebuilds |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    if ("error" in e) {
      lines.push(`| ${e.app} | | | | no: ${e.error.split("\n")[0].slice(0, 120)} | | | | |`);
      continue;
    }
    const runs = `${yesNo(e.outputsEqual)} (${e.runs.filter((r) => r.equal).length}/${e.runs.length} runs)`;
    const tests = e.tests.length
      ? `${yesNo(e.testsEqual)} (${e.tests.map((t) => `${t.tests} tests, ${t.cargoPassed ? "pass" : "fail"}`).join("; ")})`
      : "—";
    const rebuild = `${e.rebuild.derivations.length} (${e.rebuild.onlyMembers ? "members only" : "NOT only members"})`;
    lines.push(
      `| ${e.app} ${e.version} | ${e.shape} | ${e.crates} | ${e.derivations} | ${runs} | ${tests} | ${s(e.nixBuildMs)} (${e.built}) | ${s(e.cargoBuildMs)} | ${rebuild} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function main(): void {
  const names = process.argv.slice(2);
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
      entry = runApp(app, { log: (m) => console.error(m) });
      ok &&= entry.outputsEqual && entry.testsEqual !== false && entry.rebuild.onlyMembers;
    } catch (err) {
      entry = { app: app.name, error: (err as Error).message };
      ok = false;
    }
    // Read again before writing: another run (of other applications) may have written its entries since.
    const previous: Entry[] = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : [];
    const byApp = new Map(previous.map((e) => [e.app, e]));
    byApp.set(app.name, entry);
    const ordered = corpusApps.map((a) => byApp.get(a.name)).filter((e): e is Entry => e !== undefined);
    writeFileSync(resultsFile, `${JSON.stringify(ordered, null, 2)}\n`);
    writeFileSync(join(repoRoot, "bench/results/corpus.md"), corpusTable(ordered));
    console.error(JSON.stringify(entry, null, 2).slice(0, 4000));
  }
  process.stdout.write(readFileSync(join(repoRoot, "bench/results/corpus.md"), "utf8"));
  process.exit(ok ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
