/**
 * Cold builds of the cats sample from empty caches, same machine, same run:
 *   app   `nix build .#app` of the generated flake into a throw-away store (`--store DIR`, sandboxed so the
 *         store can live elsewhere) vs rustup's `cargo build --release -p app` with a fresh target dir
 *         and CARGO_HOME; the flake's default toolchain is the same rustup stable rustc
 *   wasm  `nix build .#wasm` vs Debian's `cargo build --release -p wasm --target wasm32-unknown-unknown`
 *         (the flake's wasm32 toolchain is Debian's rustc 1.63, the only one here with the wasm32 std)
 * Goal: ≤ 1.10× cargo. Cargo's critical path (critical-path.ts) is reported next to it: the wall time
 * neither tool can beat with unlimited cores.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { criticalPath, parseTimingHtml, parseUnitGraph } from "./critical-path.ts";
import { benchCacheRoot, nixEnv, registryDir, rustupEnv, sharedDir } from "./env.ts";
import { generateFlake, SYSTEM } from "./evaluation.ts";
import { failedRow, type PartContext } from "./generation.ts";
import { type Command, CommandFailed, compare } from "./measure.ts";
import type { BenchProject } from "./projects.ts";
import { ms, type Row } from "./report.ts";

/** Where a cold build's state lives; the rebuild part reuses it. */
export interface BuildSite {
  project: BenchProject;
  dir: string;
  store: string;
  nixEnv: NodeJS.ProcessEnv;
}

/** What sandboxed builds may see: the host toolchains the stand-ins link to, and the registries (file:// fetches). */
export function sandboxPaths(): string {
  // /var/lib/dpkg: the stand-in nixpkgs finds what to link from dpkg's file lists.
  return [
    "/bin /usr /lib /lib64 /etc/alternatives /var/lib/dpkg /root/.rustup /root/.cargo",
    registryDir,
    benchCacheRoot(),
  ].join(" ");
}

/** Options that make a signed `file://` binary cache the only substituter, trusting one key and nothing unsigned. */
export function trustingCache(cacheDir: string, publicKey: string): string[] {
  return [
    ...["--option", "substituters", `file://${cacheDir}`],
    ...["--option", "trusted-public-keys", publicKey],
    ...["--option", "require-sigs", "true"],
  ];
}

/** A fresh cats sample under DIR with its flake generated and locked against the stand-in inputs. */
export function prepareSite(ctx: PartContext, name: string, registry = registryDir): BuildSite {
  const dir = join(benchCacheRoot(), name);
  rmSync(dir, { recursive: true, force: true });
  execFileSync("bash", [join(sharedDir, "rust/make-cats-sample.sh"), dir, registry], { stdio: "ignore" });
  const project: BenchProject = { label: "cats sample", root: join(dir, "cats-ws"), crates: 71 };
  const env = nixEnv({ ...ctx.env, XDG_CACHE_HOME: join(dir, "xdg-cache") });
  generateFlake(ctx, project, env);
  return { project, dir, store: join(dir, "store"), nixEnv: env };
}

/** Builds into a throw-away store must be sandboxed (so the store can live elsewhere). */
function sandboxOptions(): string[] {
  return ["--option", "sandbox", "true", "--option", "sandbox-paths", sandboxPaths()];
}

export function nixBuild(site: BuildSite, output: string, extra: string[] = []): Command {
  return {
    cmd: "nix",
    args: ["build", `.#${output}`, "--no-link", "--store", site.store, ...sandboxOptions(), ...extra],
    cwd: site.project.root,
    env: site.nixEnv,
  };
}

export interface CargoSide {
  command: Command;
  targetDir: string;
  cargoHome: string;
  /** Flags for unit-graph.sh that give the same units. */
  unitGraphArgs: string[];
}

export function cargoBuild(site: BuildSite, output: "app" | "wasm"): CargoSide {
  const targetDir = join(site.dir, `target-${output}`);
  const cargoHome = join(site.dir, `cargo-home-${output}`);
  if (output === "app") {
    return {
      command: {
        cmd: "cargo",
        args: ["build", "--release", "-p", "app", "--timings", "--target-dir", targetDir],
        cwd: site.project.root,
        env: { ...rustupEnv(), CARGO_HOME: cargoHome },
      },
      targetDir,
      cargoHome,
      unitGraphArgs: ["--release", "-p", "app"],
    };
  }
  const wasm = ["--release", "-p", "wasm", "--target", "wasm32-unknown-unknown"];
  return {
    command: {
      cmd: "/usr/bin/cargo",
      args: ["build", ...wasm, "--timings", "--target-dir", targetDir],
      cwd: site.project.root,
      env: {
        ...process.env,
        PATH: `/usr/bin:${process.env.PATH}`,
        RUSTC: "/usr/bin/rustc",
        CARGO_HOME: cargoHome,
      },
    },
    targetDir,
    cargoHome,
    unitGraphArgs: wasm,
  };
}

