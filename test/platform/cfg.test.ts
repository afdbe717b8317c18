import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UserError } from "../../src/errors.ts";
import {
  evalCfgExpr,
  formatCfgExpr,
  misleadingCfgNames,
  parseCfgExpr,
  parseCfgLine,
} from "../../src/platform/cfg.ts";

const linux = new Set([
  "unix",
  'target_os="linux"',
  'target_arch="x86_64"',
  'target_env="gnu"',
  'target_has_atomic="64"',
  'panic="unwind"',
  'target_feature="sse2"',
]);
const on = (s: string) => evalCfgExpr(parseCfgExpr(s), (k) => linux.has(k));

describe("cfg() parser", () => {
  test("round trip of well-formed expressions", () => {
    const cases: [string, string][] = [
      ["unix", "unix"],
      ['target_os="linux"', 'target_os = "linux"'],
      ['  target_os  =  "linux" ', 'target_os = "linux"'],
      ["all()", "all()"],
      ["any()", "any()"],
      ["all(unix,)", "all(unix)"],
      ['any(unix, target_os = "wasi", windows)', 'any(unix, target_os = "wasi", windows)'],
      [
        'not(any(target_arch="wasm32", all(windows, target_env="msvc")))',
        'not(any(target_arch = "wasm32", all(windows, target_env = "msvc")))',
      ],
      ['target_has_atomic = "ptr"', 'target_has_atomic = "ptr"'],
      ['target_feature = "crt-static"', 'target_feature = "crt-static"'],
      ['panic = "abort"', 'panic = "abort"'],
      ["true", "true"],
      ["not(false)", "not(false)"],
      ['feature = "x y (z)"', 'feature = "x y (z)"'],
      ["_private9", "_private9"],
    ];
    for (const [input, canon] of cases) assert.equal(formatCfgExpr(parseCfgExpr(input)), canon);
  });

  test("errors say what is wrong and where", () => {
    const bad: [string, RegExp][] = [
      ["", /empty cfg\(\) expression/],
      ["unix,", /unexpected `,` at column 5 after the cfg expression/],
      ["unix windows", /unexpected identifier `windows` at column 6.*all\(\.\.\.\)/],
      ["target_os = linux", /expected a quoted string after `target_os =`, found identifier `linux`/],
      ['target_os = "linux', /unterminated string starting at column 13/],
      [
        "not(unix, windows)",
        /expected `\)` closing `not\(\.\.\.\)` \(it takes exactly one expression\), found `,`/,
      ],
      ["not()", /expected a cfg name or `all`\/`any`\/`not`, found `\)`/],
      ["all(unix", /expected `,` or `\)` in `all\(\.\.\.\)`, found end of expression/],
      ["any", /expected `\(` after `any`, found end of expression/],
      ["not unix", /expected `\(` after `not`, found identifier `unix`/],
      ["9lives", /unexpected character "9" at column 1/],
      ["a.b", /unexpected character "\." at column 2/],
      ['"unix"', /expected a cfg name .* found string "unix"/],
      ["all(,)", /found `,`/],
      ['target_os == "linux"', /expected a quoted string after `target_os =`, found `=`/],
    ];
    for (const [input, why] of bad) {
      assert.throws(
        () => parseCfgExpr(input, "Cargo.toml", 3),
        (e: unknown) =>
          e instanceof UserError &&
          why.test(e.message) &&
          e.message.startsWith(`invalid cfg expression \`cfg(${input})\`: `) &&
          e.render().startsWith("Cargo.toml:3: "),
        `${input} → ${(() => {
          try {
            return formatCfgExpr(parseCfgExpr(input));
          } catch (e) {
            return (e as Error).message;
          }
        })()}`,
      );
    }
  });
});

describe("cfg() evaluation", () => {
  test("names, pairs, combinators", () => {
    assert.equal(on("unix"), true);
    assert.equal(on("windows"), false);
    assert.equal(on('target_os = "linux"'), true);
    assert.equal(on('target_os = "Linux"'), false, "values are case-sensitive");
    assert.equal(on('target_os = ""'), false);
    assert.equal(on("target_os"), false, "a key is not a name");
    assert.equal(on('unix = "1"'), false, "a name is not a key");
    assert.equal(on("all()"), true);
    assert.equal(on("any()"), false);
    assert.equal(on("not(any())"), true);
    assert.equal(on('all(unix, target_arch = "x86_64", not(target_env = "musl"))'), true);
    assert.equal(on('all(unix, target_arch = "aarch64")'), false);
    assert.equal(on('any(windows, target_has_atomic = "64")'), true);
    assert.equal(on('any(windows, target_has_atomic = "128")'), false);
    assert.equal(on('target_feature = "sse2"'), true);
    assert.equal(on('panic = "abort"'), false);
    assert.equal(on("true"), true);
    assert.equal(on("false"), false);
    assert.equal(on("not(not(unix))"), true);
  });

  test("names Cargo warns about are found anywhere in the expression", () => {
    assert.deepEqual(
      misleadingCfgNames(parseCfgExpr('any(test, not(all(feature = "x", debug_assertions)))')),
      ["debug_assertions", "feature", "test"],
    );
    assert.deepEqual(misleadingCfgNames(parseCfgExpr("unix")), []);
  });

  test("lines of rustc --print cfg", () => {
    assert.deepEqual(parseCfgLine("unix"), { name: "unix" });
    assert.deepEqual(parseCfgLine('target_abi=""'), { name: "target_abi", value: "" });
    assert.deepEqual(parseCfgLine('target_feature="bulk-memory"'), {
      name: "target_feature",
      value: "bulk-memory",
    });
    assert.equal(parseCfgLine("warning: something"), undefined);
    assert.equal(parseCfgLine('x="a"b'), undefined);
  });
});
