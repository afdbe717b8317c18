/**
 * Pipelined builds (issue 22) against unpipelined ones on this machine: the cats sample's app built cold
 * (an empty throw-away store holding only the stand-in tools, as cold-build.ts) with `pipelining = "all"`
 * and without, interleaved. Each build's timeline (bench/replay.ts timeline) and derivation graph are
 * kept in bench/results/pipelining-<mode>.{tsv,drvs.json}, so that `bench/replay.ts measured` can replay
 * the measured metadata and full derivations on more build slots than this machine has.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshStore, prepareSite, sandboxPaths } from "./cold-build.ts";
import { repoRoot } from "./env.ts";
import { failedRow, type PartContext } from "./generation.ts";
import { CommandFailed, compare, runOnce } from "./measure.ts";
import type { Row } from "./report.ts";

const MODES = ["all", "off"] as const;

export function benchPipelining(ctx: PartContext, runs = 1): Row[] {
  let site: ReturnType<typeof prepareSite>;
  try {
    ctx.log("pipelining: preparing the cats sample and its flake");
    site = prepareSite(ctx, "pipelining");
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    return [failedRow("pipelining", "cats sample, app", "nix build", e)];
  }
  const root = site.project.root;
  const config = readFileSync(join(root, "crateflake.toml"), "utf8");
  const results = (mode: string, ext: string) => join(repoRoot, `bench/results/pipelining-${mode}.${ext}`);
  const generate = (mode: string) => {
    writeFileSync(
      join(root, "crateflake.toml"),
      mode === "off" ? config : `pipelining = "${mode}"\n${config}`,
    );
    runOnce({ cmd: join(repoRoot, "scripts/crateflake"), args: ["generate", "."], cwd: root, env: ctx.env });
  };
  // nix build with its log turned into a timeline as it happens (internal-json has no times).
  const build = (mode: string) => ({
    cmd: "bash",
    args: [
      "-c",
      `nix build .#app --no-link --store "$1" --option sandbox true --option sandbox-paths "$2" --log-format internal-json -v 2>&1 >/dev/null | (cd "$3" && node --import tsx bench/replay.ts timeline) >"$4"; exit "\${PIPESTATUS[0]}"`,
      "bash",
      site.store,
      sandboxPaths(),
      repoRoot,
      results(mode, "tsv"),
    ],
    cwd: root,
    env: site.nixEnv,
  });
  const graph = (mode: string) => {
    const drv = execFileSync("nix", ["eval", "--raw", ".#app.drvPath", "--store", site.store], {
      cwd: root,
      env: site.nixEnv,
      encoding: "utf8",
    });
    const json = execFileSync("nix", ["show-derivation", "-r", drv, "--store", site.store], {
      cwd: root,
      env: site.nixEnv,
      encoding: "utf8",
      maxBuffer: 256 << 20,
    });
    writeFileSync(results(mode, "drvs.json"), json);
  };
  ctx.log(`pipelining: app with pipelining = all and off (${runs} run(s) each, cold)`);
  try {
    const [on, off] = compare(
      MODES.map((mode) => ({
        command: build(mode),
        before: () => {
          generate(mode);
          freshStore(site, "app");
        },
        after: () => graph(mode),
      })),
      runs,
    );
    return [
      {
        part: "pipelining",
        case: "cats sample, app",
        what: 'nix build, pipelining = "all" (empty store)',
        ours: on,
        baseline: { label: "the same without pipelining", stat: off },
        ratio: on.medianMs / off.medianMs,
        goal: null,
        note: "2 build slots on a shared, loaded machine; bench/replay.ts measured replays these builds on more",
      },
    ];
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    return [failedRow("pipelining", "cats sample, app", "nix build", e)];
  }
}
