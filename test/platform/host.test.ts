import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { UserError } from "../../src/errors.ts";
import { hostTriple, parseRustcHost } from "../../src/platform/host.ts";
import { knownTriples } from "../../src/platform/platform.ts";
import { needCargo, rustupEnv } from "../support/env.ts";

test("host: line of rustc -vV", () => {
  const text =
    "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nhost: aarch64-apple-darwin\nrelease: 1.95.0\n";
  assert.equal(parseRustcHost(text), "aarch64-apple-darwin");
  assert.equal(parseRustcHost("rustc 1.0\n"), undefined);
});

test("hostTriple asks rustc, and the host is a built-in platform here", { skip: needCargo }, () => {
  const host = hostTriple("rustc", rustupEnv);
  const uname = execFileSync("uname", ["-m"], { encoding: "utf8" }).trim();
  assert.ok(host.startsWith(`${uname}-`), host);
  assert.ok(knownTriples().includes(host));
  assert.throws(() => hostTriple("/nonexistent/rustc"), UserError);
});
