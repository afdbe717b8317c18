/**
 * `cfg()` expressions as Cargo reads them in `[target.'cfg(...)'.dependencies]` (the `cargo-platform`
 * crate): `all(...)`, `any(...)`, `not(...)`, bare names (`unix`), `key = "value"` pairs, and the
 * boolean literals `true`/`false` (Rust 1.88+). A name or pair is true when it is among the platform's
 * cfg values, i.e. a line of `rustc --print cfg --target T`.
 */
import { UserError } from "../errors.ts";

/** One cfg value: a name (`unix`) or a key-value pair (`target_os="linux"`). */
export interface Cfg {
  name: string;
  value?: string;
}

export type CfgExpr =
  | { kind: "all"; of: CfgExpr[] }
  | { kind: "any"; of: CfgExpr[] }
  | { kind: "not"; of: CfgExpr }
  | { kind: "bool"; value: boolean }
  | { kind: "cfg"; cfg: Cfg };

type Token =
  | { t: "("; at: number }
  | { t: ")"; at: number }
  | { t: ","; at: number }
  | { t: "="; at: number }
  | { t: "ident"; at: number; text: string }
  | { t: "string"; at: number; text: string };

class CfgSyntax extends Error {}

function isIdentStart(ch: string): boolean {
  return /^[A-Za-z_]$/.test(ch);
}

function isIdentRest(ch: string): boolean {
  return /^[A-Za-z0-9_]$/.test(ch);
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
    } else if (ch === "(" || ch === ")" || ch === "," || ch === "=") {
      out.push({ t: ch, at: i });
      i++;
    } else if (ch === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) throw new CfgSyntax(`unterminated string starting at column ${i + 1}`);
      out.push({ t: "string", at: i, text: s.slice(i + 1, end) });
      i = end + 1;
    } else if (isIdentStart(ch)) {
      const start = i;
      while (i < s.length && isIdentRest(s[i] as string)) i++;
      out.push({ t: "ident", at: start, text: s.slice(start, i) });
    } else {
      throw new CfgSyntax(
        `unexpected character ${JSON.stringify(ch)} at column ${i + 1}, expected parens, a comma, an identifier, or a string`,
      );
    }
  }
  return out;
}

function describeToken(tok: Token | undefined): string {
  if (!tok) return "end of expression";
  if (tok.t === "ident") return `identifier \`${tok.text}\``;
  if (tok.t === "string") return `string ${JSON.stringify(tok.text)}`;
  return `\`${tok.t}\``;
}

class Parser {
  i = 0;
  constructor(readonly toks: Token[]) {}

  peek(): Token | undefined {
    return this.toks[this.i];
  }

  eat(t: Token["t"], what: string): Token {
    const tok = this.peek();
    if (!tok || tok.t !== t) {
      const where = tok ? ` at column ${tok.at + 1}` : "";
      throw new CfgSyntax(`expected ${what}, found ${describeToken(tok)}${where}`);
    }
    this.i++;
    return tok;
  }

  try(t: Token["t"]): boolean {
    if (this.peek()?.t === t) {
      this.i++;
      return true;
    }
    return false;
  }

  expr(): CfgExpr {
    const tok = this.eat("ident", "a cfg name or `all`/`any`/`not`") as Token & { text: string };
    const op = tok.text;
    if (op === "all" || op === "any") {
      this.eat("(", `\`(\` after \`${op}\``);
      const of: CfgExpr[] = [];
      while (!this.try(")")) {
        of.push(this.expr());
        if (!this.try(",")) {
          this.eat(")", `\`,\` or \`)\` in \`${op}(...)\``);
          break;
        }
      }
      return { kind: op, of };
    }
    if (op === "not") {
      this.eat("(", "`(` after `not`");
      const of = this.expr();
      this.eat(")", "`)` closing `not(...)` (it takes exactly one expression)");
      return { kind: "not", of };
    }
    if (this.try("=")) {
      const value = this.eat("string", `a quoted string after \`${op} =\``) as Token & { text: string };
      return { kind: "cfg", cfg: { name: op, value: value.text } };
    }
    if (op === "true" || op === "false") return { kind: "bool", value: op === "true" };
    return { kind: "cfg", cfg: { name: op } };
  }
}

/** Parses the inside of `cfg(...)`, e.g. `any(unix, target_os = "wasi")`. */
export function parseCfgExpr(s: string, file?: string, line?: number): CfgExpr {
  try {
    const p = new Parser(tokenize(s));
    if (p.peek() === undefined) throw new CfgSyntax("empty cfg() expression");
    const e = p.expr();
    const rest = p.peek();
    if (rest) {
      throw new CfgSyntax(
        `unexpected ${describeToken(rest)} at column ${rest.at + 1} after the cfg expression (join several with \`all(...)\` or \`any(...)\`)`,
      );
    }
    return e;
  } catch (e) {
    if (e instanceof CfgSyntax)
      throw new UserError(`invalid cfg expression \`cfg(${s})\`: ${e.message}`, file, line);
    throw e;
  }
}

/** Evaluates `e` against a platform's cfg values (as `cfgKey` strings, see below). */
export function evalCfgExpr(e: CfgExpr, has: (key: string) => boolean): boolean {
  switch (e.kind) {
    case "all":
      return e.of.every((x) => evalCfgExpr(x, has));
    case "any":
      return e.of.some((x) => evalCfgExpr(x, has));
    case "not":
      return !evalCfgExpr(e.of, has);
    case "bool":
      return e.value;
    case "cfg":
      return has(cfgKey(e.cfg));
  }
}

/** The line `rustc --print cfg` prints for a cfg value: `unix` or `target_os="linux"`. */
export function cfgKey(c: Cfg): string {
  return c.value === undefined ? c.name : `${c.name}="${c.value}"`;
}

/** Reads one line of `rustc --print cfg`; undefined for a line that is not a cfg value. */
export function parseCfgLine(line: string): Cfg | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:="([^"]*)")?$/.exec(line.trim());
  if (!m) return undefined;
  return m[2] === undefined ? { name: m[1] as string } : { name: m[1] as string, value: m[2] };
}

/** Writes an expression back as Cargo would read it (for messages and explanations). */
export function formatCfgExpr(e: CfgExpr): string {
  switch (e.kind) {
    case "all":
    case "any":
      return `${e.kind}(${e.of.map(formatCfgExpr).join(", ")})`;
    case "not":
      return `not(${formatCfgExpr(e.of)})`;
    case "bool":
      return String(e.value);
    case "cfg":
      return e.cfg.value === undefined ? e.cfg.name : `${e.cfg.name} = "${e.cfg.value}"`;
  }
}

/**
 * Names Cargo warns about in a target key: they parse, but never mean what they mean in Rust code
 * (`feature` and `test` are never set; `debug_assertions` is whatever `rustc --print cfg` says, i.e.
 * set regardless of the profile; `proc_macro` is never set).
 */
export function misleadingCfgNames(e: CfgExpr): string[] {
  const out = new Set<string>();
  const walk = (x: CfgExpr): void => {
    if (x.kind === "all" || x.kind === "any") x.of.forEach(walk);
    else if (x.kind === "not") walk(x.of);
    else if (x.kind === "cfg" && ["feature", "test", "debug_assertions", "proc_macro"].includes(x.cfg.name)) {
      out.add(x.cfg.name);
    }
  };
  walk(e);
  return [...out].sort();
}
