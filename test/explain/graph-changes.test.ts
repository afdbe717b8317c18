/**
 * `crateflake graph --changes` on the cats sample (a git repository after `crateflake init`): the model
 * marks exactly the units `crateflake rebuilds` lists, each with its causes, per output; an unchanged unit
 * is not marked. Against HEAD after an edit of cats, and against a saved data file after a tokio feature
 * is added in app. (`rebuilds` itself is checked against `nix build --dry-run` in rebuilds.test.ts.)
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import type { GraphModel } from "../../src/explain/graph-model.ts";
import type { OutputRebuilds } from "../../src/explain/rebuilds.ts";
import { copyDir } from "../nix/support.ts";
import { runCli } from "../support/cli.ts";
import { catsSampleDir, needRegistry, tempDir } from "../support/env.ts";

const skip = needRegistry;
let dir = "";

function cli(args: string[]): string {
  const r = runCli(args, { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function git(args: string[]): void {
  execFileSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], { cwd: dir });
}

/** Per output: its marked nodes as `name role: cause; cause`, sorted, and the model's `changes`. */
function marked(args: string[]) {
  const json = JSON.parse(cli(["graph", "--format", "json", ...args])) as {
    outputs: { output: string; model: GraphModel }[];
  };
  return new Map(
    json.outputs.map((o) => [
      o.output,
      {
        model: o.model,
        lines: o.model.nodes
          .filter((n) => n.rebuild)
          .map((n) => `${n.name} ${n.role}: ${n.rebuild!.lines.join("; ")}`)
          .sort(),
      },
    ]),
  );
}

/** `rebuilds --json` for this machine's system: units by output, as `name what`. */
function listed(args: string[]): Map<string, string[]> {
  const report = JSON.parse(cli(["rebuilds", "--json", "--system", "x86_64-linux", ...args]));
  return new Map(
    (report.systems[0].outputs as OutputRebuilds[]).map((o) => [
      o.output,
      o.rebuilt.map((u) => `${u.name} ${u.what}`),
    ]),
  );
}

before(() => {
  if (skip) return;
  dir = join(tempDir("graph-changes"), "cats-ws");
  copyDir(join(catsSampleDir(), "cats-ws"), dir);
  cli(["init", "--quiet", "."]);
  git(["init", "--quiet", "."]);
  git(["add", "-A"]);
  git(["commit", "--quiet", "-m", "base"]);
});

test("graph --changes after an edit of cats: cats and its dependents, with their causes", { skip }, () => {
  appendFileSync(join(dir, "cats/src/lib.rs"), "\npub fn meow() -> u8 { 1 }\n");
  const by = marked(["--changes"]);
  assert.deepEqual(by.get("app")!.lines, [
    "app bin: rebuilt below: cats",
    "cats lib: source edited: src/lib.rs",
  ]);
  assert.deepEqual(by.get("wasm")!.lines, [
    "cats lib: source edited: src/lib.rs",
    "wasm lib: rebuilt below: cats",
  ]);
  for (const [output, { model }] of by) {
    assert.deepEqual(model.changes, { against: "HEAD", sourcesCompared: true, rebuilt: 2 }, output);
    const serde = model.nodes.filter((n) => n.name === "serde");
    assert.ok(serde.length > 0 && serde.every((n) => !n.rebuild), `${output}: serde does not rebuild`);
  }
  // An explicit revision and --output: the same marks, one output.
  const one = marked(["--changes", "HEAD", "--output", "wasm"]);
  assert.deepEqual([...one.keys()], ["wasm"]);
  assert.deepEqual(one.get("wasm")!.lines, by.get("wasm")!.lines);
  git(["checkout", "--quiet", "--", "."]);
});

test("graph --data FILE after a tokio feature: every unit rebuilds lists is marked, with the feature's cause", {
  skip,
}, () => {
  const old = join(dir, "..", "old.json");
  copyFileSync(join(dir, ".crateflake/data/x86_64-linux.json"), old);
  const manifest = join(dir, "app/Cargo.toml");
  writeFileSync(
    manifest,
    readFileSync(manifest, "utf8").replace('"rt-multi-thread"]', '"rt-multi-thread", "fs"]'),
  );
  const by = marked(["--data", old]);
  const expected = listed(["--data", old]);
  assert.deepEqual(by.get("wasm")!.lines, []);
  assert.equal(by.get("wasm")!.model.changes?.rebuilt, 0);
  const app = by.get("app")!;
  assert.equal(app.model.changes?.sourcesCompared, false);
  assert.equal(
    app.model.changes?.rebuilt,
    expected.get("app")!.length,
    "every listed unit is found in the plan",
  );
  assert.ok(expected.get("app")!.length > 3);
  const tokio = app.lines.filter((l) => l.startsWith("tokio "));
  assert.equal(tokio.length, 3, tokio.join("\n"));
  for (const l of tokio)
    assert.match(l, /: features \+fs \(turned on by fs: app 0\.1\.0 depends on tokio with this feature/);
  git(["checkout", "--quiet", "--", "."]);
});

test("graph --changes needs a flake, and one of --changes REV and --data", { skip }, () => {
  const both = runCli(["graph", "--changes", "HEAD", "--data", "x.json"], { cwd: dir });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /not both/);
  const cargo = runCli(["graph", "--changes", "--manifest-path", join(dir, "Cargo.toml")], { cwd: dir });
  assert.equal(cargo.code, 2);
  assert.match(cargo.stderr, /--changes compares the flake's data/);
  const rev = runCli(["graph", "--changes", "nope"], { cwd: dir });
  assert.equal(rev.code, 1);
  assert.match(rev.stderr, /`nope` is not a git revision here/);
});