function timingNote(
  site: BuildSite,
  cargo: CargoSide,
): { note: string; extra: Record<string, number> } | null {
  const html = join(cargo.targetDir, "cargo-timings/cargo-timing.html");
  if (!existsSync(html)) return null;
  try {
    const graph = execFileSync(
      "bash",
      [
        join(sharedDir, "rust/unit-graph.sh"),
        "--manifest-path",
        join(site.project.root, "Cargo.toml"),
        ...cargo.unitGraphArgs,
      ],
      {
        encoding: "utf8",
        env: { ...rustupEnv(), CARGO_HOME: cargo.cargoHome },
        maxBuffer: 256 << 20,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const cp = criticalPath(parseUnitGraph(JSON.parse(graph)), parseTimingHtml(readFileSync(html, "utf8")));
    const unmatched = cp.unmatched > 0 ? ` (${cp.unmatched} units without timings)` : "";
    return {
      note: `cargo's critical path: ${ms(cp.pipelinedS * 1000)} pipelined, ${ms(cp.unpipelinedS * 1000)} unpipelined${unmatched}`,
      extra: {
        criticalPathPipelinedMs: cp.pipelinedS * 1000,
        criticalPathUnpipelinedMs: cp.unpipelinedS * 1000,
      },
    };
  } catch (e) {
    return { note: `critical path unavailable: ${(e as Error).message.split("\n")[0]}`, extra: {} };
  }
}

/**
 * An empty throw-away store holding only the toolchain and tools (the stand-ins for nixpkgs): cargo's
 * side finds its toolchain installed, and a nixpkgs user substitutes it, so neither is timed. (Built
 * inside the timed run, the 9 stand-ins waited behind the 69 fetches, which sort first by name.)
 */
export function freshStore(site: BuildSite, output: string): void {
  rmSync(site.store, { recursive: true, force: true });
  const opts = { cwd: site.project.root, env: site.nixEnv, encoding: "utf8" as const, maxBuffer: 64 << 20 };
  const drv = execFileSync(
    "nix",
    ["eval", "--raw", `.#packages.${SYSTEM}.${output}.drvPath`, "--store", site.store],
    opts,
  );
  const closure = execFileSync("nix-store", ["--store", site.store, "-qR", drv], opts).split("\n");
  const tools = closure.filter((p) => /-standin[^/]*\.drv$/.test(p));
  if (tools.length === 0) throw new Error(`no stand-in tools in the closure of ${drv}`);
  execFileSync("nix-store", ["--store", site.store, ...sandboxOptions(), "-r", ...tools], {
    ...opts,
    stdio: "ignore",
  });
}

export function benchColdBuild(ctx: PartContext, runs = 1): Row[] {
  const rows: Row[] = [];
  let site: BuildSite;
  try {
    ctx.log("cold-build: preparing the cats sample and its flake");
    site = prepareSite(ctx, "cold");
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    return [failedRow("cold-build", "cats sample", "nix build", e)];
  }
  for (const output of ["app", "wasm"] as const) {
    ctx.log(`cold-build: ${output} (nix build vs cargo build --release, ${runs} run(s))`);
    const cargo = cargoBuild(site, output);
    try {
      const [n, c] = compare(
        [
          {
            command: nixBuild(site, output),
            before: () => freshStore(site, output),
          },
          {
            command: cargo.command,
            before: () => {
              rmSync(cargo.targetDir, { recursive: true, force: true });
              rmSync(cargo.cargoHome, { recursive: true, force: true });
            },
          },
        ],
        runs,
      );
      const ratio = n.medianMs / c.medianMs;
      const timing = timingNote(site, cargo);
      rows.push({
        part: "cold-build",
        case: `cats sample, ${output}`,
        what: "nix build (empty store)",
        ours: n,
        baseline: {
          label: output === "app" ? "cargo build --release" : "cargo build --release (wasm32)",
          stat: c,
        },
        ratio,
        goal: { text: "≤ 1.10× cargo", met: ratio <= 1.1 },
        note: timing?.note,
        extra: timing?.extra,
      });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      rows.push(failedRow("cold-build", `cats sample, ${output}`, "nix build", e));
    }
    ctx.checkpoint?.(rows);
  }
  return rows;
}
