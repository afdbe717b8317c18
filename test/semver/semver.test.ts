import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  compareVersions,
  formatReq,
  formatVersion,
  parseReq,
  parseVersion,
  satisfies,
} from "../../src/cargo/semver.ts";
import { UserError } from "../../src/errors.ts";

/**
 * The tables of Cargo's "Specifying dependencies" page: each requirement is equivalent to the range
 * [lo, hi) (hi undefined = unbounded). Checked on probe versions around every bound, including
 * pre-releases (which only a comparator naming them can match).
 */
const cargoDocTables: [string, string, string | undefined][] = [
  // caret
  ["^1.2.3", "1.2.3", "2.0.0"],
  ["^1.2", "1.2.0", "2.0.0"],
  ["^1", "1.0.0", "2.0.0"],
  ["^0.2.3", "0.2.3", "0.3.0"],
  ["^0.2", "0.2.0", "0.3.0"],
  ["^0.0.3", "0.0.3", "0.0.4"],
  ["^0.0", "0.0.0", "0.1.0"],
  ["^0", "0.0.0", "1.0.0"],
  // the default operator is caret
  ["1.2.3", "1.2.3", "2.0.0"],
  ["1.2", "1.2.0", "2.0.0"],
  ["1", "1.0.0", "2.0.0"],
  ["0.2.3", "0.2.3", "0.3.0"],
  ["0.0.3", "0.0.3", "0.0.4"],
  ["0.0", "0.0.0", "0.1.0"],
  ["0", "0.0.0", "1.0.0"],
  // tilde
  ["~1.2.3", "1.2.3", "1.3.0"],
  ["~1.2", "1.2.0", "1.3.0"],
  ["~1", "1.0.0", "2.0.0"],
  ["~0.2.3", "0.2.3", "0.3.0"],
  ["~0", "0.0.0", "1.0.0"],
  // wildcard
  ["*", "0.0.0", undefined],
  ["1.*", "1.0.0", "2.0.0"],
  ["1.2.*", "1.2.0", "1.3.0"],
  ["1.x", "1.0.0", "2.0.0"],
  ["1.2.X", "1.2.0", "1.3.0"],
  // comparison
  [">= 1.2.0", "1.2.0", undefined],
  ["> 1", "2.0.0", undefined],
  ["< 2", "0.0.0", "2.0.0"],
  ["= 1.2.3", "1.2.3", "1.2.4"],
  ["=1.2", "1.2.0", "1.3.0"],
  ["=1", "1.0.0", "2.0.0"],
  [">1.2", "1.3.0", undefined],
  ["<=1.2", "0.0.0", "1.3.0"],
  ["<=1.2.3", "0.0.0", "1.2.4"],
  // multiple requirements
  [">= 1.2, < 1.5", "1.2.0", "1.5.0"],
  [">=0.1.0,<0.3.0", "0.1.0", "0.3.0"],
];

function probes(): string[] {
  const out = new Set<string>();
  for (const maj of [0, 1, 2, 3])
    for (const min of [0, 1, 2, 3, 4, 5, 6])
      for (const pat of [0, 1, 2, 3, 4, 5]) {
        out.add(`${maj}.${min}.${pat}`);
        out.add(`${maj}.${min}.${pat}-alpha.1`);
      }
  return [...out];
}

describe("Cargo's documented requirement tables", () => {
  for (const [req, lo, hi] of cargoDocTables) {
    test(`${req} := >=${lo}${hi ? `, <${hi}` : ""}`, () => {
      for (const v of probes()) {
        const isPre = v.includes("-");
        const inRange = compareVersions(v, lo) >= 0 && (hi === undefined || compareVersions(v, hi) < 0);
        // No requirement in these tables names a pre-release, so no pre-release matches.
        assert.equal(satisfies(req, v), inRange && !isPre, `${req} vs ${v}`);
      }
    });
  }
});

describe("pre-releases (semver crate behaviour)", () => {
  const cases: [string, string, boolean][] = [
    ["^1.2.3-alpha.1", "1.2.3-alpha.1", true],
    ["^1.2.3-alpha.1", "1.2.3-alpha.2", true],
    ["^1.2.3-alpha.1", "1.2.3-beta", true],
    ["^1.2.3-alpha.1", "1.2.3", true],
    ["^1.2.3-alpha.1", "1.2.4", true],
    ["^1.2.3-alpha.1", "1.2.3-alpha.0", false],
    ["^1.2.3-alpha.1", "1.2.4-alpha.1", false],
    ["^1.2.3-alpha.1", "2.0.0-alpha.1", false],
    ["=1.0.0-beta.2", "1.0.0-beta.2", true],
    ["=1.0.0-beta.2", "1.0.0-beta.3", false],
    ["=1.0.0-beta.2", "1.0.0", false],
    [">=1.0.0-alpha", "1.0.0-beta", true],
    [">=1.0.0-alpha", "1.0.1-beta", false],
    [">=1.0.0-alpha", "1.0.1", true],
    ["<1.0.0", "1.0.0-alpha", false],
    ["<1.0.0-beta", "1.0.0-alpha", true],
    ["<1.0.0-beta", "1.0.0-rc", false],
    [">1.0.0-alpha, <1.0.0", "1.0.0-beta", true],
    ["~1.2.3-beta", "1.2.3-beta.1", true],
    ["~1.2.3-beta", "1.2.3-alpha", false],
    ["~1.2.3-beta", "1.2.9", true],
    ["~1.2.3-beta", "1.3.0", false],
    ["*", "1.0.0-alpha", false],
    ["1.*", "1.1.0-alpha", false],
    ["^0.0.1-alpha", "0.0.1-beta", true],
    ["^0.0.1-alpha", "0.0.2", false],
    ["^0.1.0-alpha", "0.1.5", true],
    ["^0.1.0-alpha", "0.2.0", false],
    // build metadata is ignored by matching
    ["=1.2.3", "1.2.3+build.5", true],
    ["=1.2.3+meta", "1.2.3", true],
    ["^1.2.3+meta", "1.9.0+other", true],
  ];
  for (const [req, v, want] of cases) {
    test(`${req} ${want ? "matches" : "rejects"} ${v}`, () => assert.equal(satisfies(req, v), want));
  }
});

