/** Git repositories made by the tests: a workspace with inheritance, branches and a tag. */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "../support/env.ts";

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
  // Submodules from file:// URLs (git >= 2.38.1 refuses them by default).
  GIT_CONFIG_COUNT: "1",
  GIT_CONFIG_KEY_0: "protocol.file.allow",
  GIT_CONFIG_VALUE_0: "always",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: GIT_ENV,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

export function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A repository holding a workspace whose member `foo` inherits from the root; main, dev, a tag. */
export function workspaceRepo() {
  const repo = join(tempDir("git-ws"), "ws repo");
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  write(repo, {
    "Cargo.toml": `[package]
name = "wsroot"
version.workspace = true
edition.workspace = true

[dependencies]
helper.workspace = true

[workspace]
members = ["crates/*"]
resolver = "2"

[workspace.package]
version = "0.3.0"
edition = "2021"
license = "MIT"
readme = "README.md"

[workspace.dependencies]
serde = { version = "1.0", default-features = false, features = ["derive"] }
helper = { path = "crates/helper" }
`,
    "README.md": "the workspace\n",
    "src/lib.rs": "",
    "crates/foo/Cargo.toml": `[package]
name = "foo"
version.workspace = true
edition.workspace = true
license.workspace = true
readme.workspace = true

[dependencies]
helper.workspace = true
serde = { workspace = true, optional = true, features = ["rc"] }

[target.'cfg(unix)'.dependencies]
serde = { workspace = true }
`,
    "crates/foo/src/lib.rs": "pub fn foo() {}\n",
    "crates/foo/run.sh": "#!/bin/sh\n",
    "crates/helper/Cargo.toml": '[package]\nname = "helper"\nversion = "0.3.0"\nedition = "2021"\n',
    "crates/helper/src/lib.rs": "pub fn help() {}\n",
    "target/debug/stale/Cargo.toml": '[package]\nname = "foo"\nversion = "9.9.9"\n',
  });
  chmodSync(join(repo, "crates/foo/run.sh"), 0o755);
  symlinkSync("lib.rs", join(repo, "crates/foo/src/alias.rs"));
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "one");
  const c1 = git(repo, "rev-parse", "HEAD");
  git(repo, "tag", "v0.3.0");
  git(repo, "checkout", "-q", "-b", "dev");
  write(repo, { "crates/foo/src/lib.rs": "pub fn foo() -> u8 { 2 }\n" });
  git(repo, "commit", "-q", "-am", "two");
  const c2 = git(repo, "rev-parse", "HEAD");
  git(repo, "checkout", "-q", "main");
  write(repo, { "crates/helper/src/lib.rs": "pub fn help() -> u8 { 3 }\n" });
  git(repo, "commit", "-q", "-am", "three");
  const c3 = git(repo, "rev-parse", "HEAD");
  return { repo, url: `file://${repo.replaceAll(" ", "%20")}`, c1, c2, c3 };
}
