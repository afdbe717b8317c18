/**
 * The `[checks]` table of crateflake.toml: which checks the flake gets and clippy's lint flags.
 *
 * ```toml
 * [checks]
 * tests = true                     # test-<package>: cargo test (unit, integration, doc tests, examples)
 * clippy = true                    # clippy-<package>: cargo clippy
 * doc = true                       # doc (and packages.<system>.doc): cargo doc --no-deps
 * clippy-args = ["-D", "warnings"] # lint flags given to clippy-driver; default none
 * ```
 */
import { UserError } from "../errors.ts";

export interface ChecksConfig {
  tests: boolean;
  clippy: boolean;
  doc: boolean;
  clippyArgs: string[];
}

export const DEFAULT_CHECKS: ChecksConfig = { tests: true, clippy: true, doc: true, clippyArgs: [] };

const KEYS = ["tests", "clippy", "doc", "clippy-args"];

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
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string"))
    throw new UserError("[checks]: `clippy-args` must be a list of strings", file);
  return { tests: flag("tests"), clippy: flag("clippy"), doc: flag("doc"), clippyArgs: args as string[] };
}

/** The `[checks]` table's lines, or none when everything is the default. */
export function renderChecksConfig(checks: ChecksConfig | undefined): string[] {
  if (!checks) return [];
  const lines: string[] = [];
  for (const key of ["tests", "clippy", "doc"] as const)
    if (checks[key] !== DEFAULT_CHECKS[key]) lines.push(`${key} = ${checks[key]}`);
  if (checks.clippyArgs.length > 0)
    lines.push(`clippy-args = [${checks.clippyArgs.map((a) => JSON.stringify(a)).join(", ")}]`);
  return lines.length > 0 ? ["", "[checks]", ...lines] : [];
}
