import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { UserError } from "../../src/errors.ts";
import { cfgKey } from "../../src/platform/cfg.ts";
import {
  cargoCfgEnv,
  knownTriples,
  loadPlatformFile,
  matchesPlatform,
  parseTargetSpec,
  platformFor,
} from "../../src/platform/platform.ts";
import { needCargo, rustupEnv, tempDir } from "../support/env.ts";

const required = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-unknown-linux-musl",
  "aarch64-unknown-linux-musl",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-gnu",
  "x86_64-pc-windows-msvc",
  "wasm32-unknown-unknown",
  "wasm32-wasip1",
  "wasm32-wasip2",
];

describe("built-in platforms", () => {
  test("cover the supported triples, sorted", () => {
    assert.deepEqual(knownTriples(), [...required].sort());
  });

  test("each equals Cargo's query of the installed stable rustc", { skip: needCargo }, () => {
    // As Cargo asks (all crate types, so proc-macro rules apply) and filters (`proc_macro` dropped).
    const crateTypes = ["bin", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"].flatMap((c) => [
      "--crate-type",
      c,
    ]);
    for (const t of required) {
      const out = execFileSync("rustc", ["+stable", "--print", "cfg", "--target", t, ...crateTypes], {
        encoding: "utf8",
        env: { ...rustupEnv, RUSTFLAGS: "" },
      });
      const lines = out.split("\n").filter((l) => l !== "" && l !== "proc_macro");
      assert.deepEqual(
        platformFor(t).cfg.map(cfgKey),
        lines,
        `${t}: src/platform/targets.json is stale, run scripts/gen-platforms.sh`,
      );
    }
  });

  test("an unknown triple is a UserError listing the known ones", () => {
    assert.throws(
      () => platformFor("riscv64gc-unknown-linux-gnu"),
      (e: unknown) =>
        e instanceof UserError &&
        e.message.includes("unknown target triple `riscv64gc-unknown-linux-gnu`") &&
        required.every((t) => e.message.includes(t)),
    );
  });

  test("extra --cfg values from RUSTFLAGS join the platform", () => {
    const p = platformFor("x86_64-unknown-linux-gnu", { extraCfg: ["tokio_unstable", 'foo="bar"'] });
    assert.equal(matchesPlatform('cfg(all(tokio_unstable, foo = "bar"))', p), true);
    assert.equal(matchesPlatform("cfg(tokio_unstable)", platformFor("x86_64-unknown-linux-gnu")), false);
    assert.throws(() => platformFor("x86_64-unknown-linux-gnu", { extraCfg: ["a b"] }), UserError);
  });
});

describe("matchesPlatform", () => {
  const linux = platformFor("x86_64-unknown-linux-gnu");
  const wasm = platformFor("wasm32-unknown-unknown");
  const wasi = platformFor("wasm32-wasip2");
  const msvc = platformFor("x86_64-pc-windows-msvc");
  const mac = platformFor("aarch64-apple-darwin");

  test("null applies everywhere; a triple only to itself", () => {
    for (const p of [linux, wasm, msvc]) assert.equal(matchesPlatform(null, p), true);
    assert.equal(matchesPlatform("x86_64-unknown-linux-gnu", linux), true);
    assert.equal(matchesPlatform("x86_64-unknown-linux-gnu", wasm), false);
    assert.equal(matchesPlatform("wasm32-unknown-unknown", wasm), true);
  });

  test("cfg expressions as crates write them", () => {
    const cases: [string, string[]][] = [
      // spec → the triples (of these five) it selects
      ['cfg(target_arch = "wasm32")', ["wasm32-unknown-unknown", "wasm32-wasip2"]],
      [
        'cfg(not(target_arch = "wasm32"))',
        ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc", "aarch64-apple-darwin"],
      ],
      ["cfg(unix)", ["x86_64-unknown-linux-gnu", "aarch64-apple-darwin"]],
      ["cfg(windows)", ["x86_64-pc-windows-msvc"]],
      ['cfg(target_os = "wasi")', ["wasm32-wasip2"]],
      ['cfg(all(target_arch = "wasm32", target_os = "unknown"))', ["wasm32-unknown-unknown"]],
      ['cfg(any(target_os = "macos", target_os = "ios"))', ["aarch64-apple-darwin"]],
      ['cfg(target_family = "wasm")', ["wasm32-unknown-unknown", "wasm32-wasip2"]],
      ['cfg(target_env = "msvc")', ["x86_64-pc-windows-msvc"]],
      ['cfg(panic = "abort")', ["wasm32-unknown-unknown", "wasm32-wasip2"]],
      ['cfg(target_has_atomic = "128")', ["x86_64-pc-windows-msvc", "aarch64-apple-darwin"]],
      ['cfg(target_pointer_width = "32")', ["wasm32-unknown-unknown", "wasm32-wasip2"]],
      // Cargo's quirks: debug_assertions is rustc's default (set, even in release); test/feature never.
      [
        "cfg(debug_assertions)",
        [
          "x86_64-unknown-linux-gnu",
          "wasm32-unknown-unknown",
          "wasm32-wasip2",
          "x86_64-pc-windows-msvc",
          "aarch64-apple-darwin",
        ],
      ],
      ["cfg(test)", []],
      ['cfg(feature = "std")', []],
      ["cfg(proc_macro)", []],
    ];
    for (const [spec, want] of cases) {
      const got = [linux, wasm, wasi, msvc, mac].filter((p) => matchesPlatform(spec, p)).map((p) => p.triple);
      assert.deepEqual(got.sort(), [...want].sort(), spec);
    }
  });

  test("invalid keys are UserErrors with the place", () => {
    assert.throws(
      () => matchesPlatform("cfg(unix", linux, "Cargo.toml", 9),
      (e: unknown) =>
        e instanceof UserError &&
        /cfg expressions must start with `cfg\(` and end/.test(e.message) &&
        e.line === 9,
    );
    assert.throws(
      () => matchesPlatform('cfg(target_os = "linux" unix)', linux, "Cargo.toml", 4),
      (e: unknown) => e instanceof UserError && e.render().startsWith("Cargo.toml:4: invalid cfg expression"),
    );
    assert.throws(() => parseTargetSpec("x86_64 linux"), /unexpected character " " in target name/);
    assert.deepEqual(parseTargetSpec("thumbv7em-none-eabihf"), {
      kind: "triple",
      triple: "thumbv7em-none-eabihf",
    });
  });
});

