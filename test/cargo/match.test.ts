import assert from "node:assert/strict";
import { test } from "node:test";
import { matchDependencies } from "../../src/cargo/match.ts";
import { CRATES_IO_SOURCE, type Dependency, type LockedPackage } from "../../src/cargo/model.ts";
import type { Patch } from "../../src/cargo/workspace.ts";

const dep = (name: string, req: string, source: Dependency["source"], pkg = name): Dependency => ({
  name,
  package: pkg,
  req,
  kind: "normal",
  optional: false,
  defaultFeatures: true,
  features: [],
  platform: null,
  source,
  public: false,
});
const crates = { kind: "registry", registry: null } as const;
const locked = (name: string, version: string, source: string | null): LockedPackage => ({
  name,
  version,
  source,
  checksum: null,
  dependencies: [],
});
const ctx = (patches: Patch[] = []) => ({
  config: { registries: { corp: { index: "sparse+https://corp.example/index/" } } },
  patches,
});

test("two versions of one crate are told apart by the requirement; the highest match wins", () => {
  const candidates = [locked("dup", "1.4.0", CRATES_IO_SOURCE), locked("dup", "2.1.0", CRATES_IO_SOURCE)];
  const deps = [
    dep("dup", "2", crates),
    dep("dup1", "1.0", crates, "dup"),
    dep("dupany", "*", crates, "dup"),
  ];
  assert.deepEqual(matchDependencies(deps, null, candidates, ctx()), [1, 0, 1]);
});

test("sources: path ↔ path, named registry ↔ its index, git by canonical URL, unlisted → null", () => {
  const candidates = [
    locked("a", "0.1.0", null),
    locked("b", "1.0.0", "sparse+https://corp.example/index/"),
    locked("c", "0.3.0", "git+https://github.com/Org/c?branch=main#abc"),
    locked("a", "0.1.0", CRATES_IO_SOURCE),
  ];
  const deps = [
    dep("a", "*", { kind: "path", path: "/x/a" }),
    dep("b", "1", { kind: "registry", registry: "corp" }),
    dep("b", "1", crates),
    dep("c", "*", { kind: "git", url: "https://github.com/Org/c.git", branch: "main" }),
    dep("a", "0.1", crates),
    dep("missing", "1", crates),
  ];
  assert.deepEqual(matchDependencies(deps, null, candidates, ctx()), [0, 1, null, 2, 3, null]);
});

test("a path dependency inside a git package resolves to the same git source", () => {
  const git = "git+https://example.com/r?branch=main#123";
  const candidates = [locked("util", "0.5.1", null), locked("util", "0.5.1", git)];
  const d = dep("util", "*", { kind: "path", path: "/checkout/util" });
  assert.deepEqual(matchDependencies([d], git, candidates, ctx()), [1]);
  assert.deepEqual(matchDependencies([d], null, candidates, ctx()), [0]);
});

test("[patch.crates-io] with a path or git replaces a registry dependency", () => {
  const patches: Patch[] = [
    { source: "crates-io", dep: dep("serde", "*", { kind: "path", path: "/v/serde" }) },
    { source: "crates-io", dep: dep("log", "*", { kind: "git", url: "https://github.com/x/log" }) },
  ];
  const candidates = [
    locked("serde", "1.0.200", null),
    locked("log", "0.4.99", "git+https://github.com/x/log#c"),
  ];
  const deps = [dep("serde", "1", crates), dep("log", "0.4", crates)];
  assert.deepEqual(matchDependencies(deps, null, candidates, ctx(patches)), [0, 1]);
  assert.deepEqual(matchDependencies(deps, null, candidates, ctx()), [null, null]);
});

test("a path dependency without a version picks the package in its own directory, not the highest", () => {
  const candidates = [locked("dup", "0.1.0", null), locked("dup", "0.2.0", null)];
  const deps = [
    dep("dup", "*", { kind: "path", path: "/ws/old" }),
    dep("dup2", "*", { kind: "path", path: "/ws/new" }, "dup"),
  ];
  const versions: Record<string, string> = { "/ws/old": "0.1.0", "/ws/new": "0.2.0" };
  assert.deepEqual(
    matchDependencies(deps, null, candidates, { ...ctx(), pathVersion: (d) => versions[d] }),
    [0, 1],
  );
});

test("git: the branch, tag or rev is part of the source, as in Cargo's source id", () => {
  const url = "https://example.com/org/x";
  const candidates = [
    locked("x", "0.1.0", `git+${url}?tag=v1#aaa`),
    locked("x", "0.1.0", `git+${url}?tag=v2#bbb`),
    locked("x", "0.1.0", `git+${url}?branch=feat%2Fy#ccc`),
    locked("x", "0.1.0", `git+${url}?rev=1234abc#1234abcdef`),
    locked("x", "0.1.0", `git+${url}#ddd`),
  ];
  const deps = [
    dep("x1", "*", { kind: "git", url, tag: "v1" }, "x"),
    dep("x2", "*", { kind: "git", url: `${url}.git`, tag: "v2" }, "x"),
    dep("xb", "*", { kind: "git", url, branch: "feat/y" }, "x"),
    dep("xr", "*", { kind: "git", url, rev: "1234abc" }, "x"),
    dep("xd", "*", { kind: "git", url }, "x"),
    dep("x3", "*", { kind: "git", url, tag: "v3" }, "x"),
    dep("xm", "*", { kind: "git", url, branch: "main" }, "x"),
    // A rev is compared as written: a longer spelling of the same commit is another source.
    dep("xr2", "*", { kind: "git", url, rev: "1234abcdef" }, "x"),
  ];
  assert.deepEqual(matchDependencies(deps, null, candidates, ctx()), [0, 1, 2, 3, 4, null, null, null]);
});

test('git: before lockfile version 3, `branch = "master"` is locked as the default branch', () => {
  const candidates = [locked("x", "0.1.0", "git+https://example.com/x#aaa")];
  const master = [dep("x", "*", { kind: "git", url: "https://example.com/x", branch: "master" })];
  assert.deepEqual(matchDependencies(master, null, candidates, { ...ctx(), lockVersion: 2 }), [0]);
  assert.deepEqual(matchDependencies(master, null, candidates, { ...ctx(), lockVersion: 3 }), [null]);
});

test("git: github.com URLs compare without case, scheme or .git, as Cargo's canonical URL", () => {
  const candidates = [locked("c", "0.3.0", "git+https://github.com/org/c#abc")];
  const d = dep("c", "*", { kind: "git", url: "http://GitHub.com/Org/C.git/" });
  assert.deepEqual(matchDependencies([d], null, candidates, ctx()), [0]);
  const other = dep("c", "*", { kind: "git", url: "https://example.com/Org/c" });
  const cased = [locked("c", "0.3.0", "git+https://example.com/org/c#abc")];
  assert.deepEqual(matchDependencies([other], null, cased, ctx()), [null]);
});

test("[patch] with a git dependency names its reference too", () => {
  const patches: Patch[] = [
    { source: "crates-io", dep: dep("log", "*", { kind: "git", url: "https://e.com/log", tag: "v2" }) },
  ];
  const candidates = [
    locked("log", "0.4.99", "git+https://e.com/log?tag=v1#a"),
    locked("log", "0.4.99", "git+https://e.com/log?tag=v2#b"),
  ];
  assert.deepEqual(matchDependencies([dep("log", "0.4", crates)], null, candidates, ctx(patches)), [1]);
});