describe("version precedence (semver.org §11)", () => {
  test("the spec's example chain is increasing", () => {
    const chain = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.1.0",
      "1.10.0",
      "2.0.0",
      "10.0.0",
    ];
    for (let i = 0; i + 1 < chain.length; i++) {
      assert.equal(compareVersions(chain[i] as string, chain[i + 1] as string), -1);
      assert.equal(compareVersions(chain[i + 1] as string, chain[i] as string), 1);
    }
    const shuffled = [...chain].reverse();
    assert.deepEqual(shuffled.sort(compareVersions), chain);
  });
  test("build metadata only breaks ties", () => {
    assert.equal(compareVersions("1.0.0+b", "1.0.1"), -1);
    assert.ok(compareVersions("1.0.0+a", "1.0.0+b") < 0);
    assert.ok(compareVersions("1.0.0", "1.0.0+a") < 0);
    assert.equal(compareVersions("1.0.0+a", "1.0.0+a"), 0);
  });
  test("compare is antisymmetric and consistent with equality of text", () => {
    const ident = fc.oneof(
      fc.stringMatching(/^[1-9][0-9]{0,2}$/),
      fc.constant("0"),
      fc.stringMatching(/^[a-z-][a-z0-9-]{0,3}$/),
    );
    const version = fc
      .tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.array(ident, { maxLength: 3 }))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length ? `-${pre.join(".")}` : ""}`);
    fc.assert(
      fc.property(version, version, (a, b) => {
        const x = compareVersions(a, b);
        // `===`, not assert.equal (Object.is): for equal versions -x is -0.
        assert.ok(compareVersions(b, a) === -x, `${a} vs ${b}`);
        assert.equal(x === 0, a === b);
        assert.equal(formatVersion(parseVersion(a)), a);
      }),
    );
  });
});

describe("parsing", () => {
  test("versions", () => {
    assert.deepEqual(parseVersion("1.2.3-alpha.1+build.007"), {
      major: 1,
      minor: 2,
      patch: 3,
      pre: ["alpha", "1"],
      build: ["build", "007"],
    });
    assert.deepEqual(parseVersion("0.0.0").pre, []);
  });
  test("requirements and their canonical text", () => {
    const cases: [string, string][] = [
      ["1.2.3", "^1.2.3"],
      ["  1.2  ", "^1.2"],
      ["*", "*"],
      ["x", "*"],
      ["1.*", "1.*"],
      ["1.2.x", "1.2.*"],
      ["1.*.*", "1.*"],
      [">= 1.2, < 1.5", ">=1.2, <1.5"],
      ["=1.0.0-beta.2", "=1.0.0-beta.2"],
      ["~1", "~1"],
      ["< 2", "<2"],
      [">=1.0.0+meta", ">=1.0.0"],
      ["^ 1.0", "^1.0"],
      [">=1.*", ">=1"],
    ];
    for (const [input, canon] of cases) assert.equal(formatReq(parseReq(input)), canon, input);
  });
  test("invalid versions are UserErrors that say what is wrong", () => {
    const bad: [string, RegExp][] = [
      ["1.2", /end of input while parsing patch/],
      ["1", /end of input while parsing minor/],
      ["01.2.3", /leading zero in major/],
      ["1.2.3-01", /leading zero in pre-release/],
      ["1.2.3-", /empty identifier segment in pre-release/],
      ["1.2.3-a..b", /empty identifier segment/],
      ["1.2.3+", /empty identifier segment in build/],
      ["1.2.3 ", /unexpected character " " after version/],
      ["v1.2.3", /unexpected character "v" while parsing major/],
      ["1.2.x", /unexpected character "x" while parsing patch/],
      ["", /end of input while parsing major/],
      ["99999999999999999999.0.0", /exceeds/],
    ];
    for (const [input, why] of bad) {
      assert.throws(
        () => parseVersion(input, "Cargo.lock", 7),
        (e: unknown) =>
          e instanceof UserError && why.test(e.message) && e.render().startsWith("Cargo.lock:7: "),
        input,
      );
    }
  });
  test("invalid requirements", () => {
    const bad: [string, RegExp][] = [
      ["", /end of input while parsing major/],
      ["*, >1.0", /wildcard req \(\*\) must be the only comparator/],
      [">1.0, *", /wildcard req \(\*\) must be the only comparator/],
      ["1.*.2", /after wildcard/],
      ["1.2 3.4", /expected comma/],
      ["1.2.3,", /end of input while parsing major/],
      ["~>1.2", /unexpected character ">" while parsing major/],
      ["=>1.2", /unexpected character ">" while parsing major/],
      ["1.2.3-", /empty identifier segment/],
      ["a.b.c", /unexpected character "a"/],
      ["1.2.3.4", /expected comma/],
    ];
    for (const [input, why] of bad) {
      assert.throws(
        () => parseReq(input),
        (e: unknown) => e instanceof UserError && why.test(e.message),
        `${input}: ${(() => {
          try {
            parseReq(input);
            return "parsed";
          } catch (e) {
            return (e as Error).message;
          }
        })()}`,
      );
    }
    assert.throws(() => satisfies("1.2 3", "1.2.3"), UserError);
    assert.throws(() => satisfies("1", "1.2"), UserError);
  });
});
