import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { loadConfig, mergeConfigs } from "../../src/cargo/config.ts";
import { loadWorkspace } from "../../src/cargo/workspace.ts";
import { UserError } from "../../src/errors.ts";
import { needCargo, rustupEnv, tempDir } from "../support/env.ts";

function tree(files: Record<string, string>): string {
  const root = tempDir("ws");
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const pkg = (name: string, extra = "") => `[package]\nname = "${name}"\nversion = "0.1.0"\n${extra}`;

test("members in Cargo's order (entries with their path deps, then the root package), globs sorted, exclude, path deps under the root; default members", () => {
  const root = tree({
    "Cargo.toml": `${pkg("root", 'edition = "2021"\n')}[dependencies]\ninner = { path = "libs/inner" }\n[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/skip"]\n`,
    "src/lib.rs": "",
    "crates/b/Cargo.toml": pkg("b"),
    "crates/b/src/lib.rs": "",
    "crates/a/Cargo.toml": pkg("a"),
    "crates/a/src/main.rs": "",
    "crates/skip/Cargo.toml": pkg("skip"),
    "crates/notes.txt": "not a crate",
    "crates/.hidden/Cargo.toml": pkg("hidden"),
    "crates/.hidden/src/lib.rs": "",
    "libs/inner/Cargo.toml": pkg("inner"),
    "libs/inner/src/lib.rs": "",
  });
  const ws = loadWorkspace(join(root, "Cargo.toml"));
  const rel = (ps: string[]) => ps.map((p) => p.slice(root.length + 1));
  assert.deepEqual(rel(ws.members), [
    "crates/.hidden/Cargo.toml",
    "crates/a/Cargo.toml",
    "crates/b/Cargo.toml",
    "Cargo.toml",
    "libs/inner/Cargo.toml",
  ]);
  assert.deepEqual(rel(ws.defaultMembers), ["Cargo.toml"]);
  if (!needCargo) {
    // Cargo agrees on the member set and order (ids in the same order as our manifests).
    const meta = JSON.parse(
      execFileSync("cargo", ["metadata", "--no-deps", "--offline", "--format-version", "1"], {
        cwd: root,
        env: rustupEnv,
        encoding: "utf8",
      }),
    );
    const names = meta.workspace_members.map(
      (id: string) => meta.packages.find((p: { id: string }) => p.id === id).name,
    );
    assert.deepEqual(names, ["hidden", "a", "b", "root", "inner"]);
  }
  assert.equal(ws.resolver, "2");
  assert.equal(ws.virtual, false);
  // From a member, the root is found by walking up, and that member is the default.
  const fromMember = loadWorkspace(join(root, "crates/b/Cargo.toml"));
  assert.equal(fromMember.root, root);
  assert.deepEqual(rel(fromMember.defaultMembers), ["crates/b/Cargo.toml"]);
  // An excluded package is its own workspace.
  assert.equal(loadWorkspace(join(root, "crates/skip/Cargo.toml")).root, join(root, "crates/skip"));
});

test("resolver defaults: virtual → 1, edition 2021 → 2, 2024 → 3, 2018 → 1, explicit wins", () => {
  const r = (text: string) => loadWorkspace(join(tree({ "Cargo.toml": text }), "Cargo.toml")).resolver;
  assert.equal(r("[workspace]\n"), "1");
  assert.equal(r(pkg("x", 'edition = "2021"\n')), "2");
  assert.equal(r(pkg("x", 'edition = "2024"\n')), "3");
  assert.equal(r(pkg("x", 'edition = "2018"\n')), "1");
  assert.equal(r('[workspace]\nresolver = "2"\n'), "2");
  assert.equal(r(`${pkg("x", 'edition = "2021"\nresolver = "1"\n')}`), "1");
});

test("package.workspace, [patch] and [replace] entries, workspace metadata", () => {
  const root = tree({
    "ws/Cargo.toml": `[workspace]\nmembers = ["../far"]\n[workspace.metadata.crateflake]\nx = 1\n[patch.crates-io]\nserde = { path = "vendor/serde" }\n[patch."https://github.com/a/b"]\nb = { git = "https://github.com/c/b", branch = "fix" }\n[replace]\n"log:0.4.17" = { path = "vendor/log" }\n`,
    "far/Cargo.toml": pkg("far", 'workspace = "../ws"\n'),
  });
  const ws = loadWorkspace(join(root, "far/Cargo.toml"));
  assert.equal(ws.root, join(root, "ws"));
  assert.deepEqual({ ...ws.crateflake }, { x: 1 });
  assert.deepEqual(
    ws.patches.map((p) => [p.source, p.dep.name, p.dep.source.kind]),
    [
      ["crates-io", "serde", "path"],
      ["https://github.com/a/b", "b", "git"],
    ],
  );
  assert.deepEqual(ws.patches[0].dep.source, { kind: "path", path: join(root, "ws/vendor/serde") });
  assert.deepEqual(
    ws.replace.map((r) => [r.spec, r.dep.name]),
    [["log:0.4.17", "log"]],
  );
});

test("errors: a missing member names the root manifest and the `members` line; a non-member package", () => {
  const root = tree({ "Cargo.toml": '[workspace]\nresolver = "2"\nmembers = ["gone"]\n' });
  assert.throws(
    () => loadWorkspace(join(root, "Cargo.toml")),
    (e: unknown) =>
      e instanceof UserError && e.file === join(root, "Cargo.toml") && e.line === 3 && /gone/.test(e.message),
  );
  // A directory matched by a glob must hold a Cargo.toml (files are skipped), as Cargo insists.
  const root3 = tree({
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
    "crates/empty/.keep": "",
    "crates/f.txt": "",
  });
  assert.throws(
    () => loadWorkspace(join(root3, "Cargo.toml")),
    (e: unknown) =>
      e instanceof UserError && e.line === 2 && /crates\/empty\/Cargo.toml does not exist/.test(e.message),
  );
  const root2 = tree({
    "Cargo.toml": '[workspace]\nmembers = ["a"]\n',
    "a/Cargo.toml": pkg("a"),
    "b/Cargo.toml": pkg("b"),
  });
  assert.throws(
    () => loadWorkspace(join(root2, "b/Cargo.toml")),
    (e: unknown) => e instanceof UserError && /not a member/.test(e.message),
  );
});

test("config: nearest file wins key by key, legacy `config`, CARGO_HOME last, paths made absolute", () => {
  const root = tree({
    ".cargo/config.toml":
      '[source.crates-io]\nreplace-with = "far"\n[source.far]\ndirectory = "vendor"\n[build]\ntarget = ["wasm32-unknown-unknown", "x86_64-unknown-linux-gnu"]\n',
    "proj/.cargo/config":
      '[source.crates-io]\nreplace-with = "near"\n[source.near]\nlocal-registry = "../reg"\n[registries.mine]\nindex = "sparse+https://r.example/"\n',
    "proj/sub/.keep": "",
    "home/config.toml": '[net]\noffline = true\n[build]\ntarget = "aarch64-unknown-linux-gnu"\n',
  });
  const c = loadConfig(join(root, "proj/sub"), { env: { CARGO_HOME: join(root, "home") } });
  assert.deepEqual(c.files, [
    join(root, "proj/.cargo/config"),
    join(root, ".cargo/config.toml"),
    join(root, "home/config.toml"),
  ]);
  assert.equal(c.sources["crates-io"].replaceWith, "near");
  assert.equal(c.sources.near.localRegistry, join(root, "reg"));
  assert.equal(c.sources.far.directory, join(root, "vendor"));
  assert.deepEqual(c.buildTargets, ["wasm32-unknown-unknown", "x86_64-unknown-linux-gnu"]);
  assert.equal(c.offline, true);
  assert.deepEqual(c.registries, { mine: { index: "sparse+https://r.example/" } });
  assert.throws(
    () => mergeConfigs([{ file: "/c/.cargo/config.toml", text: "[source.x]\nreplace-with = 3\n" }], "/h"),
    (e: unknown) => e instanceof UserError && e.line === 2,
  );
});