describe("loadPlatformFile", () => {
  test("reads rustc --print cfg output; bad lines name file and line", () => {
    const dir = tempDir("platform");
    const good = join(dir, "riscv.cfg");
    writeFileSync(good, 'debug_assertions\npanic="unwind"\ntarget_arch="riscv64"\ntarget_os="linux"\nunix\n');
    const p = loadPlatformFile("riscv64gc-unknown-linux-gnu", good);
    assert.equal(p.triple, "riscv64gc-unknown-linux-gnu");
    assert.equal(matchesPlatform('cfg(all(unix, target_arch = "riscv64"))', p), true);
    assert.equal(matchesPlatform("riscv64gc-unknown-linux-gnu", p), true);
    const bad = join(dir, "bad.cfg");
    writeFileSync(bad, 'unix\ntarget_arch="x"\nerror: no such target\n');
    assert.throws(
      () => loadPlatformFile("x", bad),
      (e: unknown) => e instanceof UserError && e.file === bad && e.line === 3,
    );
    const empty = join(dir, "empty.cfg");
    writeFileSync(empty, "\n");
    assert.throws(() => loadPlatformFile("x", empty), /no `target_arch`/);
    assert.throws(() => loadPlatformFile("x", join(dir, "missing")), /cannot read the cfg file/);
  });
});

/** Runs a build script under cargo that dumps its CARGO_CFG_* environment. */
function cargoBuildScriptCfg(args: string[]): Record<string, string> {
  const dir = tempDir("cfgenv");
  writeFileSync(
    join(dir, "Cargo.toml"),
    '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n[features]\na-b = []\nzed = []\nstd = []\n',
  );
  execFileSync("mkdir", ["-p", join(dir, "src")]);
  writeFileSync(join(dir, "src/lib.rs"), "");
  writeFileSync(
    join(dir, "build.rs"),
    `fn main() {
  let mut v: Vec<String> = std::env::vars().filter(|(k, _)| k.starts_with("CARGO_CFG_")).map(|(k, v)| format!("{k}={v}")).collect();
  v.sort();
  std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/cfg-env.txt"), v.join("\\n")).unwrap();
}
`,
  );
  // The lib may fail to compile for lack of the target's std; the build script has run by then.
  let cargoErr = "";
  try {
    execFileSync("cargo", ["+stable", "build", "--offline", "-q", ...args], {
      cwd: dir,
      env: { ...rustupEnv, RUSTFLAGS: "", CARGO_TARGET_DIR: join(dir, "target") },
      stdio: "pipe",
    });
  } catch (e) {
    cargoErr = String((e as { stderr?: unknown }).stderr ?? e);
  }
  const dump = join(dir, "cfg-env.txt");
  if (!existsSync(dump)) throw new Error(`the build script did not run; cargo said:\n${cargoErr}`);
  const text = readFileSync(dump, "utf8");
  return Object.fromEntries(
    text.split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

describe("cargoCfgEnv equals Cargo's build-script environment", () => {
  const cases: { triple: string; args: string[]; features: string[]; debugAssertions: boolean }[] = [
    { triple: "x86_64-unknown-linux-gnu", args: [], features: [], debugAssertions: true },
    {
      triple: "x86_64-unknown-linux-gnu",
      args: ["--release", "--features", "zed,a-b"],
      features: ["zed", "a-b"],
      debugAssertions: false,
    },
    {
      triple: "wasm32-unknown-unknown",
      args: ["--target", "wasm32-unknown-unknown", "--features", "std"],
      features: ["std"],
      debugAssertions: true,
    },
    {
      triple: "x86_64-pc-windows-msvc",
      args: ["--target", "x86_64-pc-windows-msvc", "--release"],
      features: [],
      debugAssertions: false,
    },
  ];
  for (const c of cases) {
    test(`${c.triple} ${c.args.join(" ")}`, { skip: needCargo }, () => {
      const want = cargoBuildScriptCfg(c.args);
      assert.deepEqual(cargoCfgEnv(platformFor(c.triple), c), want);
    });
  }
});
