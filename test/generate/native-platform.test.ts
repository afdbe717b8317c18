/**
 * Systems that plan alike share one plan and emission (src/generate/native-platform.ts). Which systems
 * share, and that sharing changes nothing: on the cats sample every system's data has the same units,
 * outputs and checks as when that system is planned and emitted alone, and generating one system gives
 * the same bytes as generating all four.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { lockSynthetic, writeSynthetic } from "../../bench/synthetic.ts";
import type { Project } from "../../src/cargo/model.ts";
import type { Config } from "../../src/generate/config.ts";
import { generateFiles, loadRoots } from "../../src/generate/generate.ts";
import { inputFiles } from "../../src/generate/inputs.ts";
import {
  nativeClasses,
  platformQuestions,
  withNativeTriple,
  withNativeTripleJson,
} from "../../src/generate/native-platform.ts";
import { nativeData } from "../../src/generate/system-data.ts";
import type { NixData } from "../../src/nix/data.ts";
import { dataFile } from "../../src/nix/flake.ts";
import { dataJson } from "../../src/nix/json.ts";
import { NIX_SYSTEMS } from "../../src/platform/nix-systems.ts";
import { platformMatcher } from "../../src/resolve/platforms.ts";
import { catsSampleDir, needCargo, needRegistry, tempDir } from "../support/env.ts";

const SYSTEMS = Object.keys(NIX_SYSTEMS).sort();
const tripleOf = (system: string) => NIX_SYSTEMS[system];
const nativeClassesOf = (questions: string[], outputTargets: string[] = [], releaseDebuginfo = false) =>
  nativeClasses(SYSTEMS, tripleOf, questions, platformMatcher(), outputTargets, releaseDebuginfo);
const classes = (questions: string[], outputTargets: string[] = []) =>
  nativeClassesOf(questions, outputTargets).map((c) => c.systems);
/** The classes that share release plans, as lists of their systems. */
const releaseGroups = (...args: Parameters<typeof nativeClassesOf>) => {
  const groups = new Map<string, string[]>();
  for (const c of nativeClassesOf(...args))
    groups.set(c.releaseGroup, [...(groups.get(c.releaseGroup) ?? []), ...c.systems]);
  return [...groups.values()].map((g) => g.sort());
};

describe("nativeClasses", () => {
  test("cfg(unix)-only projects: linux with linux, darwin with darwin (Apple's split debuginfo)", () => {
    assert.deepEqual(classes(["cfg(unix)", "cfg(windows)"]), [
      ["aarch64-darwin", "x86_64-darwin"],
      ["aarch64-linux", "x86_64-linux"],
    ]);
  });
  test("a question on the architecture or on a plain triple splits its systems", () => {
    assert.deepEqual(classes(['cfg(target_arch = "x86_64")']), [
      ["aarch64-darwin"],
      ["aarch64-linux"],
      ["x86_64-darwin"],
      ["x86_64-linux"],
    ]);
    assert.deepEqual(classes(["x86_64-unknown-linux-gnu"]), [
      ["aarch64-darwin", "x86_64-darwin"],
      ["aarch64-linux"],
      ["x86_64-linux"],
    ]);
  });
  test("a system whose triple an output names as its target plans alone", () => {
    assert.deepEqual(classes([], ["native", "aarch64-unknown-linux-gnu"]), [
      ["aarch64-darwin", "x86_64-darwin"],
      ["aarch64-linux"],
      ["x86_64-linux"],
    ]);
  });
});

describe("release groups", () => {
  test("linux and darwin share release plans unless the release profile has debuginfo", () => {
    assert.deepEqual(releaseGroups(["cfg(unix)"]), [SYSTEMS]);
    assert.deepEqual(releaseGroups(["cfg(unix)"], [], true), [
      ["aarch64-darwin", "x86_64-darwin"],
      ["aarch64-linux", "x86_64-linux"],
    ]);
  });
  test("systems that answer a question apart, or plan alone, do not share", () => {
    assert.deepEqual(releaseGroups(['cfg(target_os = "macos")']), [
      ["aarch64-darwin", "x86_64-darwin"],
      ["aarch64-linux", "x86_64-linux"],
    ]);
    assert.deepEqual(releaseGroups([], ["native", "aarch64-unknown-linux-gnu"]), [
      ["aarch64-darwin", "x86_64-darwin", "x86_64-linux"],
      ["aarch64-linux"],
    ]);
  });
});

