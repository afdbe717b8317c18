import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";

test("--version prints the package version", () => {
  const r = runCli(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test("an unknown command is a usage error (exit 2)", () => {
  const r = runCli(["no-such-command"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: unknown command 'no-such-command'/);
});

test("every command has --help", () => {
  for (const cmd of ["init", "generate", "check", "metadata", "plan", "why", "graph"]) {
    const r = runCli([cmd, "--help"]);
    assert.equal(r.code, 0, `${cmd} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: crateflake ${cmd}`));
  }
});
