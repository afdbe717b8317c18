/**
 * Workspace inheritance written out, for packages whose workspace root is not part of the project being
 * loaded (a package inside a git repository's workspace): the member's Cargo.toml with every
 * `workspace = true` replaced by the value of the repository's workspace root, as `cargo package` would
 * normalise it. Merge rules match src/cargo/manifest.ts: dependency features are the union, `optional` is
 * the member's, `default-features` is off only when both sides turn it off, inherited `path`s are
 * rebased onto the member directory, inherited `readme`/`license-file` are made relative to the member.
 */
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parse, stringify } from "smol-toml";
import { UserError } from "../errors.ts";

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
const DEP_KEYS = [
  "dependencies",
  "dev-dependencies",
  "dev_dependencies",
  "build-dependencies",
  "build_dependencies",
];

/** Does this manifest inherit anything from a workspace? */
export function usesInheritance(text: string): boolean {
  return /workspace\s*=\s*true/.test(text);
}

export function resolveInheritance(
  memberText: string,
  memberPath: string,
  rootText: string,
  rootPath: string,
): string {
  const member = parse(memberText) as Table;
  const root = parse(rootText) as Table;
  const ws = isTable(root.workspace) ? root.workspace : {};
  const wsPackage = isTable(ws.package) ? ws.package : {};
  const wsDeps = isTable(ws.dependencies) ? ws.dependencies : {};
  const wsRoot = dirname(rootPath);
  const memberDir = dirname(memberPath);
  const fail = (what: string) =>
    new UserError(`${what} is inherited from the workspace, but ${rootPath} does not define it`, memberPath);

  const pkg = isTable(member.package) ? member.package : isTable(member.project) ? member.project : null;
  if (pkg) {
    for (const key of Object.keys(pkg)) {
      const v = pkg[key];
      if (!isTable(v) || v.workspace !== true) continue;
      if (wsPackage[key] === undefined) throw fail(`\`package.${key}\``);
      let value = wsPackage[key];
      if ((key === "readme" || key === "license-file") && typeof value === "string") {
        value = relative(memberDir, resolve(wsRoot, value)).split("\\").join("/");
      }
      pkg[key] = value;
    }
  }

  const inheritDeps = (owner: Table) => {
    for (const key of DEP_KEYS) {
      const deps = owner[key];
      if (!isTable(deps)) continue;
      for (const name of Object.keys(deps)) {
        const d = deps[name];
        if (!isTable(d) || d.workspace !== true) continue;
        const base = wsDeps[name];
        if (base === undefined) throw fail(`dependency \`${name}\``);
        const wsDep: Table = typeof base === "string" ? { version: base } : { ...(base as Table) };
        const wsFeatures = Array.isArray(wsDep.features) ? (wsDep.features as string[]) : [];
        const memberFeatures = Array.isArray(d.features) ? (d.features as string[]) : [];
        const wsDefault = wsDep["default-features"] ?? wsDep.default_features;
        const memberDefault = d["default-features"] ?? d.default_features;
        delete wsDep.default_features;
        const merged: Table = { ...wsDep };
        const features = [...wsFeatures, ...memberFeatures.filter((f) => !wsFeatures.includes(f))];
        if (features.length > 0) merged.features = features;
        if (d.optional === true) merged.optional = true;
        else delete merged.optional;
        if (!((wsDefault ?? true) || memberDefault === true)) merged["default-features"] = false;
        else delete merged["default-features"];
        // Relative to the member, as `cargo package` and `cargo vendor` write it.
        if (typeof merged.path === "string" && !isAbsolute(merged.path)) {
          merged.path = relative(memberDir, join(wsRoot, merged.path)).split("\\").join("/");
        }
        deps[name] = merged;
      }
    }
  };
  inheritDeps(member);
  if (isTable(member.target)) for (const t of Object.values(member.target)) if (isTable(t)) inheritDeps(t);

  if (isTable(member.lints) && member.lints.workspace === true) {
    if (!isTable(ws.lints)) throw fail("`lints`");
    member.lints = ws.lints;
  }
  return stringify(member);
}
