/**
 * Interruption: `crateflake generate` killed with SIGKILL at moments spread over its run (and at the
 * moments it writes) leaves every output file either its complete old or its complete new content; a
 * download killed mid-way leaves nothing the cache would serve, and the next run downloads and verifies.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../support/env.ts";
import { cli, crateArchive, nonce, sha256Hex, type TinyCrate, writeRegistryProject } from "./support.ts";

const cliPath = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** Every file under `dir` (relative path → content), skipping the Cargo inputs. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  for (const f of ["flake.nix", "default.nix", "crateflake.toml"])
    if (existsSync(join(dir, f))) out.set(f, readFileSync(join(dir, f), "utf8"));
  walk(join(dir, ".crateflake"));
  return out;
}

function restore(dir: string, files: Map<string, string>): void {
  rmSync(join(dir, ".crateflake"), { recursive: true, force: true });
  for (const [rel, text] of files) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

function start(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", cliPath, ...args], {
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, done };
}

/** A project with 8 path packages, so the data is several files of some size. */
function manyPackages(): string {
  const app = join(tempDir("interrupt"), "app");
  const names = Array.from({ length: 8 }, (_, i) => `part${i}`);
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(
    join(app, "Cargo.toml"),
    `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${names.map((n) => `${n} = { path = "${n}" }`).join("\n")}\n`,
  );
  writeFileSync(join(app, "src/main.rs"), "fn main() {}\n");
  for (const n of names) {
    mkdirSync(join(app, n, "src"), { recursive: true });
    writeFileSync(
      join(app, n, "Cargo.toml"),
      `[package]\nname = "${n}"\nversion = "0.1.0"\nedition = "2021"\n\n[features]\ndefault = ["a"]\na = []\n`,
    );
    writeFileSync(join(app, n, "src/lib.rs"), "\n");
  }
  const lock = [
    "version = 4",
    "",
    "[[package]]",
    'name = "app"',
    'version = "0.1.0"',
    `dependencies = [${names.map((n) => `"${n}"`).join(", ")}]`,
    ...names.flatMap((n) => ["", "[[package]]", `name = "${n}"`, 'version = "0.1.0"']),
  ];
  writeFileSync(join(app, "Cargo.lock"), `${lock.join("\n")}\n`);
  return app;
}

describe("generate killed with SIGKILL", () => {
  const app = manyPackages();
  let before: Map<string, string>;
  let after: Map<string, string>;
  let runMs = 0;

  test("set up: the old files, and the new ones of an edit that changes the data", () => {
    assert.equal(cli(["init", "--quiet", app]).code, 0);
    before = snapshot(app);
    // The edit: every part's default feature set changes, so every data file changes.
    for (let i = 0; i < 8; i++) {
      const m = join(app, `part${i}`, "Cargo.toml");
      writeFileSync(m, readFileSync(m, "utf8").replace('default = ["a"]', 'default = ["a", "b"]\nb = []'));
    }
    const copy = join(tempDir("interrupt-new"), "app");
    cpSync(app, copy, { recursive: true });
    const t0 = Date.now();
    assert.equal(cli(["generate", "--quiet", copy]).code, 0);
    runMs = Date.now() - t0;
    after = snapshot(copy);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    assert.ok(changed.filter((k) => k.startsWith(".crateflake/data/")).length >= 4, changed.join(", "));
  });

  /** Checks every file; returns how the run was caught: before, while or after writing. */
  const check = (label: string): string => {
    const now = snapshot(app);
    let fresh = 0;
    let stale = 0;
    for (const [rel, text] of now) {
      if (/(^|\/)\.[^/]+\.tmp$/.test(rel)) continue; // a temporary file not yet renamed: not an output
      const ok = text === before.get(rel) || text === after.get(rel);
      assert.ok(ok, `${label}: ${rel} is neither the old nor the new content (${text.length} bytes)`);
      if (text !== before.get(rel)) fresh++;
      else if (text !== after.get(rel)) stale++;
    }
    for (const rel of before.keys()) assert.ok(now.has(rel), `${label}: ${rel} is gone`);
    return fresh === 0 ? "before writing" : stale === 0 ? "after writing" : "while writing";
  };

  test("at 10 moments spread over its run: each file is whole, old or new", async (t) => {
    for (let i = 0; i < 10; i++) {
      restore(app, before);
      const delay = Math.round((runMs * (i + 1)) / 10);
      const run = start(["generate", "--quiet", app]);
      const timer = setTimeout(() => run.child.kill("SIGKILL"), delay);
      await run.done;
      clearTimeout(timer);
      t.diagnostic(`killed after ${delay} ms: ${check(`killed after ${delay} ms`)}`);
    }
  });

  test("at the moments it writes (first, third and eighth file event)", async (t) => {
    for (const nth of [1, 3, 8]) {
      restore(app, before);
      const run = start(["generate", "--quiet", app]);
      let events = 0;
      const watchers = [app, join(app, ".crateflake/data"), join(app, ".crateflake/lib")].map((d) =>
        watch(d, () => {
          if (++events === nth) run.child.kill("SIGKILL");
        }),
      );
      await run.done;
      for (const w of watchers) w.close();
      t.diagnostic(`killed at file event ${nth}: ${check(`killed at file event ${nth}`)}`);
    }
  });

  test("a run to the end after all that gives the new files", () => {
    assert.equal(cli(["generate", "--quiet", app]).code, 0);
    const now = snapshot(app);
    for (const [rel, text] of after) assert.equal(now.get(rel), text, rel);
    assert.equal(cli(["check", "--quiet", app]).code, 0);
  });
});

