/**
 * The nothing-changed fast path (src/generate/input-cache.ts): after any change to something `generate`
 * reads, the cache must miss, and `check`/`generate` answered through the cache must agree with a run
 * without one (a fresh XDG_CACHE_HOME). With nothing changed, it must hit. Runs the CLI in-process (the
 * hit counter is per process) on a small project with a local registry.
 */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { lookupStats } from "../../src/generate/input-cache.ts";
import {
  crateArchive,
  nonce,
  type TinyCrate,
  writeLocalRegistry,
  writeRegistryProject,
} from "../hardening/support.ts";
import { tempDir } from "../support/env.ts";

interface Run {
  code: number;
  stderr: string;
  hit: boolean;
}

const cacheHome = join(tempDir("input-cache-xdg"), "cache");

/** The CLI in this process; `fresh` runs it with an empty cache directory (the answer without a cache). */
async function run(args: string[], fresh = false): Promise<Run> {
  const saved = { xdg: process.env.XDG_CACHE_HOME, write: process.stderr.write };
  process.env.XDG_CACHE_HOME = fresh ? join(tempDir("input-cache-fresh"), "cache") : cacheHome;
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  const hits = lookupStats.hits;
  try {
    const code = await main(args);
    return { code, stderr, hit: lookupStats.hits > hits };
  } finally {
    process.exitCode = undefined;
    process.stderr.write = saved.write;
    if (saved.xdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved.xdg;
  }
}

describe("input cache", () => {
  const root = tempDir("input-cache");
  const registry = join(root, "registry");
  const app = join(root, "app");
  const crates: TinyCrate[] = [
    { name: "ca", version: "0.1.0", lib: `pub fn a() {} // ${nonce()}\n` },
    { name: "cb", version: "0.2.0", lib: `pub fn b() {} // ${nonce()}\n` },
  ];
  mkdirSync(registry, { recursive: true });
  const sums = writeLocalRegistry(registry, crates);
  writeRegistryProject(app, crates, sums, `local-registry = "${registry}"`);

  /** After `change`: the cache misses, `check` through it says what a fresh `check` says, and `generate`
   * through it leaves exactly the files a fresh run computes. */
  async function afterChange(change: () => void, env: NodeJS.ProcessEnv = {}): Promise<void> {
    change();
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const truth = await run(["check", app], true);
      const cached = await run(["check", app]);
      assert.equal(cached.hit, false, "the cache answered although an input changed");
      assert.equal(cached.code, truth.code, `check: ${cached.stderr} / without cache: ${truth.stderr}`);
      assert.equal(cached.stderr, truth.stderr);
      const gen = await run(["generate", "--quiet", app]);
      const genTruth = await run(["generate", "--quiet", app], true);
      assert.equal(gen.code, genTruth.code, gen.stderr);
      if (gen.code === 0) {
        const after = await run(["check", app], true);
        assert.equal(after.code, 0, `generate through the cache left stale files: ${after.stderr}`);
      }
      // Recorded afresh: the next run with nothing changed is answered by the cache, alike.
      const again = await run(["check", app]);
      assert.equal(again.hit, gen.code === 0, "no hit after a recorded run");
      assert.equal(again.code, (await run(["check", app], true)).code);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  test("nothing changed: generate and check are answered by the cache", async () => {
    assert.equal((await run(["init", "--quiet", app])).code, 0);
    const first = await run(["generate", app]);
    assert.equal(first.code, 0, first.stderr);
    const gen = await run(["generate", app]);
    assert.deepEqual([gen.code, gen.hit, gen.stderr], [0, true, "up to date\n"]);
    const check = await run(["check", app]);
    assert.deepEqual([check.code, check.hit, check.stderr], [0, true, "up to date\n"]);
    const noCache = await run(["check", "--no-cache", app]);
    assert.deepEqual([noCache.code, noCache.hit], [0, false]);
  });

  const edits: [string, () => void][] = [
    ["a manifest edited", () => appendFileSync(join(app, "Cargo.toml"), "\n# edited\n")],
    ["the lockfile edited", () => appendFileSync(join(app, "Cargo.lock"), "\n# edited\n")],
    ["crateflake.toml edited", () => appendFileSync(join(app, "crateflake.toml"), "\n# edited\n")],
    [
      "a binary target added (a directory listing)",
      () => {
        mkdirSync(join(app, "src/bin"), { recursive: true });
        writeFileSync(join(app, "src/bin/extra.rs"), "fn main() {}\n");
      },
    ],
    [
      "a .cargo/config appears next to config.toml (an existence test)",
      () => writeFileSync(join(app, ".cargo/config"), readFileSync(join(app, ".cargo/config.toml"))),
    ],
    [
      "a .crate replaced by other bytes (a stat)",
      () =>
        writeFileSync(
          join(registry, "cb-0.2.0.crate"),
          crateArchive({ ...crates[1], lib: `// ${nonce()}\n` }),
        ),
    ],
  ];
  for (const [what, change] of edits) test(what, () => afterChange(change));

  test("an output edited by hand: check names it, generate rewrites it", async () => {
    // The .crate the lockfile names back (archives are byte-stable for their content).
    writeFileSync(join(registry, "cb-0.2.0.crate"), crateArchive(crates[1]));
    assert.equal((await run(["generate", "--quiet", app])).code, 0);
    const data = join(app, ".crateflake/data/x86_64-linux.json");
    const text = readFileSync(data, "utf8");
    writeFileSync(data, text.replace("{", "{ "));
    const check = await run(["check", app]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /x86_64-linux\.json/);
    assert.equal((await run(["generate", "--quiet", app])).code, 0);
    assert.equal(readFileSync(data, "utf8"), text);
  });

  test("an environment variable it reads changes (RUSTFLAGS: the warning is printed)", () =>
    afterChange(() => {}, { RUSTFLAGS: "-C opt-level=1" }));

  test("a config file in CARGO_HOME (a changed variable, then a new file)", async () => {
    const home = join(tempDir("input-cache-home"), "cargo");
    mkdirSync(home, { recursive: true });
    await afterChange(() => {}, { CARGO_HOME: home });
    await afterChange(
      () => writeFileSync(join(home, "config.toml"), '[build]\nrustflags = ["--cfg", "x"]\n'),
      { CARGO_HOME: home },
    );
  });
});
