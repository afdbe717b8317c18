import assert from "node:assert/strict";
import { test } from "node:test";
import { parseManifest, toPackage } from "../../src/cargo/manifest.ts";
import { UserError } from "../../src/errors.ts";

const ctx = (files: string[] = ["src/lib.rs"]) => ({ source: "path+file:///p", files });

test("[package] fields, links, metadata.crateflake, features as written", () => {
  const m = parseManifest(
    `[package]
name = "foo-bar"
version = "1.2.3"
edition = "2018"
links = "foo"
authors = ["A <a@x>"]
license = "MIT"
rust-version = "1.60"

[package.metadata.crateflake]
wasm = true

[features]
default = ["a"]
a = []
b = ["dep:opt", "opt2?/x"]

[dependencies]
opt = { version = "1", optional = true }
opt2 = { version = "1", optional = true }
`,
    "/p/Cargo.toml",
  );
  const p = toPackage(m, ctx());
  assert.equal(p.id, "path+file:///p#foo-bar@1.2.3");
  assert.equal(p.links, "foo");
  assert.equal(p.rustVersion, "1.60");
  assert.deepEqual({ ...p.crateflake }, { wasm: true });
  assert.deepEqual(p.features, { a: [], b: ["dep:opt", "opt2?/x"], default: ["a"] });
  assert.equal(p.targets[0].name, "foo_bar");
});

test("package id leaves the name out when the path's last segment is the name (Cargo's spelling)", () => {
  const p = toPackage(parseManifest('[package]\nname = "p"\nversion = "0.1.0"\n', "/x/p/Cargo.toml"), {
    source: "path+file:///x/p",
    files: [],
  });
  assert.equal(p.id, "path+file:///x/p#0.1.0");
});

test("dependencies: every kind and both spellings, renames, sources, target tables, defaults", () => {
  const m = parseManifest(
    `[package]
name = "d"
version = "0.1.0"

[dependencies]
plain = "1.0"
renamed = { package = "real", version = "2", default_features = false, features = ["x"] }
local = { path = "../local" }
remote = { git = "https://example.com/r.git", tag = "v1" }
alt = { version = "3", registry = "my-reg" }

[dev_dependencies]
dev1 = "0.1"

[build-dependencies]
b = { version = "1", default-features = false }

[target.'cfg(windows)'.dependencies]
win = "0.3"

[target.x86_64-unknown-linux-gnu.build_dependencies]
lin = "1"
`,
    "/p/d/Cargo.toml",
  );
  const deps = toPackage(m, ctx()).dependencies;
  const row = (n: string) => deps.find((d) => d.name === n)!;
  assert.deepEqual(
    deps.map((d) => `${d.kind}:${d.name}:${d.platform ?? "-"}`),
    [
      "normal:alt:-",
      "normal:local:-",
      "normal:plain:-",
      "normal:remote:-",
      "normal:renamed:-",
      "dev:dev1:-",
      "build:b:-",
      "normal:win:cfg(windows)",
      "build:lin:x86_64-unknown-linux-gnu",
    ],
  );
  assert.equal(row("renamed").package, "real");
  assert.equal(row("renamed").defaultFeatures, false);
  assert.equal(row("renamed").renamed, true);
  assert.deepEqual(row("renamed").features, ["x"]);
  assert.equal(row("b").defaultFeatures, false);
  assert.deepEqual(row("local").source, { kind: "path", path: "/p/local" });
  assert.equal(row("local").req, "*");
  assert.deepEqual(row("remote").source, { kind: "git", url: "https://example.com/r.git", tag: "v1" });
  assert.deepEqual(row("alt").source, { kind: "registry", registry: "my-reg" });
  assert.equal(row("plain").renamed, false);
});

test("a registry package's `path` keys are ignored (the source is the registry)", () => {
  const m = parseManifest(
    '[package]\nname = "r"\nversion = "1.0.0"\n[dependencies]\nx = { version = "1", path = "../x" }\n',
    "/c/r-1.0.0/Cargo.toml",
  );
  const p = toPackage(m, { source: "registry+https://github.com/rust-lang/crates.io-index", files: [] });
  assert.equal(p.dependencies[0].source.kind, "registry");
});

test("workspace inheritance: package fields and dependencies with added features and optional", () => {
  const root = parseManifest(
    `[workspace]
members = ["m"]
[workspace.package]
version = "9.9.9"
edition = "2021"
license-file = "LICENSE"
[workspace.dependencies]
serde = { version = "1", default-features = false, features = ["derive"] }
loc = { path = "crates/loc" }
`,
    "/ws/Cargo.toml",
  );
  const m = parseManifest(
    `[package]
name = "m"
version.workspace = true
edition = { workspace = true }
license-file.workspace = true
[dependencies]
serde = { workspace = true, features = ["std"], optional = true }
loc.workspace = true
`,
    "/ws/m/Cargo.toml",
  );
  const p = toPackage(m, {
    source: "path+file:///ws/m",
    files: [],
    workspace: { root: "/ws", manifest: root },
  });
  assert.equal(p.version, "9.9.9");
  assert.equal(p.edition, "2021");
  assert.equal(p.licenseFile, "../LICENSE");
  const serde = p.dependencies.find((d) => d.name === "serde")!;
  assert.deepEqual(serde.features, ["derive", "std"]);
  assert.equal(serde.optional, true);
  assert.equal(serde.defaultFeatures, false);
  assert.equal(serde.req, "1");
  assert.deepEqual(p.dependencies.find((d) => d.name === "loc")!.source, {
    kind: "path",
    path: "/ws/crates/loc",
  });
});

test("errors name the file and line: broken TOML, a wrong type, inheriting what the workspace lacks", () => {
  const bad = (text: string, ws?: string) => {
    try {
      const m = parseManifest(text, "/p/Cargo.toml");
      toPackage(m, {
        source: "path+file:///p",
        files: [],
        workspace: ws ? { root: "/", manifest: parseManifest(ws, "/Cargo.toml") } : undefined,
      });
    } catch (e) {
      assert.ok(e instanceof UserError, String(e));
      return `${e.file}:${e.line}: ${e.message}`;
    }
    assert.fail("no error");
  };
  assert.match(bad('[package]\nname = "x"\nversion = \n'), /^\/p\/Cargo.toml:3: invalid TOML/);
  assert.match(
    bad('[package]\nname = "x"\nedition = 2021\n'),
    /^\/p\/Cargo.toml:3: `package.edition` must be a string/,
  );
  assert.match(
    bad('[package]\nname = "x"\n[dependencies]\nfoo = { workspace = true }\n', "[workspace]\n"),
    /^\/p\/Cargo.toml:4: dependency `foo` is inherited from the workspace/,
  );
});
