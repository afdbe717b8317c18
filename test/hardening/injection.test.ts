/**
 * No injection: strings from a manifest reach Nix as JSON (`builtins.fromJSON`) or through `nixString`,
 * and bash as quoted variables. The hostile fixture's description, authors, homepage, repository, links,
 * build-script path, bin path and feature names are all code in some language; `crateflake init` must
 * work, the flake must evaluate, the build must see every value byte for byte as Cargo gives it, and no
 * marker file may appear.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "smol-toml";
import {
  defaultNix,
  FLAKE_OUTPUTS,
  type FlakeSpec,
  flakeNix,
  flakeOutputsNix,
  PACKAGES,
  packagesNix,
} from "../../src/nix/flake.ts";
import { needCargo, needNix, nixEnv, repoRoot, rustupEnv, tempDir } from "../support/env.ts";
import { cli, copyFixture, hardeningFixtures, nixBuildOut, nixOn, oneErrorLine } from "./support.ts";

const markers = Array.from({ length: 8 }, (_, i) => `/tmp/crateflake-pwned-${i + 1}`);
const manifest = parse(readFileSync(join(hardeningFixtures, "hostile/Cargo.toml"), "utf8")) as {
  package: Record<string, string | string[]>;
};
const pkg = manifest.package;

/** What the fixture's binary prints: Rust's `{:?}` of these strings is JSON's escaping for them. */
function expectedOutput(): string {
  const q = JSON.stringify;
  const authors = (pkg.authors as string[]).join(":");
  return [
    `description=${q(pkg.description)}`,
    `authors=${q(authors)}`,
    `homepage=${q(pkg.homepage)}`,
    `repository=${q(pkg.repository)}`,
    "feature a-b.c+d=true",
    "from build=built",
    `CARGO_PKG_DESCRIPTION=${q(pkg.description)}`,
    `CARGO_PKG_AUTHORS=${q(authors)}`,
    `CARGO_PKG_HOMEPAGE=${q(pkg.homepage)}`,
    `CARGO_PKG_REPOSITORY=${q(pkg.repository)}`,
    `CARGO_MANIFEST_LINKS=${q(pkg.links)}`,
    `CARGO_CFG_FEATURE=${q("a-b.c+d,default,x_y")}`,
    `features=${q(["CARGO_FEATURE_A_B.C+D", "CARGO_FEATURE_DEFAULT", "CARGO_FEATURE_X_Y"]).replace(/","/g, '", "')}`,
    "",
  ].join("\n");
}

function noMarkers(dir: string): void {
  for (const m of markers) assert.ok(!existsSync(m), `${m} was created: something ran`);
  const found = readdirSync(dir, { recursive: true }).filter((f) =>
    String(f).match(/(^|\/)crateflake-pwned-\d+$/),
  );
  assert.deepEqual(found, [], "a relative marker file was created");
}

