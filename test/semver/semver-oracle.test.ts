/**
 * The semver crate itself as the oracle (Cargo parses and matches requirements with it): its Debian
 * sources (`apt-get install librust-semver-dev`) compiled with rustc into a small program that answers
 * parse / match / compare questions; random requirements, versions and near-miss garbage from fast-check
 * must get the same answers from src/cargo/semver.ts.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { compareVersions, parseReq, parseVersion, satisfies } from "../../src/cargo/semver.ts";
import { needCargo, rustupEnv, tempDir } from "../support/env.ts";

const debianRegistry = "/usr/share/cargo/registry";
const semverSrc = existsSync(debianRegistry)
  ? readdirSync(debianRegistry)
      .filter((d) => /^semver-1\.\d+\.\d+$/.test(d))
      .map((d) => join(debianRegistry, d))[0]
  : undefined;
const skip = needCargo || (semverSrc ? false : "no semver 1.x sources: apt-get install librust-semver-dev");

const oracleMain = `
use std::io::{BufRead, Write};
fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.unwrap();
        let mut parts = line.split('\\u{1f}');
        let kind = parts.next().unwrap();
        let a = parts.next().unwrap();
        let answer = match kind {
            "req" => match semver::VersionReq::parse(a) { Ok(_) => "ok".to_string(), Err(_) => "err".to_string() },
            "ver" => match semver::Version::parse(a) { Ok(_) => "ok".to_string(), Err(_) => "err".to_string() },
            "match" => {
                let r = semver::VersionReq::parse(a).unwrap();
                let v = semver::Version::parse(parts.next().unwrap()).unwrap();
                r.matches(&v).to_string()
            }
            "cmp" => {
                let x = semver::Version::parse(a).unwrap();
                let y = semver::Version::parse(parts.next().unwrap()).unwrap();
                (x.cmp(&y) as i8).to_string()
            }
            _ => panic!("bad kind"),
        };
        writeln!(out, "{}", answer).unwrap();
    }
}
`;

function buildOracle(): string {
  const dir = tempDir("semver-oracle");
  const rustc = (args: string[]) =>
    execFileSync("rustc", ["+stable", ...args], { env: rustupEnv, stdio: "pipe" });
  rustc([
    "--edition",
    "2018",
    "--crate-type",
    "rlib",
    "--crate-name",
    "semver",
    "--cap-lints",
    "allow",
    "-O",
    join(semverSrc as string, "src/lib.rs"),
    "--out-dir",
    dir,
  ]);
  writeFileSync(join(dir, "main.rs"), oracleMain);
  rustc([
    "--edition",
    "2021",
    "-O",
    join(dir, "main.rs"),
    "--extern",
    `semver=${join(dir, "libsemver.rlib")}`,
    "-o",
    join(dir, "oracle"),
  ]);
  return join(dir, "oracle");
}

function ask(oracle: string, questions: string[][]): string[] {
  const out = execFileSync(oracle, {
    input: `${questions.map((q) => q.join("\x1f")).join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return out.split("\n").slice(0, questions.length);
}

function ours(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch {
    return "err";
  }
}

// Small numbers so that random requirements and versions often meet.
const num = fc.constantFrom("0", "1", "2", "3", "10");
const preIdent = fc.constantFrom("alpha", "beta", "rc", "0", "1", "2", "11", "x-y", "a1");
const pre = fc.array(preIdent, { minLength: 1, maxLength: 3 }).map((xs) => `-${xs.join(".")}`);
const build = fc.constantFrom("", "", "", "+b1", "+001", "+meta.data");
// Mostly releases: a pre-release only matches a requirement naming its major.minor.patch.
const maybePre = fc.oneof({ arbitrary: fc.constant(""), weight: 3 }, { arbitrary: pre, weight: 1 });
const versionArb = fc
  .tuple(num, num, num, maybePre, build)
  .map(([a, b, c, p, m]) => `${a}.${b}.${c}${p}${m}`);
const wild = fc.constantFrom("*", "x", "X");
const op = fc.constantFrom("", "", "^", "~", "=", ">", ">=", "<", "<=", "= ", ">= ");
const partial = fc.oneof(
  num,
  fc.tuple(num, num).map(([a, b]) => `${a}.${b}`),
  fc.tuple(num, num, num, maybePre, build).map(([a, b, c, p, m]) => `${a}.${b}.${c}${p}${m}`),
  fc.tuple(num, wild).map(([a, w]) => `${a}.${w}`),
  fc.tuple(num, num, wild).map(([a, b, w]) => `${a}.${b}.${w}`),
  fc.tuple(num, wild, wild).map(([a, w, v]) => `${a}.${w}.${v}`),
);
const comparator = fc.tuple(op, partial).map(([o, p]) => `${o}${p}`);
const reqArb = fc.oneof(
  { arbitrary: comparator, weight: 6 },
  { arbitrary: fc.array(comparator, { minLength: 2, maxLength: 3 }).map((cs) => cs.join(", ")), weight: 3 },
  { arbitrary: wild, weight: 1 },
);
// Near misses: valid strings with one character inserted, deleted or replaced.
const mutate = (s: string) =>
  fc
    .tuple(
      fc.nat(s.length),
      fc.constantFrom("", ".", ",", " ", "-", "+", "0", "a", "*", "^", "~", ">", "=", "\t", "é"),
      fc.boolean(),
    )
    .map(([i, ch, replace]) => s.slice(0, i) + ch + s.slice(replace ? i + 1 : i));
const garbageReq = reqArb.chain(mutate);
const garbageVersion = versionArb.chain(mutate);

test("parse, match and compare agree with the semver crate", { skip }, () => {
  const oracle = buildOracle();
  const reqs = fc.sample(reqArb, { seed: 7, numRuns: 600 });
  const versions = fc.sample(versionArb, { seed: 8, numRuns: 120 });
  const badReqs = fc.sample(garbageReq, { seed: 9, numRuns: 3000 });
  const badVersions = fc.sample(garbageVersion, { seed: 10, numRuns: 3000 });

  const parseQs = [...reqs, ...badReqs]
    .map((r) => ["req", r])
    .concat([...versions, ...badVersions].map((v) => ["ver", v]));
  const parseAnswers = ask(oracle, parseQs);
  parseQs.forEach(([kind, s], i) => {
    const mine = ours(() => (kind === "req" ? parseReq(s as string) : parseVersion(s as string)));
    assert.equal(mine, parseAnswers[i], `${kind} ${JSON.stringify(s)}`);
  });

  const validReqs = [...new Set([...reqs, ...badReqs])].filter((r) => ours(() => parseReq(r)) === "ok");
  const validVersions = [...new Set([...versions, ...badVersions])].filter(
    (v) => ours(() => parseVersion(v)) === "ok",
  );
  const matchQs: string[][] = [];
  // Every valid requirement against the same releases and pre-releases of small numbers.
  const probes = fc.sample(versionArb, { seed: 11, numRuns: 60 });
  for (const r of validReqs) for (const v of probes) matchQs.push(["match", r, v]);
  const matchAnswers = ask(oracle, matchQs);
  let matched = 0;
  matchQs.forEach(([, r, v], i) => {
    const mine = satisfies(r as string, v as string);
    if (mine) matched++;
    assert.equal(String(mine), matchAnswers[i], `${JSON.stringify(r)} matches ${v}`);
  });
  // The generator must exercise both answers, or the agreement says little.
  assert.ok(
    matched > matchQs.length / 10 && matched < matchQs.length * 0.9,
    `${matched} of ${matchQs.length} matched`,
  );

  const cmpQs = validVersions.flatMap((a, i) => validVersions.slice(i, i + 30).map((b) => ["cmp", a, b]));
  const cmpAnswers = ask(oracle, cmpQs);
  cmpQs.forEach(([, a, b], i) => {
    assert.equal(String(compareVersions(a as string, b as string)), cmpAnswers[i], `${a} <=> ${b}`);
  });
  assert.ok(
    matchQs.length > 10_000 && cmpQs.length > 10_000,
    `${matchQs.length} matches, ${cmpQs.length} compares`,
  );
});
