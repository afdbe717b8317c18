/**
 * Bad input through the CLI: exit code 1 and one line `error: FILE[:LINE]: message`, no stack trace.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { tempDir } from "../support/env.ts";

function tree(files: Record<string, string>): string {
  const root = tempDir("err");
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const pkg = (name: string, deps = "") =>
  `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}`;
const lock = (...names: string[]) =>
  `version = 3\n${names.map((n) => `\n[[package]]\nname = "${n}"\nversion = "0.1.0"\n`).join("")}`;

function metadataError(root: string, manifest = "Cargo.toml") {
  const r = runCli(["metadata", "--manifest-path", join(root, manifest)], {
    env: { CARGO_HOME: join(root, "no-home") },
  });
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  return lines[0];
}

test("broken TOML in a manifest: file and line of the parser's error", () => {
  const root = tree({
    "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n[dependencies\n',
    "src/lib.rs": "",
  });
  assert.match(metadataError(root), new RegExp(`^error: ${join(root, "Cargo.toml")}:4: invalid TOML`));
});

test("a missing workspace member: the root manifest and the `members` line", () => {
  const root = tree({
    "Cargo.toml": '[workspace]\nmembers = ["here", "gone"]\n',
    "here/Cargo.toml": pkg("here"),
    "here/src/lib.rs": "",
  });
  assert.match(
    metadataError(root),
    new RegExp(`^error: ${join(root, "Cargo.toml")}:2: workspace member \`gone\`: .* does not exist$`),
  );
});

test("a path dependency that does not exist: the depending manifest and the dependency's line", () => {
  const root = tree({ "Cargo.toml": pkg("app", 'nothere = { path = "../nothere" }\n'), "src/main.rs": "" });
  assert.match(
    metadataError(root),
    new RegExp(`^error: ${join(root, "Cargo.toml")}:7: path dependency \`nothere\`: .* does not exist$`),
  );
});

test("no Cargo.lock: says to run cargo generate-lockfile", () => {
  const root = tree({ "Cargo.toml": pkg("app"), "src/main.rs": "" });
  assert.match(metadataError(root), /^error: .*Cargo.toml: no Cargo.lock .*run `cargo generate-lockfile`/);
});

test("a lockfile that does not list a member's dependency: says to run cargo update / generate-lockfile", () => {
  const root = tree({
    "Cargo.toml": pkg("app", 'lib = { path = "lib" }\n'),
    "src/main.rs": "",
    "lib/Cargo.toml": pkg("lib"),
    "lib/src/lib.rs": "",
    "Cargo.lock": lock("app", "lib"),
  });
  assert.match(
    metadataError(root),
    new RegExp(
      `^error: ${join(root, "Cargo.toml")}:7: dependency \`lib\` of \`app\` is not in Cargo.lock .*cargo update.*cargo generate-lockfile`,
    ),
  );
});

test("a member missing from the lockfile, and a lockfile version from the future", () => {
  const root = tree({ "Cargo.toml": pkg("app"), "src/main.rs": "", "Cargo.lock": lock("other") });
  assert.match(
    metadataError(root),
    /^error: .*Cargo.lock: `app 0.1.0` .* is not in Cargo.lock: run `cargo update`/,
  );
  const root2 = tree({
    "Cargo.toml": pkg("app"),
    "src/main.rs": "",
    "Cargo.lock": lock("app").replace("version = 3", "version = 9"),
  });
  assert.match(
    metadataError(root2),
    /^error: .*Cargo.lock:1: Cargo.lock version 9 is not supported.*generate-lockfile/,
  );
});

test("broken TOML in Cargo.lock and a manifest without targets", () => {
  const root = tree({
    "Cargo.toml": pkg("app"),
    "src/main.rs": "",
    "Cargo.lock": "version = 3\n[[package]\n",
  });
  assert.match(metadataError(root), new RegExp(`^error: ${join(root, "Cargo.lock")}:2: invalid TOML`));
  const root2 = tree({ "Cargo.toml": pkg("app"), "Cargo.lock": lock("app") });
  assert.match(metadataError(root2), /^error: .*Cargo.toml: no targets/);
});

test("a manifest path that does not exist; an unsupported --format-version is a usage error", () => {
  const root = tree({});
  assert.match(
    metadataError(root, "nope/Cargo.toml"),
    /^error: .*nope\/Cargo.toml: manifest does not exist$/,
  );
  const r = runCli(["metadata", "--manifest-path", join(root, "Cargo.toml"), "--format-version", "2"]);
  assert.equal(r.code, 2);
});

test("profile overrides: a key Cargo refuses there, and two package specs naming one package", () => {
  const manifest = (profile: string) => `${pkg("app")}\n${profile}`;
  const panic = tree({
    "Cargo.toml": manifest('[profile.release.package.app]\nopt-level = 1\npanic = "abort"\n'),
    "src/main.rs": "",
    "Cargo.lock": lock("app"),
  });
  assert.match(
    metadataError(panic),
    new RegExp(
      `^error: ${join(panic, "Cargo.toml")}:10: \`panic\` may not be specified in a \`package\` profile`,
    ),
  );
  const lto = tree({
    "Cargo.toml": manifest("[profile.dev.build-override]\nlto = true\n"),
    "src/main.rs": "",
    "Cargo.lock": lock("app"),
  });
  assert.match(metadataError(lto), /Cargo.toml:9: `lto` may not be specified in a `build-override` profile/);
  const twice = tree({
    "Cargo.toml": manifest(
      '[profile.release.package.app]\nopt-level = 1\n\n[profile.release.package."app@0.1"]\nopt-level = 2\n',
    ),
    "src/main.rs": "",
    "Cargo.lock": lock("app"),
  });
  assert.match(
    metadataError(twice),
    /Cargo.toml:11: multiple package overrides in profile `release` match package `app v0.1.0` \(app, app@0.1\): keep one$/,
  );
});
