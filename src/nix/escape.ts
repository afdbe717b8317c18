/**
 * The one way strings from manifests and lockfiles reach Nix code: as double-quoted string literals
 * (`nixString`) or attribute names (`nixAttrName`), never spliced raw. In a Nix "..." string only `\`,
 * `"` and `${` are special: `\X` reads as X except `\n` `\t` `\r`, and `${` starts an interpolation.
 * Escaping `\`, `"` and the `$` of every `${` (as `\$`) therefore makes any text inert; `$${` needs no
 * special case because its `${` part is escaped too. Nix strings are NUL-terminated C strings inside
 * the evaluator, so a NUL cannot be represented and is refused; so is a lone UTF-16 surrogate, which has
 * no UTF-8 encoding. test/nix-escape round-trips random strings through nix-instantiate.
 */
import { UserError } from "../errors.ts";

// With the `u` flag a surrogate pair is one code point, so this finds a NUL or a lone surrogate.
const unrepresentable = /\0|[\uD800-\uDFFF]/u;

function check(s: string, what: string): void {
  const m = unrepresentable.exec(s);
  if (m) {
    const why = m[0] === "\0" ? "a NUL character" : "an unpaired UTF-16 surrogate";
    throw new UserError(
      `${what} ${JSON.stringify(s.slice(0, 60))} contains ${why}, which a Nix string cannot hold`,
    );
  }
}

/** A Nix double-quoted string literal whose value is exactly `s`. */
export function nixString(s: string): string {
  check(s, "the string");
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    switch (ch) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\r":
        out += "\\r";
        break;
      case "$":
        out += s[i + 1] === "{" ? "\\$" : "$";
        break;
      default:
        out += ch;
    }
  }
  return `${out}"`;
}

/** Nix's keywords: not usable as bare attribute names. */
export const nixKeywords: ReadonlySet<string> = new Set([
  "assert",
  "else",
  "if",
  "in",
  "inherit",
  "let",
  "or",
  "rec",
  "then",
  "with",
]);

const identifier = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Whether `s` can be written bare as a Nix identifier or attribute name. */
export function isNixIdentifier(s: string): boolean {
  return identifier.test(s) && !nixKeywords.has(s);
}

/** An attribute name for `{ NAME = ...; }` or `x.NAME`: bare when it is an identifier, else quoted. */
export function nixAttrName(s: string): string {
  if (isNixIdentifier(s)) return s;
  return nixString(s);
}

/** An attribute path `a."b.c".d` from its components. */
export function nixAttrPath(parts: readonly string[]): string {
  if (parts.length === 0) throw new Error("nixAttrPath: empty attribute path");
  return parts.map(nixAttrName).join(".");
}

/**
 * A Nix expression for a path `rel` below the path expression `base` (e.g. `./.`): `(base + "/rel")`.
 * `rel` is relative and stays below `base` (no `..`, no absolute path), so manifest data cannot point
 * a build outside the tree it names.
 */
export function nixPathUnder(base: string, rel: string): string {
  const parts = rel.split("/").filter((p) => p !== "" && p !== ".");
  if (rel.startsWith("/") || parts.includes("..")) {
    throw new UserError(`path ${JSON.stringify(rel)} must be relative and stay inside its root`);
  }
  if (parts.length === 0) return base;
  return `(${base} + ${nixString(`/${parts.join("/")}`)})`;
}

export type NixData =
  | null
  | boolean
  | number
  | string
  | readonly NixData[]
  | { readonly [k: string]: NixData };

/**
 * Data as a Nix expression: null, booleans, integers, strings, lists and attribute sets (keys sorted,
 * so the text is byte-stable). `indent` pretty-prints with that many spaces per level; 0 is one line.
 */
export function nixValue(v: NixData, indent = 0, depth = 0): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v))
      throw new Error(`nixValue: ${v} is not an integer Nix can read back exactly`);
    return v < 0 ? `(${v})` : String(v);
  }
  if (typeof v === "string") return nixString(v);
  const pad = indent ? `\n${" ".repeat(indent * (depth + 1))}` : " ";
  const end = indent ? `\n${" ".repeat(indent * depth)}` : " ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[ ]";
    return `[${v.map((x) => `${pad}${nixValue(x, indent, depth + 1)}`).join("")}${end}]`;
  }
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return "{ }";
  const obj = v as { readonly [k: string]: NixData };
  return `{${keys.map((k) => `${pad}${nixAttrName(k)} = ${nixValue(obj[k] as NixData, indent, depth + 1)};`).join("")}${end}}`;
}
