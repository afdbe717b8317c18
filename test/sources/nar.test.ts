import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { narHash } from "../../src/sources/nar.ts";
import { packageTreeFilter } from "../../src/sources/path.ts";
import { needNix, tempDir } from "../support/env.ts";
import { nixFilteredTreeHash, nixHashPath } from "./nix-oracle.ts";

/** A tree with everything NAR distinguishes: executables, symlinks (dangling too), nesting, odd sizes. */
function makeTree(): string {
  const root = tempDir("nar");
  mkdirSync(join(root, "src/bin/deep"), { recursive: true });
  mkdirSync(join(root, "empty-dir"));
  writeFileSync(join(root, "Cargo.toml"), '[package]\nname = "x"\nversion = "0.1.0"\n');
  writeFileSync(join(root, "empty"), "");
  writeFileSync(join(root, "eight.txt"), "12345678");
  writeFileSync(join(root, "src/lib.rs"), "pub fn f() {}\n".repeat(1000));
  writeFileSync(join(root, "src/bin/deep/ünïcode näme.rs"), "fn main() {}\n");
  writeFileSync(join(root, "B-upper-sorts-first"), "b");
  writeFileSync(join(root, "big.bin"), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
  writeFileSync(join(root, "run.sh"), "#!/bin/sh\necho hi\n");
  chmodSync(join(root, "run.sh"), 0o755);
  writeFileSync(join(root, "group-exec-only"), "x");
  chmodSync(join(root, "group-exec-only"), 0o654);
  symlinkSync("src/lib.rs", join(root, "link-to-lib"));
  symlinkSync("does/not/exist", join(root, "src/dangling"));
  symlinkSync("bin", join(root, "src/dir-link"));
  return root;
}

test("narHash equals `nix hash path` on a tree with executables, symlinks, nesting", {
  skip: needNix,
}, () => {
  const root = makeTree();
  assert.equal(narHash(root), nixHashPath(root));
  // A single file and a single symlink are NARs too.
  assert.equal(narHash(join(root, "run.sh")), nixHashPath(join(root, "run.sh")));
  assert.equal(narHash(join(root, "src/lib.rs")), nixHashPath(join(root, "src/lib.rs")));
});

test("narHash changes with the executable bit and with symlink targets", () => {
  const root = makeTree();
  const before = narHash(root);
  chmodSync(join(root, "src/lib.rs"), 0o744);
  const exec = narHash(root);
  assert.notEqual(exec, before);
  chmodSync(join(root, "src/lib.rs"), 0o644);
  assert.equal(narHash(root), before, "modes other than owner-execute do not count");
  chmodSync(join(root, "src/lib.rs"), 0o666);
  assert.equal(narHash(root), before);
  assert.match(before, /^sha256-[A-Za-z0-9+/]{43}=$/);
  rmSync(join(root, "link-to-lib"));
  symlinkSync("src/lib.rs ", join(root, "link-to-lib"));
  assert.notEqual(narHash(root), before);
});

test("the package-tree filter hashes what nix/source.nix's builtins.path filter copies", {
  skip: needNix,
}, () => {
  const root = makeTree();
  const copy = tempDir("nar-copy");
  execFileSync("cp", ["-a", `${root}/.`, copy]);
  mkdirSync(join(root, ".git/objects"), { recursive: true });
  writeFileSync(join(root, ".git/HEAD"), "ref: refs/heads/main\n");
  mkdirSync(join(root, ".cargo"), { recursive: true });
  writeFileSync(join(root, ".cargo/config.toml"), '[source.x]\nlocal-registry = "/somewhere"\n');
  mkdirSync(join(root, "target/debug"), { recursive: true });
  writeFileSync(join(root, "target/debug/x"), "binary");
  mkdirSync(join(root, "src/target"), { recursive: true });
  writeFileSync(join(root, "src/target/y"), "y");
  mkdirSync(join(root, "fuzz/src"), { recursive: true });
  writeFileSync(join(root, "fuzz/Cargo.toml"), '[package]\nname = "fuzz"\n');
  symlinkSync("/nix/store/x", join(root, "result"));
  symlinkSync("/nix/store/y", join(root, "src/result-bin"));
  const filter = packageTreeFilter(root);
  assert.equal(narHash(root, { filter }), nixHashPath(copy));
  assert.notEqual(narHash(root), nixHashPath(copy));
  // And Nix's own builtins.path with the same filter as nix/source.nix agrees.
  assert.equal(narHash(root, { filter }), nixFilteredTreeHash(root));
});
