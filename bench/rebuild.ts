/**
 * Rebuilds of the cats sample's `app` after a change, once both sides have built it:
 *   edit   a new function appended to cats/src/lib.rs: Nix rebuilds the derivations that depend on the
 *          cats source; cargo rebuilds incrementally in its target dir
 *   bump   one locked dependency moved to another version (`cargo update -p itoa --precise ...`, against
 *          a copy of the registry with bumped itoa versions, a new one for every run, so that neither
 *          side ever finds the result already built): crateflake regenerates and Nix rebuilds; cargo
 *          rebuilds
 * Reported: wall times (medians), how many derivations Nix rebuilt (from `nix build --dry-run`) and how
 * many crates cargo recompiled (its `Compiling` lines), so the two counts can be held side by side.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { registryWithBump } from "./bump-registry.ts";
import { cliArgs } from "./cli.ts";
import { type BuildSite, cargoBuild, nixBuild, prepareSite } from "./cold-build.ts";
import { benchCacheRoot, registryDir } from "./env.ts";
import { failedRow, type PartContext } from "./generation.ts";
import { type Command, CommandFailed, compare, median, runOnce } from "./measure.ts";
import { ms, type Row } from "./report.ts";

/** `to`: one version per run (at most 9 runs). */
const BUMP = { name: "itoa", from: "1.0.1", to: [91, 92, 93, 94, 95, 96, 97, 98, 99].map((p) => `1.0.${p}`) };

/** How many derivations `nix build` would build now (parsed from `--dry-run`). */
export function derivationsToBuild(site: BuildSite, output: string): number {
  const c = nixBuild(site, output, ["--dry-run"]);
  const r = spawnSync(c.cmd, c.args, { cwd: c.cwd, env: c.env, encoding: "utf8" });
  const m = r.stderr.match(/these (\d+) derivations will be built/);
  if (m) return Number(m[1]);
  return /this derivation will be built/.test(r.stderr) ? 1 : 0;
}

function lockTo(site: BuildSite, version: string): void {
  runOnce({
    cmd: "/usr/bin/cargo",
    args: ["update", "--offline", "-q", "-p", BUMP.name, "--precise", version],
    cwd: site.project.root,
    env: { ...process.env, CARGO_HOME: join(site.dir, "cargo-home-update") },
  });
}

export function benchRebuild(ctx: PartContext): Row[] {
  const rows: Row[] = [];
  const runs = Math.max(1, Math.min(ctx.runs, 3));
  let site: BuildSite;
  try {
    ctx.log("rebuild: preparing the cats sample (registry with a bumped itoa) and building app both ways");
    const registry = join(benchCacheRoot(), "registry-bumped");
    registryWithBump(registryDir, registry, BUMP.name, BUMP.from, BUMP.to);
    site = prepareSite(ctx, "rebuild", registry);
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    return [failedRow("rebuild", "cats sample", "nix build", e)];
  }
  const cargo = cargoBuild(site, "app");
  const nix = nixBuild(site, "app");
  try {
    runOnce(nix);
    runOnce(cargo.command);
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    return [failedRow("rebuild", "cats sample", "initial builds", e)];
  }

  const measure = (label: string, what: string, ours: Command, change: () => void): void => {
    ctx.log(`rebuild: ${label} (${runs} runs)`);
    try {
      let rebuilt = 0;
      let recompiled = 0;
      // Each nix run follows a fresh change; cargo then sees the same change.
      const [o, c] = compare(
        [
          {
            command: ours,
            before: () => {
              change();
              rebuilt = Math.max(rebuilt, derivationsToBuild(site, "app"));
            },
          },
          {
            command: cargo.command,
            after: (run) => {
              recompiled = Math.max(recompiled, run.stderr.match(/^\s*Compiling /gm)?.length ?? 0);
            },
          },
        ],
        runs,
      );
      rows.push({
        part: "rebuild",
        case: `cats sample, ${label}`,
        what,
        ours: o,
        baseline: { label: "cargo build --release (incremental)", stat: c },
        ratio: o.medianMs / c.medianMs,
        goal: null,
        note: `${rebuilt} derivations rebuilt; cargo recompiled ${recompiled} crates`,
        extra: { derivationsRebuilt: rebuilt, cargoRecompiled: recompiled },
      });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      rows.push(failedRow("rebuild", `cats sample, ${label}`, what, e));
    }
    ctx.checkpoint?.(rows);
  };

  let edits = 0;
  measure("edit cats/src/lib.rs", "nix build", nix, () => {
    edits++;
    appendFileSync(
      join(site.project.root, "cats/src/lib.rs"),
      `\npub fn bench_edit_${edits}() -> u32 {\n    ${edits}\n}\n`,
    );
  });

  // Cargo.lock changed: crateflake regenerates first (timed apart, reported in the note), then Nix builds.
  const generateTimes: number[] = [];
  let bumps = 0;
  measure(`bump ${BUMP.name} in Cargo.lock`, "nix build after generate", nix, () => {
    bumps++;
    lockTo(site, BUMP.to[bumps - 1]);
    generateTimes.push(runOnce({ ...cliArgs(ctx.cli, "generate"), cwd: site.project.root, env: ctx.env }).ms);
  });
  const last = rows.at(-1);
  if (last?.ours && generateTimes.length > 0) {
    last.note = `${last.note}; generate took ${ms(median(generateTimes))} (median) before each build`;
    last.extra = { ...last.extra, generateMedianMs: median(generateTimes) };
  }
  return rows;
}
