/**
 * Cargo's semver, as Cargo reads it: the `semver` crate 1.x (`Version::parse`, `VersionReq::parse`,
 * `VersionReq::matches`). The parser follows that crate's grammar and its errors; the matching follows
 * its `eval.rs`, including the pre-release rule (a pre-release version satisfies a requirement only when
 * some comparator with a pre-release names the same major.minor.patch).
 *
 * One deliberate limit: numeric parts are JavaScript numbers, so values above 2^53-1 are rejected
 * (Cargo accepts up to 2^64-1; no published crate uses such versions).
 */
import { UserError } from "../errors.ts";

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated pre-release identifiers; empty for a release. */
  pre: string[];
  /** Dot-separated build metadata identifiers; never affects matching. */
  build: string[];
}

/** `*` is the semver crate's `Op::Wildcard`: a requirement without an operator and with `*`/`x` in it. */
export type Op = "=" | ">" | ">=" | "<" | "<=" | "~" | "^" | "*";

export interface Comparator {
  op: Op;
  major: number;
  minor?: number;
  patch?: number;
  pre: string[];
}

/** Comparators joined by commas; none at all means `*` (any release). */
export interface VersionReq {
  comparators: Comparator[];
}

type Position =
  | "major version number"
  | "minor version number"
  | "patch version number"
  | "pre-release identifier"
  | "build metadata";

/** A parse failure; turned into a UserError naming the whole input by the public functions. */
class SemverSyntax extends Error {}

function describe(ch: string | undefined): string {
  return ch === undefined ? "end of input" : `character ${JSON.stringify(ch)}`;
}

/** Cursor over the input; all the semver grammar needs is peek/advance. */
class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string | undefined {
    return this.i < this.s.length ? this.s[this.i] : undefined;
  }
  rest(): string {
    return this.s.slice(this.i);
  }
  skipSpaces(): void {
    while (this.s[this.i] === " ") this.i++;
  }
  eat(ch: string): boolean {
    if (this.s[this.i] === ch) {
      this.i++;
      return true;
    }
    return false;
  }
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

function isIdentChar(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9A-Za-z-]$/.test(ch);
}

function isWildcard(ch: string | undefined): boolean {
  return ch === "*" || ch === "x" || ch === "X";
}

