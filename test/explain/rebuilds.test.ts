/**
 * `crateflake rebuilds` on the cats sample, against Nix itself: after the base commit is built, three
 * changes (an edit of cats, itoa bumped in Cargo.lock, a tokio feature added in app) each list exactly the
 * unit derivations that `nix build --dry-run` then wants to build, per output; Nix's other derivations
 * are the output's join and the bumped crate's archive, which are no units.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { registryWithBump } from "../../bench/bump-registry.ts";
import type { OutputRebuilds } from "../../src/explain/rebuilds.ts";
import { copyDir, nixBuild, wouldBuild } from "../nix/support.ts";
import { runCli } from "../support/cli.ts";
import {
  catsSampleDir,
  needCargo,
  needNix,
  needRegistry,
  registryDir,
  rustupEnv,
  tempDir,
} from "../support/env.ts";

const skip = needRegistry || needNix || needCargo;
const BUMP = { name: "itoa", from: "1.0.1", to: "1.0.91" };
let dir = "";

/** A copy of the registry with itoa 1.0.91, at a fixed path: the bytes (and so the store paths of the base
 * build) are the same on every run, so only the first run on a machine builds the sample cold. */
function bumpedRegistry(): string {
  const path = join(tmpdir(), `crateflake-registry-${BUMP.name}-${BUMP.to}`);
  if (existsSync(join(path, `${BUMP.name}-${BUMP.to}.crate`))) return path;
  const scratch = tempDir("registry");
  registryWithBump(registryDir, join(scratch, "r"), BUMP.name, BUMP.from, [BUMP.to]);
  rmSync(path, { recursive: true, force: true });
  renameSync(join(scratch, "r"), path);
  return path;
}

function git(args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
}

function cli(args: string[]) {
  const r = runCli(args, { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** The outputs' rebuilds on this machine's system, as `--json` reports them. */
function rebuilds(): OutputRebuilds[] {
  const report = JSON.parse(cli(["rebuilds", "--json", "--system", "x86_64-linux"]));
  return report.systems[0].outputs;
}

/**
 * For each output: the units listed are exactly the `rust-` derivations Nix would build; the rest of
 * Nix's list is the output's join and `extra`. Returns the listed units by output.
 */
function matchesNix(extra: string[]): Map<string, OutputRebuilds> {
  const listed = rebuilds();
  cli(["generate", "--quiet", "."]);
  for (const o of listed) {
    const nix = wouldBuild(dir, o.output);
    const units = nix.filter((d) => d.startsWith("rust-"));
    assert.deepEqual(units, o.rebuilt.map((u) => u.derivation).sort(), `${o.output}: units`);
    const others = nix.filter((d) => !d.startsWith("rust-"));
    const allowed = new Set([o.output, ...extra]);
    assert.deepEqual(
      others.filter((d) => !allowed.has(d)),
      [],
      `${o.output}: only its join and ${extra.join(", ")}`,
    );
    if (units.length > 0) assert.ok(others.includes(o.output), `${o.output}: its join`);
  }
  return new Map(listed.map((o) => [o.output, o]));
}

function restore(): void {
  git(["checkout", "--quiet", "--", "."]);
  cli(["generate", "--quiet", "."]);
}

describe("rebuilds against nix build --dry-run", { skip }, () => {
  before(() => {
    dir = join(tempDir("rebuilds"), "cats-ws");
    copyDir(join(catsSampleDir(), "cats-ws"), dir);
    const config = join(dir, ".cargo/config.toml");
    writeFileSync(config, readFileSync(config, "utf8").replace(registryDir, bumpedRegistry()));
    cli(["init", "--quiet", "."]);
    git(["init", "--quiet", "."]);
    git(["add", "-A"]);
    git(["commit", "--quiet", "-m", "base"]);
    nixBuild(dir, "all");
  });

  test("nothing changed: nothing to rebuild", () => {
    for (const o of rebuilds()) assert.deepEqual(o.rebuilt, [], o.output);
  });

  test("an edit of cats: cats and its dependents, in both outputs", () => {
    appendFileSync(join(dir, "cats/src/lib.rs"), "\npub fn meow() -> u8 { 1 }\n");
    const by = matchesNix([]);
    for (const [output, top] of [
      ["app", "rust-app-0.1.0-bin-app"],
      ["wasm", "rust-wasm-0.1.0"],
    ]) {
      const o = by.get(output)!;
      assert.deepEqual(
        o.rebuilt.map((u) => u.derivation),
        ["rust-cats-0.1.0", top],
      );
      assert.deepEqual(o.rebuilt[0].causes, [{ kind: "source", files: ["src/lib.rs"] }]);
      assert.deepEqual(o.rebuilt[1].causes, [
        { kind: "dependency", changed: ["cats"], added: [], removed: [] },
      ]);
    }
    restore();
  });

  test("itoa bumped in Cargo.lock: itoa (version) and what is above it", () => {
    execFileSync("cargo", ["update", "--offline", "-q", "-p", BUMP.name, "--precise", BUMP.to], {
      cwd: dir,
      env: rustupEnv,
      stdio: "pipe",
    });
    const by = matchesNix([`crate-${BUMP.name}-${BUMP.to}.crate`]);
    for (const o of by.values()) {
      const itoa = o.rebuilt.filter((u) => u.name === BUMP.name);
      assert.ok(itoa.length > 0, `${o.output} rebuilds itoa`);
      for (const u of itoa) assert.deepEqual(u.causes, [{ kind: "version", from: BUMP.from, to: BUMP.to }]);
      for (const u of o.rebuilt.filter((u) => u.name !== BUMP.name))
        assert.ok(
          u.causes.some((c) => c.kind === "dependency" && c.changed.length > 0),
          `${u.derivation}: ${JSON.stringify(u.causes)}`,
        );
    }
    const text = cli(["rebuilds", "--system", "x86_64-linux"]);
    assert.match(text, /\n {4}itoa 1\.0\.91 lib: version 1\.0\.1 → 1\.0\.91\n/);
    restore();
  });

  test("a tokio feature added in app: tokio's units (features) and their dependents, app only", () => {
    const manifest = join(dir, "app/Cargo.toml");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace('"rt-multi-thread"]', '"rt-multi-thread", "fs"]'),
    );
    const by = matchesNix([]);
    assert.deepEqual(by.get("wasm")!.rebuilt, []);
    const tokio = by.get("app")!.rebuilt.filter((u) => u.name === "tokio");
    assert.deepEqual(
      tokio.map((u) => u.derivation),
      ["rust-tokio-1.24.2-build-script", "rust-tokio-1.24.2-build-script-run", "rust-tokio-1.24.2"],
    );
    for (const u of tokio) {
      const f = u.causes.find((c) => c.kind === "features");
      assert.ok(f && f.kind === "features");
      assert.deepEqual([f.added, f.removed], [["fs"], []]);
    }
    restore();
  });
});
