/**
 * `[lints]` reach clippy as under `cargo clippy`: in the lints fixture's flake, each member's clippy check
 * reports what `cargo clippy -p MEMBER` reports for that member's own crates (the headline and source
 * file of each diagnostic): helper's and tool's `clippy::pedantic` warnings (must_use_candidate), and
 * nothing for the root package, whose `return` the workspace's `needless_return = "allow"` lets pass.
 * The rustc command lines themselves are compared with Cargo's in rustc-lines.test.ts.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { runCli } from "../support/cli.ts";
import {
  fixturesDir,
  needCargo,
  needNix,
  needRegistry,
  registryDir,
  rustupEnv,
  tempDir,
} from "../support/env.ts";
import { copyDir, nixBuild, run } from "./support.ts";

const needClippy = existsSync("/root/.cargo/bin/clippy-driver")
  ? false
  : "no clippy-driver in /root/.cargo/bin (the stand-in nixpkgs' clippy): rustup component add clippy";
const skip = needNix || needCargo || needRegistry || needClippy;
const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
const MEMBERS: [string, string][] = [
  ["lints-demo", ""],
  ["helper", "helper/"],
  ["tool", "tool/"],
];
let dir = "";

/** Each diagnostic as `headline @ src/file.rs` (the file relative to its package root). */
function diagnostics(log: string): { text: string; file: string }[] {
  const found: { text: string; file: string }[] = [];
  for (const line of log.split("\n")) {
    if (
      /^(warning|error)(\[\w+\])?: /.test(line) &&
      !/generated \d+ warning|\d+ warnings? emitted|aborting due/.test(line)
    )
      found.push({ text: line, file: "" });
    const at = /^\s*--> (.*):\d+:\d+$/.exec(line);
    if (at && found.length > 0 && found[found.length - 1].file === "") found[found.length - 1].file = at[1];
  }
  return found;
}

describe("lints in clippy checks, as cargo clippy", { skip }, () => {
  before(() => {
    dir = join(tempDir("lints-clippy"), "lints");
    copyDir(join(fixturesDir, "nix/lints"), dir);
    mkdirSync(join(dir, ".cargo"), { recursive: true });
    writeFileSync(
      join(dir, ".cargo/config.toml"),
      `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registryDir}"\n\n[net]\noffline = true\n`,
    );
    const env = { ...rustupEnv, CARGO_HOME: join(dir, "../cargo-home") };
    run("cargo", ["generate-lockfile", "--offline"], env, dir);
    const init = runCli(["init", "--quiet", dir]);
    assert.equal(init.code, 0, init.stderr);
  });

  test("each member's clippy check reports what cargo clippy -p reports for it", () => {
    const env = { ...rustupEnv, CARGO_HOME: join(dir, "../cargo-home") };
    const others = MEMBERS.map(([, prefix]) => prefix).filter((p) => p !== "");
    for (const [member, prefix] of MEMBERS) {
      const r = run("bash", ["-c", `cargo clippy --offline -p ${member} 2>&1`], env, dir);
      const theirs = diagnostics(r)
        .filter((d) => (prefix ? d.file.startsWith(prefix) : !others.some((p) => d.file.startsWith(p))))
        .map((d) => `${d.text} @ ${d.file.slice(prefix.length)}`)
        .sort();
      const log = readFileSync(
        join(nixBuild(dir, `checks.${system}.clippy-${member}`), "clippy.log"),
        "utf8",
      );
      const ours = diagnostics(log)
        .map((d) => `${d.text} @ ${d.file.replace(/^\/crateflake\/[^/]+\//, "")}`)
        .sort();
      assert.deepEqual(ours, theirs, member);
      const expected =
        member === "lints-demo"
          ? []
          : ["warning: this function could have a `#[must_use]` attribute @ src/lib.rs"];
      assert.deepEqual(ours, expected, member);
      if (member !== "lints-demo")
        assert.match(log, /`-W clippy::must-use-candidate` implied by `-W clippy::pedantic`/);
    }
  });
});