function numeric(c: Cursor, pos: Position): number {
  const start = c.i;
  while (isDigit(c.peek())) c.i++;
  const digits = c.s.slice(start, c.i);
  if (digits === "") {
    throw new SemverSyntax(`unexpected ${describe(c.peek())} while parsing ${pos}`);
  }
  if (digits.length > 1 && digits[0] === "0") {
    throw new SemverSyntax(`invalid leading zero in ${pos}`);
  }
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw new SemverSyntax(`value of ${pos} exceeds ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

function dot(c: Cursor, pos: Position): void {
  if (!c.eat(".")) {
    throw new SemverSyntax(`unexpected ${describe(c.peek())} while parsing ${pos}`);
  }
}

/** Dot-separated identifiers of [0-9A-Za-z-]; pre-release numeric identifiers may not have leading zeros. */
function identifiers(c: Cursor, pos: "pre-release identifier" | "build metadata"): string[] {
  const out: string[] = [];
  for (;;) {
    const start = c.i;
    while (isIdentChar(c.peek())) c.i++;
    const ident = c.s.slice(start, c.i);
    if (ident === "") throw new SemverSyntax(`empty identifier segment in ${pos}`);
    if (pos === "pre-release identifier" && /^0\d+$/.test(ident)) {
      throw new SemverSyntax(`invalid leading zero in ${pos}`);
    }
    out.push(ident);
    if (!c.eat(".")) return out;
  }
}

function invalid(
  kind: "version" | "version requirement",
  s: string,
  why: string,
  file?: string,
  line?: number,
) {
  return new UserError(`invalid ${kind} ${JSON.stringify(s)}: ${why}`, file, line);
}

function parseVersionAt(c: Cursor): Version {
  const major = numeric(c, "major version number");
  dot(c, "minor version number");
  const minor = numeric(c, "minor version number");
  dot(c, "patch version number");
  const patch = numeric(c, "patch version number");
  const pre = c.eat("-") ? identifiers(c, "pre-release identifier") : [];
  const build = c.eat("+") ? identifiers(c, "build metadata") : [];
  return { major, minor, patch, pre, build };
}

/** `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, nothing around it (no whitespace, no `v`). */
export function parseVersion(s: string, file?: string, line?: number): Version {
  const c = new Cursor(s);
  try {
    const v = parseVersionAt(c);
    if (c.peek() !== undefined) {
      throw new SemverSyntax(`unexpected ${describe(c.peek())} after version`);
    }
    return v;
  } catch (e) {
    if (e instanceof SemverSyntax) throw invalid("version", s, e.message, file, line);
    throw e;
  }
}

function parseOp(c: Cursor): Op | undefined {
  if (c.eat("=")) return "=";
  if (c.eat(">")) return c.eat("=") ? ">=" : ">";
  if (c.eat("<")) return c.eat("=") ? "<=" : "<";
  if (c.eat("~")) return "~";
  if (c.eat("^")) return "^";
  return undefined;
}

function parseComparator(c: Cursor): Comparator {
  const explicit = parseOp(c);
  let op: Op = explicit ?? "^";
  c.skipSpaces();
  const major = numeric(c, "major version number");
  let minor: number | undefined;
  let patch: number | undefined;
  let wildcard = false;
  if (c.eat(".")) {
    if (isWildcard(c.peek())) {
      c.i++;
      wildcard = true;
      if (explicit === undefined) op = "*";
    } else {
      minor = numeric(c, "minor version number");
    }
    if (c.eat(".")) {
      if (isWildcard(c.peek())) {
        c.i++;
        if (explicit === undefined) op = "*";
      } else if (wildcard) {
        throw new SemverSyntax("unexpected character after wildcard in version requirement");
      } else {
        patch = numeric(c, "patch version number");
      }
    }
  }
  let pre: string[] = [];
  if (patch !== undefined && c.eat("-")) pre = identifiers(c, "pre-release identifier");
  // Build metadata is accepted and dropped: it never affects matching.
  if (patch !== undefined && c.eat("+")) identifiers(c, "build metadata");
  c.skipSpaces();
  const cmp: Comparator = { op, major, pre };
  if (minor !== undefined) cmp.minor = minor;
  if (patch !== undefined) cmp.patch = patch;
  return cmp;
}

/** The semver crate's limit on comparators in one requirement. */
const maxComparators = 32;

function parseReqAt(s: string): VersionReq {
  const c = new Cursor(s);
  c.skipSpaces();
  // A lone `*` (or `x`/`X`) is "any release"; it may not be combined with other comparators.
  if (isWildcard(c.peek())) {
    c.i++;
    c.skipSpaces();
    if (c.peek() === undefined) return { comparators: [] };
    if (c.peek() === ",") throw new SemverSyntax(`wildcard req (${s.trim()[0]}) must be the only comparator`);
    throw new SemverSyntax("unexpected character after wildcard in version requirement");
  }
  const comparators: Comparator[] = [];
  for (;;) {
    const at = c.i;
    try {
      comparators.push(parseComparator(c));
    } catch (e) {
      const rest = s.slice(at).replace(/^ +/, "");
      if (e instanceof SemverSyntax && isWildcard(rest[0]) && /^[*xX] *(,|$)/.test(rest)) {
        throw new SemverSyntax(`wildcard req (${rest[0]}) must be the only comparator`);
      }
      throw e;
    }
    if (c.peek() === undefined) return { comparators };
    if (!c.eat(",")) {
      throw new SemverSyntax(`expected comma after version requirement, found ${describe(c.peek())}`);
    }
    if (comparators.length === maxComparators)
      throw new SemverSyntax("excessive number of version comparators");
    c.skipSpaces();
  }
}

/** A Cargo version requirement: `1.2` (caret), `^`, `~`, `=`, `<`, `<=`, `>`, `>=`, `*`, `1.*`, `1.2.x`, joined by `,`. */
export function parseReq(s: string, file?: string, line?: number): VersionReq {
  try {
    return parseReqAt(s);
  } catch (e) {
    if (e instanceof SemverSyntax) throw invalid("version requirement", s, e.message, file, line);
    throw e;
  }
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const numericIdent = /^\d+$/;

/** Pre-release order: a release is above every pre-release; numeric identifiers sort below alphanumeric. */
export function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return compareNumbers(b.length, a.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xn = numericIdent.test(x);
    const yn = numericIdent.test(y);
    let r: number;
    if (xn && yn) r = compareNumbers(x.length, y.length) || (x < y ? -1 : x > y ? 1 : 0);
    else if (xn) r = -1;
    else if (yn) r = 1;
    else r = x < y ? -1 : x > y ? 1 : 0;
    if (r !== 0) return r;
  }
  return compareNumbers(a.length, b.length);
}

/** Build metadata order (the semver crate's, for a total order only): numeric by value, then by length. */
function compareBuild(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xn = numericIdent.test(x);
    const yn = numericIdent.test(y);
    let r: number;
    if (xn && yn) {
      const xv = x.replace(/^0+/, "");
      const yv = y.replace(/^0+/, "");
      r =
        compareNumbers(xv.length, yv.length) ||
        (xv < yv ? -1 : xv > yv ? 1 : 0) ||
        compareNumbers(x.length, y.length);
    } else if (xn) r = -1;
    else if (yn) r = 1;
    else r = x < y ? -1 : x > y ? 1 : 0;
    if (r !== 0) return r;
  }
  return compareNumbers(a.length, b.length);
}

function asVersion(v: string | Version): Version {
  return typeof v === "string" ? cachedVersion(v) : v;
}

/**
 * Semver precedence: major, minor, patch, then pre-release. Build metadata only breaks ties (as the
 * semver crate's `Ord` does) so sorting is total and deterministic; `satisfies` never looks at it.
 */
export function compareVersions(a: string | Version, b: string | Version): number {
  const x = asVersion(a);
  const y = asVersion(b);
  return (
    compareNumbers(x.major, y.major) ||
    compareNumbers(x.minor, y.minor) ||
    compareNumbers(x.patch, y.patch) ||
    comparePre(x.pre, y.pre) ||
    compareBuild(x.build, y.build)
  );
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function matchesExact(c: Comparator, v: Version): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== undefined && v.minor !== c.minor) return false;
  if (c.patch !== undefined && v.patch !== c.patch) return false;
  return sameList(v.pre, c.pre);
}

