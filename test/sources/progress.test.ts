import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const child = fileURLToPath(new URL("./progress-child.ts", import.meta.url));
const needScript = existsSync("/usr/bin/script") ? false : "no script(1) to make a pseudo-terminal";

/** Run the child with stdout and stderr on a pseudo-terminal (script(1)); returns what the terminal showed. */
function onTerminal(arg: string): string {
  const cmd = `${process.execPath} --import tsx ${child} ${arg}`;
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], {
    encoding: "utf8",
    env: { ...process.env, TERM: "xterm" },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("a progress bar on a terminal; none when quiet", { skip: needScript }, () => {
  const shown = onTerminal("loud");
  assert.match(shown, /Fetching crates \[.*\] \d\/2/);
  assert.match(shown, /done/);
  const quiet = onTerminal("quiet");
  assert.doesNotMatch(quiet, /Fetching crates/);
  assert.match(quiet, /done/);
});

test("no progress output when stderr is not a terminal", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", child, "loud"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "done\n");
  assert.equal(r.stderr, "");
});
