/**
 * Driving a generated flake as a user would: `crateflake init`, `nix build`, `nix eval`, with the flake's
 * nixpkgs and rust-overlay inputs overridden by the stand-ins under test/stand-in/ (no nixpkgs offline).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { nixEnv, repoRoot } from "../support/env.ts";

export const standIns = [
  "--override-input",
  "nixpkgs",
  `path:${join(repoRoot, "test/stand-in/nixpkgs")}`,
  "--override-input",
  "rust-overlay",
  `path:${join(repoRoot, "test/stand-in/rust-overlay")}`,
];

/** `nix ARGS` in the flake directory; returns status and output (stderr carries Nix's messages). */
export function nix(dir: string, args: string[]) {
  const r = spawnSync("nix", [...args, ...standIns], {
    cwd: dir,
    env: nixEnv(),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Build one flake attribute and return its output path. */
export function nixBuild(dir: string, attr: string): string {
  const r = nix(dir, ["build", "--no-link", "--json", `.#${attr}`]);
  if (r.code !== 0) throw new Error(`nix build .#${attr} failed:\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout)[0].outputs.out;
}

/** The derivations `nix build` would still build for an attribute (parsed from --dry-run). */
export function toBuild(dir: string, attr: string): string[] {
  const r = nix(dir, ["build", "--dry-run", "--no-link", `.#${attr}`]);
  if (r.code !== 0) throw new Error(`nix build --dry-run .#${attr} failed:\n${r.stderr.slice(-4000)}`);
  const lines = r.stderr.split("\n");
  const start = lines.findIndex((l) => /will be built:$/.test(l));
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^\s+\/nix\/store\/[a-z0-9]{32}-(.+)\.drv$/.exec(l);
    if (!m) break;
    out.push(m[1]);
  }
  return out.sort();
}

/** Run a program with CATS_URL pointing at a local server that serves one cat; resolves to its stdout. */
export async function runWithCatServer(program: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify([{ url: "https://cats.example/tabby.jpg" }]));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cats.json`;
  try {
    return await new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => {
      const child = spawn(program, args, { env: { ...process.env, ...env, CATS_URL: url } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("exit", (code) => ok({ code, stdout, stderr }));
    });
  } finally {
    server.close();
  }
}

/** The names a `.wasm` file exports, as Node's WebAssembly API sees them. */
export function wasmExports(bytes: Uint8Array): string[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(new Uint8Array(bytes))).map((e) => e.name);
}

export function copyTree(from: string, to: string): void {
  execFileSync("cp", ["-r", from, to]);
}