test("withNativeTripleJson swaps only a unit's target field", () => {
  const json = '{"units":{"a":{"target":"{native}"},"b":{"target":null,"x":"\\"target\\":\\"{native}\\""}}}';
  const out = withNativeTripleJson(json, "x86_64-unknown-linux-gnu");
  assert.deepEqual(JSON.parse(out), {
    units: { a: { target: "x86_64-unknown-linux-gnu" }, b: { target: null, x: '"target":"{native}"' } },
  });
});

/** The data with every unit key replaced by a hash of the unit's content (its dependencies by theirs):
 * two data files compare equal when they hold the same units, outputs and checks under any keys. */
function byContent(data: NixData): unknown {
  const memo = new Map<string, string>();
  const id = (key: string | null): string | null => {
    if (key === null) return null;
    let done = memo.get(key);
    if (done) return done;
    const { metadata: _, ...unit } = data.units[key];
    const text = JSON.stringify({
      ...unit,
      deps: unit.deps.map((d) => ({ ...d, unit: id(d.unit) })),
      buildScriptRun: id(unit.buildScriptRun),
      buildScript: id(unit.buildScript),
      linksDeps: unit.linksDeps.map(id),
    });
    done = createHash("sha256").update(text).digest("hex");
    memo.set(key, done);
    return done;
  };
  const roots = (o: Record<string, { roots: string[] }> = {}) =>
    Object.fromEntries(Object.entries(o).map(([name, v]) => [name, v.roots.map(id).sort()]));
  return {
    packages: data.packages,
    outputs: roots(data.outputs),
    checks: roots(data.checks),
    units: Object.keys(data.units).map(id).sort(),
  };
}

const output = (name: string, pkg: string, target: string) => ({
  name,
  manifest: "Cargo.toml",
  package: pkg,
  target,
  features: [],
  defaultFeatures: true,
});

/** Sharing changes nothing: every system's file holds what planning that system alone gives, and is the
 * same generated alone or with all. */
function sharesLikeAlone(label: string, rootOf: () => string, config: Config, skip: string | false) {
  describe(`shared plans on ${label}`, { skip }, () => {
    let root: string;
    let projects: Map<string, Project>;
    before(async () => {
      root = rootOf();
      projects = await loadRoots(root, ["Cargo.toml"], { quiet: true });
    });

    test("every system's file holds what planning that system alone gives", async () => {
      const job = { flakeRoot: root, config, projects, inputs: inputFiles(root, [...projects.values()]) };
      const { files } = await generateFiles(root, config, { quiet: true });
      for (const system of SYSTEMS) {
        const written = JSON.parse(files.get(dataFile(system))!) as NixData;
        const alone = withNativeTriple(nativeData(job, tripleOf(system)), tripleOf(system));
        // Through the same canonical JSON as the file, so both list each unit's fields in one order.
        assert.deepEqual(byContent(written), byContent(JSON.parse(dataJson(alone))), system);
      }
    });

    test("a system's file is the same generated alone or with all; the linux systems share", async () => {
      const all = await generateFiles(root, config, { quiet: true });
      for (const system of SYSTEMS) {
        const one = await generateFiles(root, config, { quiet: true, systems: [system] });
        assert.equal(one.files.get(dataFile(system)), all.files.get(dataFile(system)), system);
      }
      const linux = all.files.get(dataFile("x86_64-linux"))!;
      assert.ok(linux.includes('"target":"x86_64-unknown-linux-gnu"'));
      assert.ok(!linux.includes("{native}"));
      assert.equal(
        linux.replaceAll("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"),
        all.files.get(dataFile("aarch64-linux")),
      );
    });

    test("which systems share release plans", () => {
      const questions = platformQuestions(projects.values());
      const groups = new Set(
        nativeClasses(SYSTEMS, tripleOf, questions, platformMatcher(), ["native"]).map((c) => c.releaseGroup),
      );
      // cats asks cfg(target_os = "macos") questions; the synthetic project only cfg(unix)/cfg(windows).
      assert.equal(groups.size, label === "the cats sample" ? 2 : 1);
    });
  });
}

sharesLikeAlone(
  "the cats sample",
  () => join(catsSampleDir(), "cats-ws"),
  {
    outputs: [output("app", "app", "native"), output("wasm", "wasm", "wasm32-unknown-unknown")],
  },
  needRegistry,
);

// linux and darwin answer its questions alike, so they share the release plans (outputs, clippy, doc).
sharesLikeAlone(
  "a 40-crate synthetic project",
  () => {
    const made = writeSynthetic({ crates: 40, seed: 5 }, tempDir("shared-plans"));
    lockSynthetic(made.root, join(made.root, "../cargo-home"));
    return made.root;
  },
  {
    outputs: [
      output("app", "app", "native"),
      output("core-wasm", "synthetic-core", "wasm32-unknown-unknown"),
    ],
  },
  needCargo,
);
