/**
 * Shared pieces of the hardening tests: the CLI in a child process, fixture copies, Nix against the
 * stand-ins, and small registries and vendored directories made at test time (their crates hold a nonce,
 * so a crate's content never was in the Nix store before and a fixed-output fetch really runs).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { overrideInputs } from "../nix/support.ts";
import { fixturesDir, nixEnv, tempDir } from "../support/env.ts";

export const hardeningFixtures = join(fixturesDir, "hardening");
const cliPath = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a user runs it, in a child process. */
export function cli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Run {
  const r = spawnSync(process.execPath, ["--import", "tsx", cliPath, ...args], {
    encoding: "utf8",
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    timeout: opts.timeout ?? 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI started in the background (for killing it). */
export function cliSpawn(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, ["--import", "tsx", cliPath, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Assert-friendly check that a failed run printed exactly one line, `error: ...`, and no stack trace. */
export function oneErrorLine(r: Run): string | null {
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  if (r.code !== 1) return `exit code ${r.code} (signal ${r.signal}), stderr:\n${r.stderr}`;
  if (lines.length !== 1) return `expected one stderr line, got ${lines.length}:\n${r.stderr}`;
  if (!lines[0].startsWith("error: ")) return `stderr does not start with "error: ": ${lines[0]}`;
  if (/internal error|\n\s+at /.test(r.stderr)) return `an internal error: ${r.stderr}`;
  return null;
}

/** A copy of test/fixtures/hardening/NAME in a fresh temp dir; returns the copy's path. */
export function copyFixture(name: string, into = tempDir(`hard-${name}`)): string {
  const dest = join(into, name);
  cpSync(join(hardeningFixtures, name), dest, { recursive: true });
  return dest;
}

export { overrideInputs };

/** `nix ARGS` on the flake in `dir` (as `path:DIR#ATTR` when an attribute is given), offline. */
export function nixOn(dir: string, sub: string[], attr?: string, extra: string[] = []): Run {
  const args = [...sub, ...(attr === undefined ? [] : [`path:${dir}#${attr}`]), ...overrideInputs, ...extra];
  const r = spawnSync("nix", args, {
    cwd: dir,
    env: nixEnv({ XDG_CACHE_HOME: join(tempDir("xdg"), "cache") }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** `nix build` of `attr`; returns the output path or throws with Nix's log tail. */
export function nixBuildOut(dir: string, attr: string): string {
  const r = nixOn(dir, ["build", "--json", "--no-link"], attr);
  if (r.code !== 0) throw new Error(`nix build ${attr} failed:\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout)[0].outputs.out;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A fresh nonce for crate contents. */
export function nonce(): string {
  return `${process.pid}-${Date.now()}-${randomBytes(6).toString("hex")}`;
}

export interface TinyCrate {
  name: string;
  version: string;
  /** src/lib.rs */
  lib: string;
}

/** Crates.io index path of a crate name (`1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd`). */
function indexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/** A `.crate` archive (gzip'd tar of NAME-VERSION/{Cargo.toml,src/lib.rs}), byte-stable for given content. */
export function crateArchive(c: TinyCrate): Buffer {
  const work = tempDir("crate");
  const top = `${c.name}-${c.version}`;
  mkdirSync(join(work, top, "src"), { recursive: true });
  writeFileSync(
    join(work, top, "Cargo.toml"),
    `[package]\nname = "${c.name}"\nversion = "${c.version}"\nedition = "2021"\n`,
  );
  writeFileSync(join(work, top, "src/lib.rs"), c.lib);
  const tar = execFileSync(
    "tar",
    ["-c", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-C", work, top],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return execFileSync("gzip", ["-n", "-c"], { input: tar });
}

/** A local registry (`index/` + `NAME-VERSION.crate`) holding `crates`; returns the checksums by name. */
export function writeLocalRegistry(dir: string, crates: TinyCrate[]): Map<string, string> {
  const sums = new Map<string, string>();
  for (const c of crates) {
    const bytes = crateArchive(c);
    const cksum = sha256Hex(bytes);
    sums.set(c.name, cksum);
    writeFileSync(join(dir, `${c.name}-${c.version}.crate`), bytes);
    const entry = join(dir, "index", indexPath(c.name));
    mkdirSync(dirname(entry), { recursive: true });
    writeFileSync(
      entry,
      `${JSON.stringify({ name: c.name, vers: c.version, deps: [], cksum, features: {}, yanked: false })}\n`,
    );
  }
  return sums;
}

/**
 * A project `app` (bin) depending on the registry crates, with `.cargo/config.toml` replacing crates-io by
 * `replacement` (a `[source.x]` body) and a v4 Cargo.lock with the given checksums.
 */
export function writeRegistryProject(
  dir: string,
  crates: TinyCrate[],
  sums: Map<string, string>,
  replacement: string,
  main = "fn main() {}\n",
): void {
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, ".cargo"), { recursive: true });
  const deps = crates.map((c) => `${c.name} = "${c.version}"`).join("\n");
  writeFileSync(
    join(dir, "Cargo.toml"),
    `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}\n`,
  );
  writeFileSync(join(dir, "src/main.rs"), main);
  writeFileSync(
    join(dir, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "x"\n\n[source.x]\n${replacement}\n`,
  );
  const cratesIo = "registry+https://github.com/rust-lang/crates.io-index";
  const sorted = [...crates].sort((a, b) => (a.name < b.name ? -1 : 1));
  const lock = [
    "# This file is automatically @generated by Cargo.",
    "# It is not intended for manual editing.",
    "version = 4",
    "",
    "[[package]]",
    'name = "app"',
    'version = "0.1.0"',
    `dependencies = [${sorted.map((c) => JSON.stringify(c.name)).join(", ")}]`,
    ...sorted.flatMap((c) => [
      "",
      "[[package]]",
      `name = "${c.name}"`,
      `version = "${c.version}"`,
      `source = "${cratesIo}"`,
      `checksum = "${sums.get(c.name)}"`,
    ]),
  ];
  writeFileSync(join(dir, "Cargo.lock"), `${lock.join("\n")}\n`);
}

/** A vendored directory source (`DIR/NAME/` + `.cargo-checksum.json`), as `cargo vendor` writes it. */
export function writeVendorDir(dir: string, crates: TinyCrate[]): Map<string, string> {
  const sums = new Map<string, string>();
  for (const c of crates) {
    const pkgDir = join(dir, c.name);
    mkdirSync(join(pkgDir, "src"), { recursive: true });
    const manifest = `[package]\nname = "${c.name}"\nversion = "${c.version}"\nedition = "2021"\n`;
    writeFileSync(join(pkgDir, "Cargo.toml"), manifest);
    writeFileSync(join(pkgDir, "src/lib.rs"), c.lib);
    const cksum = sha256Hex(crateArchive(c));
    sums.set(c.name, cksum);
    const files = { "Cargo.toml": sha256Hex(manifest), "src/lib.rs": sha256Hex(c.lib) };
    writeFileSync(join(pkgDir, ".cargo-checksum.json"), JSON.stringify({ files, package: cksum }));
  }
  return sums;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}
