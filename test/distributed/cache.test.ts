/**
 * A shared binary cache, with Nix's own machinery (issue 19). "CI" builds the cats sample's `all` in the
 * main store and pushes every path of the build (each unit's output, not only the final join) to a
 * `file://` cache signed with a key made by `nix key generate-secret`. A "laptop" (a chroot store under
 * the test's temp dir, trusting only that key, `require-sigs`) builds the same flake: everything comes
 * from the cache, nothing is compiled. It then builds the other layout of the sample (separate packages
 * joined by `path = "../cats"`): the registry crates' units are the same derivations (unit keys are
 * content hashes), so only the units whose keys differ are built. Caches without a signature, or signed
 * with another key, are refused: nothing is substituted.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { trustingCache } from "../../bench/cold-build.ts";
import { copyDir, nixBuild } from "../nix/support.ts";
import { CAT_LINE, runWithCatServer } from "../support/cats.ts";
import { runCli } from "../support/cli.ts";
import { catsSampleDir, needNix, needRegistry, nixEnv, tempDir } from "../support/env.ts";
import {
  buildLogs,
  builtDerivations,
  derivationClosure,
  drvPathOf,
  nix,
  nixBuildIn,
  outputsIn,
  realPathIn,
  substitutedPaths,
} from "./stores.ts";

const skip = needRegistry || needNix;

/** A signing key pair made as a CI admin makes one; returns the secret key's file and the public key. */
function makeKey(dir: string, name: string): { secretFile: string; publicKey: string } {
  const env = nixEnv();
  const secret = execFileSync("nix", ["key", "generate-secret", "--key-name", name], {
    env,
    encoding: "utf8",
  });
  const secretFile = join(dir, `${name}.secret`);
  writeFileSync(secretFile, secret, { mode: 0o600 });
  const publicKey = execFileSync("nix", ["key", "convert-secret-to-public"], {
    env,
    input: secret,
    encoding: "utf8",
  });
  return { secretFile, publicKey: publicKey.trim() };
}

/** `nix copy` of `paths` from the main store to a `file://` cache, signed when a secret key is given. */
function pushTo(cacheDir: string, paths: string[], secretFile?: string): void {
  const params = `compression=zstd${secretFile ? `&secret-key=${secretFile}` : ""}`;
  const r = nix(["copy", "--to", `file://${cacheDir}?${params}`, ...paths], dirname(cacheDir));
  assert.equal(r.status, 0, r.stderr.slice(-3000));
}

