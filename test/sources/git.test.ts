import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { parseManifest, toPackage } from "../../src/cargo/manifest.ts";
import { openSources } from "../../src/sources/index.ts";
import { needNix, nixEnv, tempDir } from "../support/env.ts";
import { GIT_ENV, git, workspaceRepo, write } from "./git-fixtures.ts";
import { cargoConfig, locked, rejection } from "./helpers.ts";

/** Nix's own fetchGit of `url` at `rev`: the narHash our checkout must reproduce. */
function nixFetchGitHash(url: string, rev: string, submodules = false): string {
  const expr = `(builtins.fetchGit { url = ${JSON.stringify(url)}; rev = "${rev}"; allRefs = true; submodules = ${submodules}; }).narHash`;
  return JSON.parse(
    execFileSync("nix", ["eval", "--json", "--impure", "--expr", expr], {
      encoding: "utf8",
      env: nixEnv({ ...GIT_ENV, XDG_CACHE_HOME: tempDir("nix-cache") }),
    }),
  );
}

const open = (cacheDir: string) =>
  openSources({ config: cargoConfig(), lockfileDir: tempDir("git-lock"), cacheDir, quiet: true });

test("a git package in a repository workspace: found by name, inheritance written out, Nix hash", async () => {
  const { url, c1, c2 } = workspaceRepo();
  const cacheDir = tempDir("git-cache");
  const sources = open(cacheDir);
  const source = `git+${url}?branch=dev#${c2}`;
  const f = await sources.fetch(locked("foo", "0.3.0", source, null));
  assert.equal(f.nix.kind, "git");
  if (f.nix.kind !== "git") return;
  assert.equal(f.nix.url, url);
  assert.equal(f.nix.rev, c2);
  assert.equal(f.nix.subdir, "crates/foo");
  assert.equal(f.nix.submodules, undefined);
  assert.equal(f.nix.ref, "refs/heads/dev");
  assert.match(f.manifestPath, /crates\/foo\/Cargo\.toml$/);
  assert.deepEqual(f.files, ["Cargo.toml", "run.sh", "src/alias.rs", "src/lib.rs"]);
  const checkout = dirname(dirname(dirname(f.manifestPath)));
  assert.equal(f.workspaceRoot, join(checkout, "Cargo.toml"));

  // The written-out manifest reads, without any workspace, as the loader reads the member with one.
  const flat = toPackage(parseManifest(f.manifestText, f.manifestPath), { source, files: f.files });
  const root = parseManifest(readFileSync(f.workspaceRoot!, "utf8"), f.workspaceRoot!);
  const member = parseManifest(readFileSync(f.manifestPath, "utf8"), f.manifestPath);
  const inherited = toPackage(member, {
    source,
    files: f.files,
    workspace: { root: checkout, manifest: root },
  });
  assert.deepEqual(flat, inherited);
  assert.equal(flat.version, "0.3.0");
  assert.equal(flat.edition, "2021");
  assert.equal(flat.readme, "../../README.md");
  const serde = flat.dependencies.filter((d) => d.name === "serde");
  assert.deepEqual(
    serde.map((d) => [d.optional, d.defaultFeatures, d.features, d.platform]),
    [
      [true, false, ["derive", "rc"], null],
      [false, false, ["derive"], "cfg(unix)"],
    ],
  );
  const helper = flat.dependencies.find((d) => d.name === "helper")!;
  assert.deepEqual(helper.source, { kind: "path", path: join(checkout, "crates/helper") });

  if (!needNix) assert.equal(f.nix.narHash, nixFetchGitHash(url, c2));

  // The workspace root is a package too, inheriting from its own [workspace].
  const wsroot = await sources.fetch(locked("wsroot", "0.3.0", source, null));
  const rootPkg = toPackage(parseManifest(wsroot.manifestText, wsroot.manifestPath), {
    source,
    files: wsroot.files,
  });
  assert.equal(wsroot.nix.kind === "git" && wsroot.nix.subdir, "");
  assert.equal(wsroot.workspaceRoot, wsroot.manifestPath);
  assert.deepEqual([rootPkg.version, rootPkg.edition], ["0.3.0", "2021"]);
  assert.deepEqual(rootPkg.dependencies.find((d) => d.name === "helper")?.source, {
    kind: "path",
    path: join(checkout, "crates/helper"),
  });
  // As Cargo lists them: the members are packages of their own, not files of the root package.
  assert.deepEqual(wsroot.files, ["Cargo.toml", "README.md", "src/lib.rs"]);

  // Other packages and commits of the same repository: by tag, by rev.
  const h = await sources.fetch(locked("helper", "0.3.0", `git+${url}?tag=v0.3.0#${c1}`, null));
  assert.equal(h.nix.kind === "git" && h.nix.subdir, "crates/helper");
  assert.equal(h.nix.kind === "git" && h.nix.ref, "refs/tags/v0.3.0");
  assert.equal(h.manifestText, '[package]\nname = "helper"\nversion = "0.3.0"\nedition = "2021"\n');
  const r = await sources.fetch(locked("foo", "0.3.0", `git+${url}?rev=${c1.slice(0, 10)}#${c1}`, null));
  assert.notEqual(r.nix.kind === "git" && r.nix.narHash, f.nix.narHash);
  if (!needNix) assert.equal(r.nix.kind === "git" && r.nix.narHash, nixFetchGitHash(url, c1));
});