describe("hostile strings in a manifest", { skip: needNix }, () => {
  for (const m of markers) rmSync(m, { force: true });
  let dir: string;

  test("crateflake init works and writes them as JSON data", () => {
    dir = copyFixture("hostile");
    const r = cli(["init", "--quiet", dir]);
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(readFileSync(join(dir, ".crateflake/data/x86_64-linux.json"), "utf8"));
    const entry = Object.values(data.packages as Record<string, { env: Record<string, string> }>)[0];
    assert.equal(entry.env.DESCRIPTION, pkg.description);
    assert.equal(entry.env.AUTHORS, (pkg.authors as string[]).join(":"));
    noMarkers(dir);
  });

  test("the flake evaluates: drvPath of the package, the app and the dev shell", () => {
    for (const attr of ["hostile.drvPath", "all.drvPath", "apps.x86_64-linux.hostile.program"]) {
      const r = nixOn(dir, ["eval", "--raw"], attr);
      assert.equal(r.code, 0, `${attr}: ${r.stderr}`);
    }
    const shell = nixOn(dir, ["eval", "--raw"], "devShells.x86_64-linux.default.drvPath");
    assert.equal(shell.code, 0, shell.stderr);
    noMarkers(dir);
  });

  test("the build sees every string byte for byte (rustc env and build-script env)", () => {
    const out = nixBuildOut(dir, "hostile");
    const printed = execFileSync(join(out, "bin/hostile"), { encoding: "utf8" });
    assert.equal(printed, expectedOutput());
    noMarkers(dir);
  });

  test("... exactly as cargo's build of it prints", { skip: needCargo }, () => {
    const r = spawnSync("cargo", ["run", "-q", "--release", "--offline"], {
      cwd: dir,
      env: { ...rustupEnv, CARGO_TARGET_DIR: tempDir("hostile-target") },
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expectedOutput());
    noMarkers(dir);
  });
});

describe("names Cargo refuses are refused, with one error line", () => {
  const cases: [string, string][] = [
    ['"a\\"b" = []', 'a feature named a"b'],
    ['"x ${builtins.abort \\"f\\"}" = []', "a feature with ${ and spaces"],
    ['"$(touch /tmp/crateflake-pwned-9)" = []', "a feature with $( )"],
  ];
  for (const [line, what] of cases) {
    test(what, () => {
      const dir = copyFixture("hostile");
      const path = join(dir, "Cargo.toml");
      writeFileSync(path, readFileSync(path, "utf8").replace("x_y = []", `x_y = []\n${line}`));
      const r = cli(["plan", "--manifest-path", path]);
      assert.equal(oneErrorLine(r), null);
      assert.match(r.stderr, /feature/);
      assert.ok(r.stderr.includes(path), r.stderr);
    });
  }
});

describe("flake.nix escapes what it writes", { skip: needNix }, () => {
  const hostile = [
    '${builtins.abort "d"}',
    "''${x}",
    'a\\"b',
    "\\${y}",
    "$${z}",
    'x"; abort "y',
    "line\nbreak\ttab\r",
    "$",
    "\\",
  ];

  test("description, toolchain triples and binary names round-trip through Nix", () => {
    const dir = tempDir("flake-escape");
    const spec: FlakeSpec = {
      description: hostile.join("|"),
      outputs: hostile.map((s, i) => ({ name: `o${i}`, toolchain: `t-${s}`, binaries: [`b${i}-${s}`] })),
    };
    writeFileSync(join(dir, "flake.nix"), flakeNix(spec));
    writeFileSync(join(dir, "default.nix"), defaultNix());
    // A library stand-in that echoes what it is given: each output is a string naming itself, and
    // `units` lists the toolchain names it received.
    mkdirSync(join(dir, ".crateflake/lib"), { recursive: true });
    writeFileSync(join(dir, FLAKE_OUTPUTS), flakeOutputsNix(spec));
    writeFileSync(join(dir, PACKAGES), packagesNix(spec));
    const names = spec.outputs.map((o) => `"${o.name}"`).join(" ");
    writeFileSync(
      join(dir, ".crateflake/lib/default.nix"),
      `{ toolchains, ... }: {
        outputs = builtins.listToAttrs (map (n: { name = n; value = "/out/\${n}"; }) [ ${names} ]);
        all = "/all"; shell = "/shell"; units = builtins.attrNames toolchains;
      }`,
    );
    const expr = `
      let
        flake = import ${dir}/flake.nix;
        self = flake.outputs { inherit self; nixpkgs = ${repoRoot}/test/stand-in/nixpkgs; rust-overlay = { overlays.default = final: prev: { }; }; };
        pkgs = { rustc = "r"; rust-bin.stable.latest.default.override = x: "o"; };
      in {
        description = flake.description;
        programs = builtins.mapAttrs (_: a: a.program) self.apps.x86_64-linux;
        toolchains = (import ${dir}/default.nix { inherit pkgs; system = "x86_64-linux"; }).units;
      }`;
    const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expr], {
      env: nixEnv(),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as {
      description: string;
      programs: Record<string, string>;
      toolchains: string[];
    };
    assert.equal(got.description, spec.description);
    assert.deepEqual(got.toolchains, ["default", ...spec.outputs.map((o) => o.toolchain)].sort());
    const programs: Record<string, string> = {};
    spec.outputs.forEach((o, i) => {
      programs[o.binaries[0]] = `/out/o${i}/bin/${o.binaries[0]}`;
    });
    programs.default = programs[spec.outputs[0].binaries[0]];
    assert.deepEqual(got.programs, programs);
  });
});
