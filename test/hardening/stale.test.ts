/**
 * Staleness: a Cargo.toml (the root's or a path dependency's) or Cargo.lock edited without regenerating
 * makes `nix eval` fail with a message that names the file and says to run `crateflake generate`, and
 * `crateflake check` exit 1; after `crateflake generate` both are fine again.
 */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { needNix, tempDir } from "../support/env.ts";
import { cli, nixOn } from "./support.ts";

function pathProject(): string {
  const app = join(tempDir("stale"), "app");
  mkdirSync(join(app, "src"), { recursive: true });
  mkdirSync(join(app, "util/src"), { recursive: true });
  writeFileSync(
    join(app, "Cargo.toml"),
    '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nutil = { path = "util" }\n',
  );
  writeFileSync(join(app, "src/main.rs"), "fn main() { util::hi(); }\n");
  writeFileSync(
    join(app, "util/Cargo.toml"),
    '[package]\nname = "util"\nversion = "0.1.0"\nedition = "2021"\n',
  );
  writeFileSync(join(app, "util/src/lib.rs"), "pub fn hi() {}\n");
  writeFileSync(
    join(app, "Cargo.lock"),
    'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["util"]\n\n[[package]]\nname = "util"\nversion = "0.1.0"\n',
  );
  return app;
}

describe("edits without regenerating", { skip: needNix }, () => {
  const app = pathProject();

  test("the generated flake is fresh", () => {
    const r = cli(["init", "--quiet", app]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli(["check", "--quiet", app]).code, 0);
    const ev = nixOn(app, ["eval", "--raw"], "app.drvPath");
    assert.equal(ev.code, 0, ev.stderr);
  });

  for (const file of ["Cargo.toml", "util/Cargo.toml", "Cargo.lock"]) {
    test(`${file} edited: nix eval fails naming it, check exits 1; generate makes both fine`, () => {
      const path = join(app, file);
      const before = readFileSync(path, "utf8");
      appendFileSync(path, `\n# edited ${Date.now()}\n`);

      const ev = nixOn(app, ["eval", "--raw"], "app.drvPath");
      assert.notEqual(ev.code, 0);
      assert.ok(ev.stderr.includes(`${file} changed`), ev.stderr);
      assert.match(ev.stderr, /run crateflake generate/);
      const check = cli(["check", app]);
      assert.equal(check.code, 1, check.stderr);
      assert.match(check.stderr, /run `crateflake generate`/);

      const gen = cli(["generate", "--quiet", app]);
      assert.equal(gen.code, 0, gen.stderr);
      assert.equal(cli(["check", "--quiet", app]).code, 0);
      assert.equal(nixOn(app, ["eval", "--raw"], "app.drvPath").code, 0);

      // Back to the old text: stale again until regenerated.
      writeFileSync(path, before);
      assert.equal(cli(["check", "--quiet", app]).code, 1);
      assert.equal(cli(["generate", "--quiet", app]).code, 0);
    });
  }
});
