/**
 * The CI figure of issue 19: a CI machine that starts from nothing but a warm binary cache, after a
 * one-line change in one member (cats/src/lib.rs of the cats sample).
 *   ours      `nix build .#app` into a fresh throw-away store whose only substituter is a signed `file://`
 *             cache holding the build of the unchanged sample (every unit's output and the stand-in
 *             tools, pushed as CI pushes: `nix copy` of the build closure with its outputs, zstd)
 *   baseline  `cargo build --release -p app` in a fresh target dir and CARGO_HOME: what a CI without
 *             caches does
 * Reported next to the times: the derivations built, the paths fetched and their bytes (the cache's
 * compressed files, read from the narinfos of the fetched paths, and unpacked).
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildSite, cargoBuild, prepareSite, sandboxPaths, trustingCache } from "./cold-build.ts";
import { SYSTEM } from "./evaluation.ts";
import { failedRow, type PartContext } from "./generation.ts";
import { type Command, CommandFailed, compare, runOnce } from "./measure.ts";
import type { Row } from "./report.ts";

const MiB = 1024 * 1024;

/** The warm cache: the unchanged sample's app built in the main store, its build closure pushed, signed. */
function warmCache(site: BuildSite, cache: string): string {
  const opts = { cwd: site.project.root, env: site.nixEnv, encoding: "utf8" as const, maxBuffer: 256 << 20 };
  runOnce({ cmd: "nix", args: ["build", ".#app", "--no-link"], cwd: site.project.root, env: site.nixEnv });
  const drv = execFileSync("nix", ["eval", "--raw", `.#packages.${SYSTEM}.app.drvPath`], opts);
  const paths = execFileSync("nix-store", ["-qR", "--include-outputs", drv], opts)
    .split("\n")
    .filter((p) => p !== "" && !p.endsWith(".drv"));
  const secret = execFileSync("nix", ["key", "generate-secret", "--key-name", "crateflake-bench-ci-1"], opts);
  const secretFile = join(site.dir, "cache.secret");
  writeFileSync(secretFile, secret, { mode: 0o600 });
  rmSync(cache, { recursive: true, force: true });
  execFileSync(
    "nix",
    ["copy", "--to", `file://${cache}?compression=zstd&secret-key=${secretFile}`, ...paths],
    {
      ...opts,
      stdio: "ignore",
    },
  );
  return execFileSync("nix", ["key", "convert-secret-to-public"], { ...opts, input: secret }).trim();
}

/** Compressed and unpacked bytes of `paths` as the cache's narinfos give them. */
function cacheBytes(cache: string, paths: string[]): { file: number; nar: number } {
  let file = 0;
  let nar = 0;
  for (const p of paths) {
    const info = join(cache, `${p.replace(/^\/nix\/store\//, "").slice(0, 32)}.narinfo`);
    if (!existsSync(info)) continue;
    const text = readFileSync(info, "utf8");
    file += Number(/^FileSize: (\d+)$/m.exec(text)?.[1] ?? 0);
    nar += Number(/^NarSize: (\d+)$/m.exec(text)?.[1] ?? 0);
  }
  return { file, nar };
}

export function benchCiCache(ctx: PartContext, runs = 1): Row[] {
  const label = "cats sample, edit cats/src/lib.rs";
  const what = "nix build (fresh store, warm cache)";
  let site: BuildSite;
  let publicKey: string;
  const cache = () => join(site.dir, "cache");
  try {
    ctx.log("ci-cache: preparing the cats sample, building app and pushing it to a signed file:// cache");
    site = prepareSite(ctx, "ci-cache");
    publicKey = warmCache(site, cache());
  } catch (e) {
    if (!(e instanceof CommandFailed) && !(e instanceof Error)) throw e;
    return [failedRow("ci-cache", label, what, e as Error)];
  }
  const nix: Command = {
    cmd: "nix",
    args: [
      "build",
      ".#app",
      "--no-link",
      "-v",
      "--store",
      site.store,
      "--option",
      "sandbox",
      "true",
      "--option",
      "sandbox-paths",
      sandboxPaths(),
      ...trustingCache(cache(), publicKey),
    ],
    cwd: site.project.root,
    env: site.nixEnv,
  };
  const cargo = cargoBuild(site, "app");
  let edits = 0;
  let built = 0;
  let fetched: string[] = [];
  let compiled = 0;
  ctx.log(
    `ci-cache: nix build vs cargo build --release, ${runs} run(s), a new one-line edit before each pair`,
  );
  try {
    const [n, c] = compare(
      [
        {
          command: nix,
          before: () => {
            edits++;
            appendFileSync(
              join(site.project.root, "cats/src/lib.rs"),
              `pub fn ci_edit_${process.pid}_${edits}() -> u32 { ${edits} }\n`,
            );
            rmSync(site.store, { recursive: true, force: true });
            mkdirSync(site.store, { recursive: true });
          },
          after: (run) => {
            built = run.stderr.match(/^building '/gm)?.length ?? 0;
            fetched = [...run.stderr.matchAll(/^copying path '([^']+)' from 'file:/gm)].map((m) => m[1]);
          },
        },
        {
          command: cargo.command,
          before: () => {
            rmSync(cargo.targetDir, { recursive: true, force: true });
            rmSync(cargo.cargoHome, { recursive: true, force: true });
          },
          after: (run) => {
            compiled = run.stderr.match(/^\s*Compiling /gm)?.length ?? 0;
          },
        },
      ],
      runs,
    );
    const bytes = cacheBytes(cache(), fetched);
    return [
      {
        part: "ci-cache",
        case: label,
        what,
        ours: n,
        baseline: { label: "cargo build --release (fresh target dir)", stat: c },
        ratio: n.medianMs / c.medianMs,
        goal: null,
        note:
          `${built} derivations built, ${fetched.length} paths fetched: ` +
          `${(bytes.file / MiB).toFixed(1)} MiB from the cache (zstd), ${(bytes.nar / MiB).toFixed(1)} MiB unpacked; ` +
          `cargo compiled ${compiled} crates`,
        extra: {
          derivationsBuilt: built,
          pathsFetched: fetched.length,
          bytesFetched: bytes.file,
          bytesUnpacked: bytes.nar,
          cargoCompiled: compiled,
        },
      },
    ];
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    return [failedRow("ci-cache", label, what, e)];
  }
}
