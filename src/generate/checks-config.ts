/**
 * The `[checks]` table of crateflake.toml: which checks the flake gets, clippy's lint flags and the test
 * binaries' arguments.
 *
 * ```toml
 * [checks]
 * tests = true                     # test-<package>: cargo test (unit, integration, doc tests, examples)
 * clippy = true                    # clippy-<package>: cargo clippy
 * doc = true                       # doc (and packages.<system>.doc): cargo doc --no-deps
 * clippy-args = ["-D", "warnings"] # lint flags given to clippy-driver; default none
 * test-args = ["--skip", "network"] # `cargo test -- ARGS` for every test check; default none
 * ```
 *
 * or, per package (a package not named gets none):
 *
 * ```toml
 * [checks.test-args]
 * findit = ["--skip", "network"]
 * ```
 */
import { UserError } from "../errors.ts";

export interface ChecksConfig {
  tests: boolean;
  clippy: boolean;
  doc: boolean;
  clippyArgs: string[];
  /** Arguments of every test check's test binaries (and, as `--test-args`, of its doctests), as
   * `cargo test -- ARGS`; or, as a table, per package name. */
  testArgs: string[] | Record<string, string[]>;
}

export const DEFAULT_CHECKS: ChecksConfig = {
  tests: true,
  clippy: true,
  doc: true,
  clippyArgs: [],
  testArgs: [],
};

const KEYS = ["tests", "clippy", "doc", "clippy-args", "test-args"];

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((a) => typeof a === "string");

/** The arguments a package's test check gives its test binaries. */
export function testArgsOf(checks: ChecksConfig, pkg: string): string[] {
  const args = checks.testArgs;
  return Array.isArray(args) ? args : (args[pkg] ?? []);
}

export function parseChecksConfig(raw: unknown, file: string): ChecksConfig {
  if (raw === undefined) return { ...DEFAULT_CHECKS };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UserError("`checks` must be a table ([checks])", file);
  const table = raw as Record<string, unknown>;
  for (const key of Object.keys(table))
    if (!KEYS.includes(key))
      throw new UserError(`[checks]: unknown key \`${key}\` (known: ${KEYS.join(", ")})`, file);
  const flag = (key: "tests" | "clippy" | "doc"): boolean => {
    const v = table[key] ?? DEFAULT_CHECKS[key];
    if (typeof v !== "boolean") throw new UserError(`[checks]: \`${key}\` must be true or false`, file);
    return v;
  };
  const args = table["clippy-args"] ?? [];
  if (!isStrings(args)) throw new UserError("[checks]: `clippy-args` must be a list of strings", file);
  const testArgs = table["test-args"] ?? [];
  if (!isStrings(testArgs)) {
    if (typeof testArgs !== "object" || Array.isArray(testArgs))
      throw new UserError("[checks]: `test-args` must be a list of strings or a table of them", file);
    for (const [pkg, v] of Object.entries(testArgs))
      if (!isStrings(v))
        throw new UserError(`[checks.test-args]: \`${pkg}\` must be a list of strings`, file);
  }
  // The Nix library passes them one a line.
  const lists = Array.isArray(testArgs) ? [testArgs] : Object.values(testArgs as Record<string, string[]>);
  if (lists.some((list) => list.some((a) => a.includes("\n"))))
    throw new UserError("[checks]: a test argument cannot contain a line break", file);
  return {
    tests: flag("tests"),
    clippy: flag("clippy"),
    doc: flag("doc"),
    clippyArgs: args,
    testArgs: testArgs as ChecksConfig["testArgs"],
  };
}

const strList = (args: string[]): string => `[${args.map((a) => JSON.stringify(a)).join(", ")}]`;

/** The `[checks]` table's lines, or none when everything is the default. */
export function renderChecksConfig(checks: ChecksConfig | undefined): string[] {
  if (!checks) return [];
  const lines: string[] = [];
  for (const key of ["tests", "clippy", "doc"] as const)
    if (checks[key] !== DEFAULT_CHECKS[key]) lines.push(`${key} = ${checks[key]}`);
  if (checks.clippyArgs.length > 0) lines.push(`clippy-args = ${strList(checks.clippyArgs)}`);
  const testArgs = checks.testArgs;
  if (Array.isArray(testArgs)) {
    if (testArgs.length > 0) lines.push(`test-args = ${strList(testArgs)}`);
  } else {
    // A sub-table comes after the table's own keys.
    const perPackage = Object.entries(testArgs).map(([pkg, a]) => `${JSON.stringify(pkg)} = ${strList(a)}`);
    return [...(lines.length > 0 ? ["", "[checks]", ...lines] : []), "", "[checks.test-args]", ...perPackage];
  }
  return lines.length > 0 ? ["", "[checks]", ...lines] : [];
}
