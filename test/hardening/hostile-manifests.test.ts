/**
 * Hostile manifests and configs: targets outside their package, symlink loops, absurd names, bad
 * crateflake.toml values. Each is refused with exit code 1 and one `error:` line (never a stack trace), or,
 * where Cargo itself accepts the project and Nix can build it, works.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { tempDir } from "../support/env.ts";
import { cli, oneErrorLine } from "./support.ts";

interface Project {
  root: string;
  app: string;
  dep: string;
}

/** `app` (bin) with a path dependency `dep` (lib), a Cargo.lock, and no registry. */
function project(
  opts: { appExtra?: string; depExtra?: string; depName?: string; binName?: string } = {},
): Project {
  const root = tempDir("hostile-manifest");
  const app = join(root, "app");
  const dep = join(root, "dep");
  const depName = opts.depName ?? "dep";
  mkdirSync(join(app, "src"), { recursive: true });
  mkdirSync(join(dep, "src"), { recursive: true });
  writeFileSync(join(app, "src/main.rs"), "fn main() {}\n");
  writeFileSync(join(dep, "src/lib.rs"), "\n");
  writeFileSync(
    join(app, "Cargo.toml"),
    `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n${opts.appExtra ?? ""}\n[dependencies]\n${JSON.stringify(depName)} = { path = "../dep" }\n`,
  );
  writeFileSync(
    join(dep, "Cargo.toml"),
    `[package]\nname = ${JSON.stringify(depName)}\nversion = "0.1.0"\nedition = "2021"\n${opts.depExtra ?? ""}\n`,
  );
  writeFileSync(
    join(app, "Cargo.lock"),
    `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [${JSON.stringify(depName)}]\n\n[[package]]\nname = ${JSON.stringify(depName)}\nversion = "0.1.0"\n`,
  );
  return { root, app, dep };
}

function refused(args: string[], mention?: RegExp): string {
  const r = cli(args);
  assert.equal(oneErrorLine(r), null);
  if (mention) assert.match(r.stderr, mention);
  return r.stderr;
}

describe("targets outside their package are refused by generate", () => {
  const cases: [string, Partial<Parameters<typeof project>[0]>][] = [
    ["a dependency's lib.path = ../../../etc/passwd", { depExtra: '[lib]\npath = "../../../etc/passwd"\n' }],
    ["a dependency's lib.path = /etc/passwd", { depExtra: '[lib]\npath = "/etc/passwd"\n' }],
    ["a dependency's build = ../../x/build.rs", { depExtra: 'build = "../../x/build.rs"\n' }],
    ["a dependency's build = /etc/passwd", { depExtra: 'build = "/etc/passwd"\n' }],
    ["the package's bin.path = /etc/passwd", { appExtra: '\n[[bin]]\nname = "app"\npath = "/etc/passwd"\n' }],
    [
      "the package's bin.path = ../dep/src/lib.rs",
      { appExtra: '\n[[bin]]\nname = "app"\npath = "../dep/src/lib.rs"\n' },
    ],
  ];
  for (const [what, opts] of cases) {
    test(what, () => {
      const p = project(opts);
      const err = refused(["init", "--quiet", p.app], /outside/);
      assert.match(err, /Cargo\.toml/);
    });
  }
});

describe("symlinks", () => {
  test("a path dependency through a symlink loop", () => {
    const p = project();
    symlinkSync("loop-b", join(p.root, "loop-a"));
    symlinkSync("loop-a", join(p.root, "loop-b"));
    const manifest = join(p.app, "Cargo.toml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace('path = "../dep"', 'path = "../loop-a"'));
    refused(["init", "--quiet", p.app], /loop-a/);
  });

  test("directory symlink cycles inside a package do not hang target discovery", () => {
    const p = project();
    symlinkSync("..", join(p.dep, "src/up"));
    symlinkSync("../src", join(p.dep, "src/again"));
    mkdirSync(join(p.app, "src/bin"), { recursive: true });
    symlinkSync("../bin", join(p.app, "src/bin/self"));
    const r = cli(["init", "--quiet", p.app], { timeout: 60_000 });
    assert.equal(r.code, 0, r.stderr);
  });
});

describe("absurd names are refused with one line", () => {
  const names: [string, string][] = [
    ["an empty package name", ""],
    ["a 10,000-character package name", "a".repeat(10_000)],
    ["a package name with /", "a/b"],
    ["a package name with a control character", "a\u0001b"],
    ["a package name with a newline", "a\nb"],
    ["a package name with ${", "a${b}"],
  ];
  for (const [what, name] of names) {
    test(what, () => {
      const p = project({ depName: name });
      const err = refused(["init", "--quiet", p.app]);
      assert.ok(err.length < 2000, `a long error line: ${err.length} characters`);
    });
  }

  const bins: [string, string][] = [
    ["an empty bin name", ""],
    ["a 10,000-character bin name", "b".repeat(10_000)],
    ["a bin name with /", "a/b"],
    ["a bin name with a control character", "a\u0001b"],
  ];
  for (const [what, name] of bins) {
    test(what, () => {
      const p = project({ appExtra: `\n[[bin]]\nname = ${JSON.stringify(name)}\npath = "src/main.rs"\n` });
      const err = refused(["init", "--quiet", p.app]);
      assert.ok(err.length < 2000, `a long error line: ${err.length} characters`);
    });
  }
});

describe("hostile crateflake.toml values are refused with one line", () => {
  const configs: [string, string][] = [
    ["a manifest outside the flake", 'manifest = "../../../etc/passwd"\npackage = "app"'],
    ["an absolute manifest", 'manifest = "/etc/passwd"\npackage = "app"'],
    ["an unknown package", 'manifest = "Cargo.toml"\npackage = "nope"'],
    [
      "a hostile target",
      'manifest = "Cargo.toml"\npackage = "app"\ntarget = "$(touch /tmp/crateflake-pwned-t)"',
    ],
    ["a hostile feature", 'manifest = "Cargo.toml"\npackage = "app"\nfeatures = ["a\\"b"]'],
    ["an output name with ${", 'name = "${x}"\nmanifest = "Cargo.toml"\npackage = "app"'],
  ];
  for (const [what, body] of configs) {
    test(what, () => {
      const p = project();
      assert.equal(cli(["init", "--quiet", p.app]).code, 0);
      const name = body.startsWith("name") ? "" : 'name = "app"\n';
      writeFileSync(join(p.app, "crateflake.toml"), `[[output]]\n${name}${body}\n`);
      refused(["generate", "--quiet", p.app]);
    });
  }
});
