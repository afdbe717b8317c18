/**
 * Determinism: generating twice, and generating from a copy of the project whose files were created in
 * the opposite order, with other mtimes, on another file system (tmpfs lists a directory in reverse
 * creation order, ext4 by hash) and under another path, gives byte-identical output; the data holds no
 * absolute path of the flake's own directory.
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { catsSampleDir, needRegistry, tempDir } from "../support/env.ts";
import { cli, copyFixture } from "./support.ts";

/** Files under `dir` (relative path → bytes), in sorted order. */
function files(dir: string, skip: (rel: string) => boolean = () => false): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(rel, readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const generated = (rel: string) =>
  rel === "flake.nix" || rel === "default.nix" || rel === "crateflake.toml" || rel.startsWith(".crateflake");

/** A copy of `from` at `to` whose files are created in reverse order, with scattered mtimes. */
function reverseCopy(from: string, to: string): void {
  const all = [...files(from, (rel) => generated(rel) || rel.startsWith("target")).entries()].reverse();
  let t = 1_000_000_000;
  for (const [rel, bytes] of all) {
    mkdirSync(join(to, rel, ".."), { recursive: true });
    writeFileSync(join(to, rel), bytes);
    t += 7_777_777;
    utimesSync(join(to, rel), t, t);
  }
}

function generatedOf(dir: string): Map<string, Buffer> {
  return new Map([...files(dir)].filter(([rel]) => generated(rel)));
}

function assertSame(a: Map<string, Buffer>, b: Map<string, Buffer>, what: string): void {
  assert.deepEqual([...b.keys()], [...a.keys()], `${what}: other files`);
  for (const [rel, bytes] of a) assert.ok(bytes.equals(b.get(rel)!), `${what}: ${rel} differs`);
}

function check(project: string, layoutDir: string): void {
  const first = cli(["init", "--quiet", project]);
  assert.equal(first.code, 0, first.stderr);
  const once = generatedOf(project);
  assert.ok([...once.keys()].some((k) => k.startsWith(".crateflake/data/")));

  const again = cli(["generate", "--quiet", project]);
  assert.equal(again.code, 0, again.stderr);
  assertSame(once, generatedOf(project), "generated twice");

  const shm = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/crateflake-det-") : tempDir("det-other");
  try {
    const other = join(shm, "somewhere", "else", layoutDir);
    reverseCopy(project, other);
    const r = cli(["init", "--quiet", other]);
    assert.equal(r.code, 0, r.stderr);
    assertSame(once, generatedOf(other), "generated from a reversed copy elsewhere");
    for (const [rel, bytes] of once) {
      const text = bytes.toString("utf8");
      for (const dir of [project, other])
        assert.ok(!text.includes(dir), `${rel} holds the absolute path of the flake (${dir})`);
    }
  } finally {
    rmSync(shm, { recursive: true, force: true });
  }
}

describe("the same bytes", () => {
  test("the hostile fixture (one package, build script, strange paths)", () => {
    check(copyFixture("hostile"), "hostile");
  });

  test("the cats sample, separate packages joined by path (several roots, registry crates)", {
    skip: needRegistry,
  }, () => {
    const dir = join(tempDir("det-cats"), "cats-sep");
    reverseCopy(join(catsSampleDir(), "cats-sep"), dir);
    check(dir, "cats-sep");
  });
});
