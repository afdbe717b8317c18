/**
 * `crateflake.toml`: the outputs of the flake, each one package of one Cargo root built for one target.
 * `init` writes it (inferring outputs), the user may edit it, `generate` and `check` read it.
 */
import { readFileSync } from "node:fs";
import { parse, TomlError } from "smol-toml";
import { UserError } from "../errors.ts";
import { knownTriples } from "../platform/platform.ts";
import { type ChecksConfig, parseChecksConfig, renderChecksConfig } from "./checks-config.ts";

export const CONFIG_FILE = "crateflake.toml";

/** `native` builds for the Nix system's own platform; anything else is a target triple. */
export type OutputTarget = "native" | string;

export interface OutputSpec {
  /** Flake package name (`packages.<system>.<name>`). */
  name: string;
  /** Root manifest, `/`-separated and relative to the flake directory: a workspace root or a package with its own Cargo.lock. */
  manifest: string;
  /** The package to build. */
  package: string;
  target: OutputTarget;
  features: string[];
  defaultFeatures: boolean;
}

export interface Config {
  outputs: OutputSpec[];
  /** `[checks]`: the flake's tests, clippy and doc checks (see checks-config.ts); absent = defaults. */
  checks?: ChecksConfig;
  /** `pipelining`: which libraries get a metadata derivation of their own (src/nix/pipelining.ts);
   * absent = `off`. */
  pipelining?: Pipelining;
}

/** `off`: one derivation per unit; `heavy`: the libraries on the heaviest chains of work also get a
 * metadata derivation; `all`: every library that a library depends on does. */
export type Pipelining = "off" | "heavy" | "all";
const PIPELINING: Pipelining[] = ["off", "heavy", "all"];

/** `outputsRequired: false`: a file with no `[[output]]` (only `[checks]`, written before `init`) is
 * accepted, with no outputs. */
export function parseConfig(text: string, file: string, { outputsRequired = true } = {}): Config {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError)
      throw new UserError(`invalid TOML: ${err.message.split("\n")[0]}`, file, err.line);
    throw err;
  }
  const raw = doc.output ?? [];
  if (!Array.isArray(raw)) throw new UserError("`output` must be an array of tables ([[output]])", file);
  const names = new Set<string>();
  const outputs = raw.map((o: Record<string, unknown>, i: number): OutputSpec => {
    const where = `[[output]] #${i + 1}`;
    const str = (key: string, dflt?: string): string => {
      const v = o[key] ?? dflt;
      if (typeof v !== "string" || v === "")
        throw new UserError(`${where}: \`${key}\` must be a non-empty string`, file);
      return v;
    };
    const name = str("name");
    if (!/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name))
      throw new UserError(
        `${where}: output name ${JSON.stringify(name)} is not a valid Nix attribute name`,
        file,
      );
    if (names.has(name)) throw new UserError(`${where}: output name "${name}" is used twice`, file);
    names.add(name);
    const features = o.features ?? [];
    if (!Array.isArray(features) || features.some((f) => typeof f !== "string"))
      throw new UserError(`${where}: \`features\` must be a list of strings`, file);
    const defaultFeatures = o["default-features"] ?? true;
    if (typeof defaultFeatures !== "boolean")
      throw new UserError(`${where}: \`default-features\` must be true or false`, file);
    return {
      name,
      manifest: str("manifest"),
      package: str("package"),
      target: checkedTarget(str("target", "native"), where, file),
      features: features as string[],
      defaultFeatures,
    };
  });
  if (outputs.length === 0 && outputsRequired)
    throw new UserError("no [[output]] tables: nothing to build", file);
  const pipelining = doc.pipelining ?? "off";
  if (typeof pipelining !== "string" || !PIPELINING.includes(pipelining as Pipelining))
    throw new UserError('`pipelining` must be "off", "heavy" or "all"', file);
  return {
    outputs,
    checks: parseChecksConfig(doc.checks, file),
    ...(pipelining === "off" ? {} : { pipelining: pipelining as Pipelining }),
  };
}

export function readConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError("no crateflake.toml here: run `crateflake init` first", path);
  }
  return parseConfig(text, path);
}

/** The config file's text: hand-written TOML so it stays readable and byte-stable. */
export function renderConfig(config: Config): string {
  const lines = [
    "# crateflake: the outputs of this flake, each one package of one Cargo root built for one target.",
    '# target = "native" builds for the Nix system itself; a triple (e.g. "wasm32-unknown-unknown") cross-compiles.',
    "# Edit, then run `crateflake generate`.",
  ];
  if (config.pipelining) lines.push(`pipelining = ${JSON.stringify(config.pipelining)}`);
  lines.push(...renderOutputs(config.outputs));
  lines.push(...renderChecksConfig(config.checks));
  return `${lines.join("\n")}\n`;
}

/** The `[[output]]` tables, each after an empty line. */
export function renderOutputs(outputs: OutputSpec[]): string[] {
  const lines: string[] = [];
  for (const o of outputs) {
    lines.push(
      "",
      "[[output]]",
      `name = ${JSON.stringify(o.name)}`,
      `manifest = ${JSON.stringify(o.manifest)}`,
      `package = ${JSON.stringify(o.package)}`,
      `target = ${JSON.stringify(o.target)}`,
    );
    if (o.features.length) lines.push(`features = [${o.features.map((f) => JSON.stringify(f)).join(", ")}]`);
    if (!o.defaultFeatures) lines.push("default-features = false");
  }
  return lines;
}

/** `native`, or a triple with built-in platform data (cfg() of its dependencies is evaluated against it). */
function checkedTarget(target: string, where: string, file: string): string {
  if (target === "native" || knownTriples().includes(target)) return target;
  throw new UserError(
    `${where}: unknown target ${JSON.stringify(target.length > 80 ? `${target.slice(0, 77)}...` : target)}; use "native" or one of ${knownTriples().join(", ")}`,
    file,
  );
}
