/**
 * `[lints]` → rustc flags (src/cargo/lints.ts): Cargo's order, tools, inheritance from `[workspace.lints]`,
 * and one-line errors. The flags themselves are compared with `cargo build -v` in
 * test/nix/rustc-lines.test.ts (the lints fixture, whose order is the one asserted here).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readLints } from "../../src/cargo/lints.ts";
import { parseManifest, toPackage } from "../../src/cargo/manifest.ts";
import { UserError } from "../../src/errors.ts";

const PKG = '[package]\nname = "p"\nversion = "0.1.0"\n';
const manifest = (text: string, path = "/w/p/Cargo.toml") => parseManifest(text, path);
const workspace = (lints: string) => ({
  root: "/w",
  manifest: manifest(`[workspace]\nmembers = ["p"]\n${lints}`, "/w/Cargo.toml"),
});

test("lints of every tool but cargo, ordered by priority, then name descending, then flag", () => {
  const m = manifest(`${PKG}
[lints.rust]
unsafe_code = "forbid"
unused = { level = "allow", priority = -1 }
missing_docs = "warn"
non_snake_case = { level = "deny", priority = 1 }

[lints.clippy]
all = { level = "warn", priority = -1 }
needless_return = "allow"
pedantic = { level = "warn", priority = -2 }

[lints.rustdoc]
broken_intra_doc_links = "deny"

[lints.cargo]
implicit_features = "warn"
`);
  assert.deepEqual(readLints(m, undefined), [
    "--warn=clippy::pedantic",
    "--allow=unused",
    "--warn=clippy::all",
    "--forbid=unsafe_code",
    "--allow=clippy::needless_return",
    "--warn=missing_docs",
    "--deny=rustdoc::broken_intra_doc_links",
    "--deny=non_snake_case",
  ]);
  // The same name under two tools: by the flag.
  const twice = manifest(`${PKG}[lints.rust]\nall = "deny"\n[lints.clippy]\nall = "warn"\n`);
  assert.deepEqual(readLints(twice, undefined), ["--deny=all", "--warn=clippy::all"]);
  assert.deepEqual(readLints(manifest(PKG), undefined), []);
});

test("lints.workspace = true takes [workspace.lints]; the package's Package carries them", () => {
  const ws = workspace(
    '[workspace.lints.rust]\nmissing_docs = "deny"\n[workspace.lints.clippy]\nall = "warn"\n',
  );
  const m = manifest(`${PKG}[lints]\nworkspace = true\n`);
  assert.deepEqual(readLints(m, ws), ["--deny=missing_docs", "--warn=clippy::all"]);
  const p = toPackage(m, { source: "path+file:///w/p", files: ["src/lib.rs"], workspace: ws });
  assert.deepEqual(p.lints, ["--deny=missing_docs", "--warn=clippy::all"]);
  // Without `lints.workspace`, a member does not inherit them.
  assert.deepEqual(readLints(manifest(PKG), ws), []);
});

test("bad [lints] tables are one-line errors naming the manifest and line", () => {
  const error = (text: string, ws?: ReturnType<typeof workspace>) => {
    try {
      readLints(manifest(`${PKG}${text}`), ws);
    } catch (err) {
      assert.ok(err instanceof UserError);
      return err.message;
    }
    assert.fail("no error");
  };
  assert.match(error("[lints]\nworkspace = false\n"), /`lints.workspace` must be true/);
  assert.match(error("[lints]\nworkspace = true\n"), /this package is not in a workspace/);
  assert.match(error("[lints]\nworkspace = true\n", workspace("")), /\/w\/Cargo.toml has none/);
  assert.match(
    error('[lints]\nworkspace = true\n[lints.rust]\nx = "warn"\n', workspace("[workspace.lints.rust]\n")),
    /move the others to `\[workspace.lints\]`/,
  );
  assert.match(
    error('[lints.rust]\nunused = "loud"\n'),
    /`lints.rust.unused` must be one of forbid, deny, warn or allow/,
  );
  assert.match(
    error('[lints.rust]\nunused = { level = "warn", priority = "high" }\n'),
    /priority` must be an integer/,
  );
  assert.match(error("[lints.rust]\nunused = { priority = 1 }\n"), /must be one of/);
});