test("git checkouts are cached: a second run needs no repository", async () => {
  const { repo, url, c3 } = workspaceRepo();
  const cacheDir = tempDir("git-cache");
  const pkg = locked("helper", "0.3.0", `git+${url}#${c3}`, null);
  const first = await open(cacheDir).fetch(pkg);
  rmSync(repo, { recursive: true, force: true });
  const second = await open(cacheDir).fetch(pkg);
  assert.deepEqual(second, first);
  assert.match(second.manifestText, /name = "helper"/);
});

test("git errors: a commit that is not in the repository, a package that is not in it", async () => {
  const { url, c1 } = workspaceRepo();
  const sources = open(tempDir("git-cache"));
  const gone = "0123456789abcdef0123456789abcdef01234567";
  assert.match(
    await rejection(sources.fetch(locked("foo", "0.3.0", `git+${url}?branch=main#${gone}`, null))),
    new RegExp(
      `commit ${gone} \\(locked in Cargo.lock\\) is not in ${url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
    ),
  );
  assert.match(
    await rejection(sources.fetch(locked("nope", "0.1.0", `git+${url}#${c1}`, null))),
    /no package named `nope` in the git checkout/,
  );
  assert.match(
    await rejection(sources.fetch(locked("foo", "0.3.0", `git+${url}?branch=main`, null))),
    /Cargo\.lock has no commit for foo 0\.3\.0/,
  );
});

test("a repository with a submodule: the tree includes it, like fetchGit with submodules", async () => {
  const base = tempDir("git-sub");
  const sub = join(base, "sub");
  mkdirSync(sub);
  git(sub, "init", "-q", "-b", "main");
  write(sub, { "shared.rs": "pub const SHARED: u8 = 1;\n", "nested/data.txt": "data\n" });
  git(sub, "add", "-A");
  git(sub, "commit", "-q", "-m", "sub");
  const top = join(base, "top");
  mkdirSync(top);
  git(top, "init", "-q", "-b", "main");
  write(top, {
    "Cargo.toml": '[package]\nname = "top"\nversion = "1.2.3"\nedition = "2021"\n',
    "src/lib.rs": 'include!("../third_party/sub/shared.rs");\n',
  });
  git(top, "submodule", "add", "-q", `file://${sub}`, "third_party/sub");
  git(top, "add", "-A");
  git(top, "commit", "-q", "-m", "top");
  const rev = git(top, "rev-parse", "HEAD");
  const url = `file://${top}`;
  const f = await open(tempDir("git-cache")).fetch(locked("top", "1.2.3", `git+${url}#${rev}`, null));
  assert.deepEqual(f.files, [
    ".gitmodules",
    "Cargo.toml",
    "src/lib.rs",
    "third_party/sub/nested/data.txt",
    "third_party/sub/shared.rs",
  ]);
  assert.equal(f.nix.kind === "git" && f.nix.submodules, true);
  assert.equal(f.nix.kind === "git" && f.nix.subdir, "");
  if (!needNix) assert.equal(f.nix.kind === "git" && f.nix.narHash, nixFetchGitHash(url, rev, true));
});