function matchesGreater(c: Comparator, v: Version): boolean {
  if (v.major !== c.major) return v.major > c.major;
  if (c.minor === undefined) return false;
  if (v.minor !== c.minor) return v.minor > c.minor;
  if (c.patch === undefined) return false;
  if (v.patch !== c.patch) return v.patch > c.patch;
  return comparePre(v.pre, c.pre) > 0;
}

function matchesLess(c: Comparator, v: Version): boolean {
  if (v.major !== c.major) return v.major < c.major;
  if (c.minor === undefined) return false;
  if (v.minor !== c.minor) return v.minor < c.minor;
  if (c.patch === undefined) return false;
  if (v.patch !== c.patch) return v.patch < c.patch;
  return comparePre(v.pre, c.pre) < 0;
}

function matchesTilde(c: Comparator, v: Version): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== undefined && v.minor !== c.minor) return false;
  if (c.patch !== undefined && v.patch !== c.patch) return v.patch > c.patch;
  return comparePre(v.pre, c.pre) >= 0;
}

function matchesCaret(c: Comparator, v: Version): boolean {
  if (v.major !== c.major) return false;
  if (c.minor === undefined) return true;
  if (c.patch === undefined) return c.major > 0 ? v.minor >= c.minor : v.minor === c.minor;
  if (c.major > 0) {
    if (v.minor !== c.minor) return v.minor > c.minor;
    if (v.patch !== c.patch) return v.patch > c.patch;
  } else if (c.minor > 0) {
    if (v.minor !== c.minor) return false;
    if (v.patch !== c.patch) return v.patch > c.patch;
  } else if (v.minor !== c.minor || v.patch !== c.patch) {
    return false;
  }
  return comparePre(v.pre, c.pre) >= 0;
}

/** Whether one comparator alone accepts `v` (without the pre-release rule of the whole requirement). */
export function matchesComparator(c: Comparator, v: Version): boolean {
  switch (c.op) {
    case "=":
    case "*":
      return matchesExact(c, v);
    case ">":
      return matchesGreater(c, v);
    case ">=":
      return matchesExact(c, v) || matchesGreater(c, v);
    case "<":
      return matchesLess(c, v);
    case "<=":
      return matchesExact(c, v) || matchesLess(c, v);
    case "~":
      return matchesTilde(c, v);
    case "^":
      return matchesCaret(c, v);
  }
}

/** `VersionReq::matches`: every comparator accepts `v`, and a pre-release `v` is named by one of them. */
export function matchesReq(req: VersionReq, v: Version): boolean {
  if (!req.comparators.every((c) => matchesComparator(c, v))) return false;
  if (v.pre.length === 0) return true;
  return req.comparators.some(
    (c) => c.major === v.major && c.minor === v.minor && c.patch === v.patch && c.pre.length > 0,
  );
}

// The resolver asks the same questions many times; parsed values are immutable by convention.
const versionCache = new Map<string, Version>();
const reqCache = new Map<string, VersionReq>();

function cachedVersion(s: string): Version {
  let v = versionCache.get(s);
  if (!v) {
    v = parseVersion(s);
    versionCache.set(s, v);
  }
  return v;
}

function cachedReq(s: string): VersionReq {
  let r = reqCache.get(s);
  if (!r) {
    r = parseReq(s);
    reqCache.set(s, r);
  }
  return r;
}

/** Whether `version` satisfies the requirement `req` (both as written in Cargo.toml / Cargo.lock). */
export function satisfies(req: string | VersionReq, version: string | Version): boolean {
  return matchesReq(typeof req === "string" ? cachedReq(req) : req, asVersion(version));
}

/** The canonical text of a version (`1.2.3-alpha.1+build`). */
export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join(".")}` : ""}${
    v.build.length ? `+${v.build.join(".")}` : ""
  }`;
}

/** The canonical text of a requirement, as the semver crate's `Display` writes it (`*` when empty). */
export function formatReq(r: VersionReq): string {
  if (r.comparators.length === 0) return "*";
  return r.comparators
    .map((c) => {
      const op = c.op === "*" ? "" : c.op;
      let s = `${op}${c.major}`;
      if (c.minor !== undefined) {
        s += `.${c.minor}`;
        if (c.patch !== undefined) {
          s += `.${c.patch}`;
          if (c.pre.length) s += `-${c.pre.join(".")}`;
        } else if (c.op === "*") s += ".*";
      } else if (c.op === "*") s += ".*";
      return s;
    })
    .join(", ");
}
