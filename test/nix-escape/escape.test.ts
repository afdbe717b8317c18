// biome-ignore-all lint/suspicious/noTemplateCurlyInString: literal `${` in plain strings is what this file tests
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { UserError } from "../../src/errors.ts";
import {
  isNixIdentifier,
  type NixData,
  nixAttrName,
  nixAttrPath,
  nixPathUnder,
  nixString,
  nixValue,
} from "../../src/nix/escape.ts";
import { needNix, nixEnv, tempDir } from "../support/env.ts";

/** Evaluates a Nix file strictly to JSON, the way the property test reads values back. */
function evalNixJson(source: string): unknown {
  const file = join(tempDir("nix-escape"), "values.nix");
  writeFileSync(file, source);
  const out = execFileSync("nix-instantiate", ["--eval", "--strict", "--json", file], {
    env: nixEnv(),
    encoding: "utf8",
    maxBuffer: 256 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

// Text that stresses Nix's lexer: interpolation starts, escapes, both string kinds' quotes, line ends.
const tricky = fc.constantFrom(
  "$",
  "{",
  "}",
  "${",
  "$${",
  "\\",
  "\\$",
  '"',
  "'",
  "''",
  "''$",
  "''\\",
  "\n",
  "\r",
  "\r\n",
  "\t",
  "#",
  "/*",
  "*/",
  ";",
  "=",
  ".",
  "-",
  "a",
  "Z",
  "_",
  "0",
  " ",
  "é",
  "\u2028",
  "\u{1F600}",
  "\u{10FFFF}",
  "\u{7F}",
  "\u{1}",
);
const anyText = fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replaceAll("\0", ""));
const trickyText = fc.array(tricky, { maxLength: 12 }).map((xs) => xs.join(""));
const mixed = fc.array(fc.oneof(anyText, trickyText), { maxLength: 3 }).map((xs) => xs.join(""));
const anyString = fc.oneof(
  anyText,
  trickyText,
  mixed,
  fc.constantFrom("", "if", "or", "rec", "a-b", "a'b", "1a"),
);

const dataArb: fc.Arbitrary<NixData> = fc.letrec<{ v: NixData }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    anyString,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(anyString, tie("v"), { maxKeys: 4 }),
  ),
})).v;

describe("nixString and friends: fixed cases", () => {
  test("literals", () => {
    const cases: [string, string][] = [
      ["", '""'],
      ["plain", '"plain"'],
      ["a\\b", '"a\\\\b"'],
      ['say "hi"', '"say \\"hi\\""'],
      ["${pkgs.x}", '"\\${pkgs.x}"'],
      ["$${x}", '"$\\${x}"'],
      ["cost: $5", '"cost: $5"'],
      ["a\nb\tc\rd", '"a\\nb\\tc\\rd"'],
      ["''${x}''", "\"''\\${x}''\""],
      ["😀", '"😀"'],
    ];
    for (const [s, lit] of cases) assert.equal(nixString(s), lit, JSON.stringify(s));
  });

  test("NUL and lone surrogates are refused", () => {
    assert.throws(
      () => nixString("a\0b"),
      (e: unknown) => e instanceof UserError && /NUL character/.test(e.message),
    );
    assert.throws(() => nixString("\uD83D"), /unpaired UTF-16 surrogate/);
    assert.throws(() => nixString("x\uDE00y"), /unpaired UTF-16 surrogate/);
    assert.equal(nixString("\uD83D\uDE00"), '"😀"');
  });

  test("attribute names", () => {
    const cases: [string, string][] = [
      ["serde", "serde"],
      ["serde_json", "serde_json"],
      ["wasm-bindgen", "wasm-bindgen"],
      ["x'", "x'"],
      ["_", "_"],
      ["1password", '"1password"'],
      ["-x", '"-x"'],
      ["a.b", '"a.b"'],
      ["", '""'],
      ["if", '"if"'],
      ["or", '"or"'],
      ["inherit", '"inherit"'],
      ["true", "true"],
      ["${x}", '"\\${x}"'],
      ["x86_64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"],
      ["wasm32-unknown-unknown", "wasm32-unknown-unknown"],
    ];
    for (const [s, name] of cases) assert.equal(nixAttrName(s), name, s);
    assert.equal(isNixIdentifier("let"), false);
    assert.equal(nixAttrPath(["crates", "serde 1.0.0", "lib"]), 'crates."serde 1.0.0".lib');
  });

  test("paths below a root", () => {
    assert.equal(nixPathUnder("./.", "crates/cats"), '(./. + "/crates/cats")');
    assert.equal(nixPathUnder("./.", "./a//b/"), '(./. + "/a/b")');
    assert.equal(nixPathUnder("src", "."), "src");
    assert.equal(nixPathUnder("src", "${x}"), '(src + "/\\${x}")');
    assert.throws(() => nixPathUnder("./.", "../etc"), UserError);
    assert.throws(() => nixPathUnder("./.", "a/../../b"), UserError);
    assert.throws(() => nixPathUnder("./.", "/etc"), UserError);
  });

  test("values are byte-stable: keys sorted, negative numbers parenthesised", () => {
    assert.equal(nixValue({ b: 1, a: [true, null, -3] }), "{ a = [ true null (-3) ]; b = 1; }");
    assert.equal(nixValue({ b: 1, a: 2 }), nixValue({ a: 2, b: 1 }));
    assert.equal(nixValue([]), "[ ]");
    assert.equal(nixValue({}), "{ }");
    assert.equal(nixValue({ x: [1] }, 2), "{\n  x = [\n    1\n  ];\n}");
    assert.throws(() => nixValue(1.5));
  });
});

describe("round trip through Nix", () => {
  test("12,000 random strings, 3,000 attribute names and 300 values evaluate to themselves", {
    skip: needNix,
  }, () => {
    const strings = fc.sample(anyString, { seed: 1125, numRuns: 12_000 });
    // Guarantee the hard cases are present whatever the generator does.
    strings.push(
      "${",
      "$${",
      "\\${",
      "''${",
      "$",
      "\\",
      '"',
      "\n\r\t",
      "\u{10FFFF}",
      "\u{1F600}${\u{1F600}}",
    );
    const names = fc.sample(anyString, { seed: 2511, numRuns: 3_000 });
    const values = fc.sample(dataArb, { seed: 4242, numRuns: 300 });
    const source = [
      "{",
      `  strings = [\n${strings.map((s) => `    ${nixString(s)}`).join("\n")}\n  ];`,
      // Each name both as a binding and as a selector.
      `  names = [\n${names.map((n, i) => `    { ${nixAttrName(n)} = ${i}; }`).join("\n")}\n  ];`,
      `  selected = [\n${names.map((n, i) => `    ({ ${nixAttrName(n)} = ${i}; }).${nixAttrPath([n])}`).join("\n")}\n  ];`,
      `  values = ${nixValue(values, 2, 1)};`,
      "}",
    ].join("\n");
    const got = evalNixJson(source) as {
      strings: string[];
      names: object[];
      selected: number[];
      values: unknown;
    };
    assert.equal(got.strings.length, strings.length);
    for (let i = 0; i < strings.length; i++) assert.equal(got.strings[i], strings[i], `string #${i}`);
    for (let i = 0; i < names.length; i++) assert.deepEqual(Object.keys(got.names[i] as object), [names[i]]);
    assert.deepEqual(
      got.selected,
      names.map((_, i) => i),
    );
    // (fast-check builds null-prototype objects; compare as plain JSON data.)
    assert.deepEqual(got.values, JSON.parse(JSON.stringify(values)));
  });
});