describe("a signed binary cache shared by CI and a laptop", { skip }, () => {
  let tmp: string;
  let ws: string;
  let sep: string;
  let ciKey: { secretFile: string; publicKey: string };
  let allDrv: string;
  const laptop = () => join(tmp, "laptop");

  before(() => {
    tmp = tempDir("cache");
    ws = join(tmp, "cats-ws");
    sep = join(tmp, "cats-sep");
    copyDir(join(catsSampleDir(), "cats-ws"), ws);
    copyDir(join(catsSampleDir(), "cats-sep"), sep);
    for (const dir of [ws, sep]) assert.equal(runCli(["init", "--quiet", dir]).code, 0);
    ciKey = makeKey(tmp, "crateflake-ci-1");
  });

  // the caches and the laptops' chroot stores are a few hundred MB
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test("CI builds all and pushes every unit of the build to a signed cache", () => {
    nixBuild(ws, "all");
    allDrv = drvPathOf(ws, "all");
    // The build's closure with the outputs of every derivation in it: the units' rlibs too, which the
    // final binary does not reference but another project's build needs.
    const paths = execFileSync("nix-store", ["-qR", "--include-outputs", allDrv], {
      env: nixEnv(),
      encoding: "utf8",
      maxBuffer: 64 << 20,
    })
      .split("\n")
      .filter((p) => p !== "" && !p.endsWith(".drv"));
    assert.ok(paths.filter((p) => /-rust-\d{4}-serde-1\./.test(p)).length > 0, "serde's unit is pushed");
    pushTo(join(tmp, "cache"), paths, ciKey.secretFile);
  });

  test("the laptop builds the same flake from the cache: zero compiles, the program runs", async () => {
    const r = nixBuildIn(ws, "all", laptop(), trustingCache(join(tmp, "cache"), ciKey.publicKey));
    assert.equal(r.status, 0, r.stderr.slice(-4000));
    assert.deepEqual(builtDerivations(r.stderr), [], "nothing built");
    assert.deepEqual(buildLogs(laptop()), [], "no build log in the laptop's store");
    const fetched = substitutedPaths(r.stderr);
    assert.ok(fetched.some((p) => p.endsWith("-all")));
    assert.ok(
      fetched.some((p) => /-rust-\d{4}-serde-1\./.test(p)),
      `fetched: ${fetched.join(" ")}`,
    );

    const out: string = JSON.parse(r.stdout)[0].outputs.out;
    const ran = await runWithCatServer(realPathIn(laptop(), `${out}/bin/app`));
    assert.equal(ran.stdout, CAT_LINE, ran.stderr);
  });

  test("the laptop builds the other layout: only the units that differ are compiled", async () => {
    // The derivations of cats-sep's `all` that CI's build did not have: the units whose keys differ
    // (app's binary and the wasm cdylib, which sit in another root) and the joins above them.
    const shared = derivationClosure(allDrv);
    const expected = [...derivationClosure(drvPathOf(sep, "all"))].filter((d) => !shared.has(d)).sort();
    assert.ok(
      expected.some((d) => /-rust-\d{4}-app-0\.1\.0-bin-app\.drv$/.test(d)),
      expected.join(" "),
    );
    assert.ok(!expected.some((d) => /-(serde|tokio|reqwest|cats)-\d/.test(d)), expected.join(" "));

    const r = nixBuildIn(sep, "all", laptop(), trustingCache(join(tmp, "cache"), ciKey.publicKey));
    assert.equal(r.status, 0, r.stderr.slice(-4000));
    assert.deepEqual(builtDerivations(r.stderr), expected);
    assert.deepEqual(buildLogs(laptop()), expected, "the laptop's store logged exactly those builds");
    assert.ok(
      substitutedPaths(r.stderr).some((p) => /-rust-\d{4}-tokio-1\./.test(p)),
      "tokio came from the cache",
    );

    const out: string = JSON.parse(r.stdout)[0].outputs.out;
    const ran = await runWithCatServer(realPathIn(laptop(), `${out}/bin/app`));
    assert.equal(ran.stdout, CAT_LINE, ran.stderr);
  });

  for (const kind of ["unsigned", "signed with another key"] as const) {
    test(`a cache ${kind} is refused: nothing substituted`, () => {
      const cache = join(tmp, `cache-${kind.replace(/ /g, "-")}`);
      const closure = execFileSync(
        "nix-store",
        ["-qR", JSON.parse(nixBuildIn(ws, "all", null).stdout)[0].outputs.out],
        {
          env: nixEnv(),
          encoding: "utf8",
        },
      )
        .split("\n")
        .filter((p) => p !== "");
      pushTo(cache, closure, kind === "unsigned" ? undefined : makeKey(tmp, "someone-else-1").secretFile);

      const store = join(tmp, `laptop-${kind.replace(/ /g, "-")}`);
      // --max-jobs 0: the laptop may not build, so only a substitution could make `all`.
      const r = nixBuildIn(ws, "all", store, [...trustingCache(cache, ciKey.publicKey), "--max-jobs", "0"]);
      assert.notEqual(r.status, 0, "the build must fail without substitutes");
      assert.deepEqual(substitutedPaths(r.stderr), []);
      assert.deepEqual(outputsIn(store, /-(all|app|rust-.*)$/), [], "no output reached the store");
    });
  }
});
