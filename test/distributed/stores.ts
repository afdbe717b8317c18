/**
 * Nix stores that stand for separate machines on this one: a chroot store (`--store DIR`, real files
 * under DIR/nix/store, logical paths /nix/store/...) has its own database and build logs, so what it
 * substituted and what it built can be read from it alone. Builds into such a store are always
 * sandboxed, so the sandbox must see what the stand-in nixpkgs links to on the host.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { overrideInputs } from "../nix/support.ts";
import { nixEnv, registryDir } from "../support/env.ts";

/** What sandboxed builds may see: the host toolchains the stand-ins link to, dpkg's lists they read. */
export const sandboxPaths = [
  "/bin",
  "/usr",
  "/lib",
  "/lib64",
  "/etc/alternatives",
  "/var/lib/dpkg",
  "/root/.rustup",
  "/root/.cargo",
  registryDir,
].join(" ");

export interface NixRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `nix ARGS` offline, with `extraEnv` (NIX_SSHOPTS), bounded in time. */
export function nix(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}, timeoutS = 600): NixRun {
  const r = spawnSync("nix", args, {
    cwd,
    env: nixEnv(extraEnv),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutS * 1000,
    killSignal: "SIGKILL",
  });
  const timedOut = r.error && /ETIMEDOUT/.test(String(r.error)) ? `\n(killed after ${timeoutS} s)` : "";
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + timedOut };
}

/** `nix build -v --json` of `path:FLAKE#ATTR` with the stand-in inputs, into `store` (or the main store). */
export function nixBuildIn(
  flake: string,
  attr: string,
  store: string | null,
  options: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
  timeoutS = 600,
): NixRun {
  const storeArgs = store ? ["--store", store, "--option", "sandbox-paths", sandboxPaths] : [];
  return nix(
    [
      "build",
      "-v",
      "--json",
      "--no-link",
      `path:${flake}#${attr}`,
      ...overrideInputs,
      ...storeArgs,
      ...options,
    ],
    flake,
    extraEnv,
    timeoutS,
  );
}

/** The derivations a `nix build -v` run built (locally or on a remote builder), sorted. */
export function builtDerivations(stderr: string): string[] {
  return [...stderr.matchAll(/^building '(\/nix\/store\/[^']+\.drv)'/gm)].map((m) => m[1]).sort();
}

/** The store paths a `nix build -v` run copied from a substituter (a binary cache). */
export function substitutedPaths(stderr: string): string[] {
  return [...stderr.matchAll(/^copying path '(\/nix\/store\/[^']+)' from '[^']+'/gm)].map((m) => m[1]).sort();
}

/**
 * The derivations that ran a builder in the chroot store at `root`: each build leaves its log under
 * nix/var/log/nix/drvs/XX/REST.drv.bz2; substituted paths leave none.
 */
export function buildLogs(root: string): string[] {
  const dir = join(root, "nix/var/log/nix/drvs");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((two) =>
      readdirSync(join(dir, two)).map((rest) => `/nix/store/${two}${rest.replace(/\.bz2$/, "")}`),
    )
    .sort();
}

/** The outputs present in the chroot store at `root` whose names match `pattern` (no .drv files). */
export function outputsIn(root: string, pattern: RegExp): string[] {
  const dir = join(root, "nix/store");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => !n.endsWith(".drv") && !n.endsWith(".lock") && pattern.test(n));
}

/**
 * Where the logical store path `path` (symlinks inside the store followed) lies on disk in the chroot
 * store at `root`: a program built there is run from there, not from the main store.
 */
export function realPathIn(root: string, path: string): string {
  let logical = path;
  for (let i = 0; i < 40; i++) {
    const onDisk = join(root, logical);
    let target: string;
    try {
      target = readlinkSync(onDisk);
    } catch {
      return onDisk;
    }
    logical = isAbsolute(target) ? target : resolve(join(logical, ".."), target);
  }
  throw new Error(`too many symlinks from ${path} in ${root}`);
}

/** The derivation closure (every .drv below `drv`) in the main store. */
export function derivationClosure(drv: string): Set<string> {
  const r = spawnSync("nix-store", ["-qR", drv], { env: nixEnv(), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`nix-store -qR ${drv} failed:\n${r.stderr}`);
  return new Set(r.stdout.split("\n").filter((p) => p.endsWith(".drv")));
}

/** `.drv` path of `path:FLAKE#ATTR` in the main store (evaluated, not built). */
export function drvPathOf(flake: string, attr: string): string {
  const r = nix(["path-info", "--derivation", `path:${flake}#${attr}`, ...overrideInputs], flake);
  if (r.status !== 0) throw new Error(`nix path-info --derivation ${attr} failed:\n${r.stderr.slice(-3000)}`);
  return r.stdout.trim();
}

export function readText(path: string): string {
  return readFileSync(path, "utf8").trim();
}
