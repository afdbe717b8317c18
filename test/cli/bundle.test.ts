/**
 * The CLI as the npm package ships it (scripts/bundle.ts → dist/crateflake.mjs), laid out as an installed
 * package: it finds its own package.json and Nix library from inside the bundle, and `init` writes the
 * very bytes the sources write.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { bundleCli } from "../../scripts/bundle.ts";
import { runCli } from "../support/cli.ts";
import { repoRoot } from "../support/env.ts";

const fixture = join(repoRoot, "test/fixtures/plan/two-versions");

/** Every file under `dir` (relative path → bytes). */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, "latin1"));
    }
  };
  walk(dir);
  return files;
}

describe("the bundled CLI", () => {
  let tmp: string;
  let bin: string;
  const runBundle = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tmp });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "crateflake-bundle-"));
    const pkg = join(tmp, "pkg");
    bin = join(pkg, "dist/crateflake.mjs");
    await bundleCli(repoRoot, bin);
    for (const name of ["package.json", "nix", "node_modules"])
      symlinkSync(join(repoRoot, name), join(pkg, name));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("prints the package's version", () => {
    const r = runBundle("--version");
    assert.equal(r.status, 0, r.stderr);
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    assert.equal(r.stdout.trim(), version);
  });

  test("init writes the same files as the sources do", () => {
    const fromBundle = join(tmp, "a");
    const fromSources = join(tmp, "b");
    cpSync(fixture, fromBundle, { recursive: true });
    cpSync(fixture, fromSources, { recursive: true });
    const r = runBundle("init", "--quiet", fromBundle);
    assert.equal(r.status, 0, r.stderr);
    const s = runCli(["init", "--quiet", fromSources]);
    assert.equal(s.code, 0, s.stderr);
    const a = tree(fromBundle);
    assert.ok(a.has(".crateflake/data/x86_64-linux.json") && a.has(".crateflake/lib/default.nix"));
    assert.deepEqual(a, tree(fromSources));
  });

  test("a user error is one line, as from the sources", () => {
    const r = runBundle("generate", join(tmp, "nowhere"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: .*crateflake\.toml.*\n$/);
  });
});
