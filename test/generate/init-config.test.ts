/**
 * `init` on a directory that already has crateflake.toml uses it (its outputs and `[checks]`), says so
 * in one line, leaves the file as it is and writes the rest; a file with only `[checks]` (written to turn
 * checks off before the first `init`) gets the inferred outputs added below the user's text. Fixture:
 * test/fixtures/checks/sep (separate packages, no registry crates).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { separateCopy } from "../checks/support.ts";
import { nix } from "../e2e/flake.ts";
import { runCli } from "../support/cli.ts";
import { needNix } from "../support/env.ts";

const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;

/** The flake's packages and checks, as Nix evaluates them. */
function attrs(dir: string, path: string): string[] {
  const r = nix(dir, ["eval", "--json", `.#${path}.${system}`, "--apply", "builtins.attrNames"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe("init with an existing crateflake.toml", { skip: needNix }, () => {
  test("its outputs and [checks] are used, the file is left as it is", () => {
    const dir = separateCopy("init-config");
    assert.equal(runCli(["init", "--quiet", dir]).code, 0);
    assert.deepEqual(attrs(dir, "checks"), [
      "clippy-core-math",
      "clippy-tool",
      "doc",
      "test-core-math",
      "test-tool",
    ]);
    const path = join(dir, "crateflake.toml");
    const edited = `${readFileSync(path, "utf8").replace('name = "tool"', 'name = "renamed"')}\n[checks]\ntests = false\n`;
    writeFileSync(path, edited);
    const r = runCli(["init", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^crateflake: using the existing crateflake\.toml$/m);
    assert.equal(readFileSync(path, "utf8"), edited);
    assert.deepEqual(attrs(dir, "checks"), ["clippy-core-math", "clippy-tool", "doc"]);
    assert.ok(attrs(dir, "packages").includes("renamed"));
  });

  test("a crateflake.toml with only [checks] gets the inferred outputs added", () => {
    const dir = separateCopy("init-config-checks");
    const path = join(dir, "crateflake.toml");
    const mine = "# mine: no clippy here\n[checks]\nclippy = false\n";
    writeFileSync(path, mine);
    const r = runCli(["init", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /using the existing crateflake\.toml; it has no \[\[output\]\]/);
    const text = readFileSync(path, "utf8");
    assert.ok(text.startsWith(mine), text);
    assert.match(text, /\[\[output\]\]\nname = "tool"\nmanifest = "tool\/Cargo\.toml"/);
    assert.deepEqual(attrs(dir, "checks"), ["doc", "test-core-math", "test-tool"]);
    // Run again: the file now has outputs and stays as it is.
    assert.equal(runCli(["init", "--quiet", dir]).code, 0);
    assert.equal(readFileSync(path, "utf8"), text);
  });

  test("a broken crateflake.toml: one error line, nothing written", () => {
    const dir = separateCopy("init-config-broken");
    writeFileSync(join(dir, "crateflake.toml"), "[checks]\ntests = 1\n");
    const r = runCli(["init", dir]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: ${join(dir, "crateflake.toml")}: [checks]: \`tests\` must be true or false\n`,
    );
    assert.ok(!existsSync(join(dir, "flake.nix")));
    assert.ok(!existsSync(join(dir, ".crateflake")));
  });
});