describe("a download killed mid-way", () => {
  test("leaves nothing the cache serves; the next run downloads again and verifies", async () => {
    const crate: TinyCrate = {
      name: "slowcrate",
      version: "0.1.0",
      lib: `pub const N: &str = "${nonce()}";\n`,
    };
    const bytes = crateArchive(crate);
    const dlPath = `/dl/${crate.name}/${crate.version}/download`;
    let requests = 0;
    let halfSent: () => void = () => {};
    const half = new Promise<void>((resolve) => {
      halfSent = resolve;
    });
    const server = createServer((req, res) => {
      if (req.url === "/index/config.json") {
        res.end(
          JSON.stringify({
            dl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dl/{crate}/{version}/download`,
          }),
        );
        return;
      }
      if (req.url !== dlPath) {
        res.writeHead(404).end();
        return;
      }
      requests++;
      res.writeHead(200, { "content-length": bytes.length });
      if (requests === 1) {
        // Half the body, then nothing: the client is killed while it waits for the rest.
        res.write(bytes.subarray(0, bytes.length >> 1), () => halfSent());
        return;
      }
      res.end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const root = tempDir("interrupt-dl");
      const app = join(root, "app");
      const cache = join(root, "xdg-cache");
      writeRegistryProject(
        app,
        [crate],
        new Map([[crate.name, sha256Hex(bytes)]]),
        `registry = "sparse+http://127.0.0.1:${port}/index/"`,
      );
      const env = { XDG_CACHE_HOME: cache };
      const first = start(["init", "--quiet", app], env);
      await half;
      await new Promise((r) => setTimeout(r, 200));
      first.child.kill("SIGKILL");
      await first.done;
      assert.equal(requests, 1);
      const cached = existsSync(join(cache, "crateflake"))
        ? readdirSync(join(cache, "crateflake"), { recursive: true }).map(String)
        : [];
      assert.deepEqual(
        cached.filter((f) => f.endsWith(".crate")),
        [],
        `a partial download is in the cache: ${cached.join(", ")}`,
      );

      // The second run, in a child process that does not block this one's server.
      const second = start(["init", "--quiet", app], env);
      assert.equal(await second.done, 0);
      assert.equal(requests, 2, "the crate was not downloaded again");
      const crates = readdirSync(join(cache, "crateflake/crates")).filter((f) => f.endsWith(".crate"));
      assert.equal(crates.length, 1);
      assert.equal(sha256Hex(readFileSync(join(cache, "crateflake/crates", crates[0]))), sha256Hex(bytes));

      // A cached file cut short (say, by a writer that was not atomic) is not served: it is fetched again.
      writeFileSync(join(cache, "crateflake/crates", crates[0]), bytes.subarray(0, 10));
      const third = start(["generate", "--quiet", app], env);
      assert.equal(await third.done, 0);
      assert.equal(requests, 3, "a truncated cache file was served");
    } finally {
      server.close();
    }
  });
});
