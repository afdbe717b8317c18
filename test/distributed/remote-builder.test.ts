/**
 * A remote builder, with Nix's own machinery (issue 19): an SSH server on 127.0.0.1 (sshd.ts) stands for
 * a build machine whose Nix store is a separate chroot store (`ssh-ng://…?remote-store=DIR`, run by
 * `nix-daemon --stdio` on the remote side). The local side is a fresh chroot store too, built with
 * `--max-jobs 0 --builders …`: it may build nothing itself, so every derivation of the graph (the
 * stand-in tools, compiler-info, every unit) is built remotely and its output copied back; the program
 * from the local store prints what `cargo run` prints.
 *
 * The project is the demo fixture (a bin with a build script over a lib with a build script and a
 * proc-macro: 3 packages, 7 units): a full remote build of the cats sample's app (≈200 derivations,
 * one ssh session each) takes more than 15 minutes on this loaded 2-core machine, too long for CI.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { copyDir } from "../nix/support.ts";
import { runCli } from "../support/cli.ts";
import { fixturesDir, needCargo, needNix, nixEnv, rustupEnv, tempDir } from "../support/env.ts";
import { needSshd, type Sshd, startSshd } from "./sshd.ts";
import { buildLogs, derivationClosure, drvPathOf, nixBuildIn, realPathIn, sandboxPaths } from "./stores.ts";

const skip = needNix || needCargo || needSshd;

let tmp: string;
let sshd: Sshd | undefined;

before(async () => {
  if (skip) return;
  tmp = tempDir("remote");
  sshd = await startSshd(tmp);
});

// Always, also when a test failed: no sshd, session or remote nix-daemon is left running.
after(async () => {
  await sshd?.stop();
  // the two chroot stores are a few hundred MB
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/**
 * The remote machine's `nix-daemon`, as its /etc/nix/nix.conf would set it up: offline, builds as root,
 * and (a chroot store always builds sandboxed) a sandbox that sees the host toolchain the stand-ins use.
 */
function remoteDaemon(dir: string): string {
  const config = `${nixEnv().NIX_CONFIG}\nsandbox-paths = ${sandboxPaths}`;
  assert.ok(!config.includes("'"));
  const file = join(dir, "remote-nix-daemon");
  writeFileSync(file, `#!/bin/sh\nexport NIX_CONFIG='${config}'\nexec nix-daemon "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

test("nix build --max-jobs 0 over ssh-ng: every derivation built on the remote store", { skip }, () => {
  const root = join(tmp, "demo");
  copyDir(join(fixturesDir, "nix/demo"), root);
  assert.equal(runCli(["init", "--quiet", root]).code, 0);
  const expected = execFileSync("cargo", ["run", "-q", "--offline", "--release"], {
    cwd: root,
    env: { ...rustupEnv, CARGO_TARGET_DIR: join(tmp, "target") },
    encoding: "utf8",
  });

  const s = sshd!;
  const remoteStore = join(tmp, "remote-store");
  const localStore = join(tmp, "local-store");
  // Nix 2.8's machine line: URI, system, ssh key, max jobs, speed factor, features, mandatory features,
  // host key ('-': the ssh config's known_hosts); the port comes from `ssh -F` through NIX_SSHOPTS.
  const uri = `ssh-ng://${s.host}?remote-store=${remoteStore}&remote-program=${remoteDaemon(tmp)}`;
  const builders = `${uri} x86_64-linux ${s.userKey} 2 1 - - -`;
  const r = nixBuildIn(root, "demo", localStore, ["--max-jobs", "0", "--builders", builders], {
    NIX_SSHOPTS: `-F ${s.sshConfig}`,
  });
  assert.equal(r.status, 0, r.stderr.slice(-4000));

  const remote = [...r.stderr.matchAll(/^building '(\/nix\/store\/[^']+\.drv)' on 'ssh-ng:\/\/[^']+'/gm)]
    .map((m) => m[1])
    .sort();
  // Nix prints `building 'X'...` for every build it starts, and `building 'X' on 'ssh-ng://…'` when the
  // build hook took it: with --max-jobs 0 every build must have gone through the hook.
  const started = [...r.stderr.matchAll(/^building '([^']+)'\.\.\.$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(started, remote, "every build started went to the remote builder");
  const all = [...derivationClosure(drvPathOf(root, "demo"))].sort();
  assert.deepEqual(remote, all, "every derivation of the graph was built remotely");
  assert.deepEqual(buildLogs(remoteStore), all, "the remote store logged every build");
  const units = remote.filter((d) => /-rust-\d{4}-/.test(d));
  assert.equal(units.length, 7, `units built remotely: ${units.join(" ")}`);

  const out: string = JSON.parse(r.stdout)[0].outputs.out;
  const program = realPathIn(localStore, `${out}/bin/demo`);
  assert.equal(execFileSync(program, { encoding: "utf8" }), expected);
});
