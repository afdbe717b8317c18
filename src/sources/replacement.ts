/**
 * Source replacement (`[source.NAME] replace-with = "OTHER"` in `.cargo/config.toml`): which source really
 * serves a locked package. Follows Cargo's rules: `crates-io` names the crates.io index (git or sparse),
 * other `[source.NAME]` entries name their `registry`/`git` URL, and replacements chain.
 */
import type { CargoConfig } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import { isCratesIo, type ParsedSourceId, parseSourceId, sourceKey } from "./source-id.ts";

/** Where a package is actually read from after replacement. */
export type ReplacedSource =
  | { kind: "local-registry"; path: string; name: string }
  | { kind: "directory"; path: string; name: string }
  /** The original source, or a `registry = URL` / `git = URL` replacement. */
  | { kind: "original"; id: ParsedSourceId; name: string | null };

/** The source that serves packages locked with source id `id`, after `replace-with` chains. */
export function replacedSource(config: CargoConfig, id: string): ReplacedSource {
  const parsed = parseSourceId(id);
  let name = sourceNameOf(config, parsed);
  let current: ReplacedSource = { kind: "original", id: parsed, name };
  const seen: string[] = [];
  while (name !== null) {
    if (seen.includes(name)) {
      throw new UserError(`source replacement cycle: ${[...seen, name].join(" -> ")}`, config.files[0]);
    }
    seen.push(name);
    const def = config.sources[name];
    if (!def) {
      if (seen.length > 1)
        throw new UserError(`\`replace-with\` names unknown source \`${name}\``, config.files[0]);
      break;
    }
    if (def.replaceWith) {
      name = def.replaceWith;
      continue;
    }
    if (def.localRegistry) current = { kind: "local-registry", path: def.localRegistry, name };
    else if (def.directory) current = { kind: "directory", path: def.directory, name };
    else if (def.registry) {
      const url = def.registry;
      const target: ParsedSourceId = url.startsWith("sparse+")
        ? { kind: "sparse", url: url.slice("sparse+".length) }
        : { kind: "registry", url };
      current = { kind: "original", id: seen.length > 1 ? target : parsed, name };
    } else if (def.git) {
      const reference = def.branch
        ? { branch: def.branch }
        : def.tag
          ? { tag: def.tag }
          : def.rev
            ? { rev: def.rev }
            : { defaultBranch: true as const };
      // A replacement git source serves the same commit the lockfile names.
      current = {
        kind: "original",
        id: seen.length > 1 ? { kind: "git", url: def.git, reference, precise: parsed.precise } : parsed,
        name,
      };
    } else if (name !== "crates-io") {
      throw new UserError(
        `[source.${name}] has no registry, local-registry, directory or git key`,
        config.files[0],
      );
    }
    break;
  }
  return current;
}

/** The `[source.NAME]` (or `crates-io`, or `[registries.NAME]`) that defines this source, if any. */
function sourceNameOf(config: CargoConfig, id: ParsedSourceId): string | null {
  if (isCratesIo(id)) return "crates-io";
  const key = sourceKey(id);
  for (const name of Object.keys(config.sources).sort()) {
    const def = config.sources[name];
    let defId: ParsedSourceId | null = null;
    if (def.registry) {
      defId = def.registry.startsWith("sparse+")
        ? { kind: "sparse", url: def.registry.slice("sparse+".length) }
        : { kind: "registry", url: def.registry };
    } else if (def.git) {
      const q = def.branch
        ? `?branch=${def.branch}`
        : def.tag
          ? `?tag=${def.tag}`
          : def.rev
            ? `?rev=${def.rev}`
            : "";
      defId = parseSourceId(`git+${def.git}${q}`);
    }
    if (defId && sourceKey(defId) === key) return name;
  }
  for (const name of Object.keys(config.registries).sort()) {
    const index = config.registries[name].index;
    const regId = index.startsWith("sparse+")
      ? ({ kind: "sparse", url: index.slice("sparse+".length) } as const)
      : ({ kind: "registry", url: index } as const);
    if (sourceKey(regId) === key && config.sources[name]) return name;
  }
  return null;
}
