/**
 * `.cargo/config.toml` (and the legacy `.cargo/config`): read from a directory upward, then from
 * `$CARGO_HOME`, merged with the nearest file winning key by key. Relative paths in a file are made
 * absolute against the directory that holds its `.cargo` folder, as Cargo does.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { readLinksOverrides } from "./links-overrides.ts";
import type { CargoConfig } from "./model.ts";
import { isTable, parseToml, type Table, TomlReader } from "./toml.ts";

export interface ConfigOptions {
  env?: NodeJS.ProcessEnv;
}

/** Config files Cargo would read for `dir`, nearest first. */
export function configFiles(dir: string, cargoHome: string): string[] {
  const out: string[] = [];
  let d = resolve(dir);
  for (;;) {
    const f = configIn(join(d, ".cargo"));
    if (f) out.push(f);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  const home = configIn(cargoHome);
  if (home && !out.includes(home)) out.push(home);
  return out;
}

/** Cargo prefers the legacy `config` when both exist (and warns); so do we. */
function configIn(dir: string): string | undefined {
  for (const name of ["config", "config.toml"]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadConfig(dir: string, opts: ConfigOptions = {}): CargoConfig {
  const env = opts.env ?? process.env;
  const cargoHome = env.CARGO_HOME ? resolve(env.CARGO_HOME) : join(homedir(), ".cargo");
  const files = configFiles(dir, cargoHome);
  const parsed = files.map((f) => ({ file: f, text: readFileSync(f, "utf8") }));
  return mergeConfigs(parsed, cargoHome);
}

/** Pure part: merge parsed config files (nearest first) into a `CargoConfig`. */
export function mergeConfigs(files: { file: string; text: string }[], cargoHome: string): CargoConfig {
  const config: CargoConfig = {
    sources: {},
    registries: {},
    buildTargets: [],
    offline: false,
    linksOverrides: {},
    files: files.map((f) => f.file),
    cargoHome,
  };
  let targetSet = false;
  let offlineSet = false;
  for (const { file, text } of files) {
    const r = new TomlReader(file, text);
    const toml = parseToml(text, file);
    // The directory holding the `.cargo` folder (for $CARGO_HOME/config.toml: CARGO_HOME's parent).
    const base = dirname(dirname(file));
    const abs = (p: string | undefined) =>
      p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p);

    const sources = r.table(toml.source, "source");
    for (const name of Object.keys(sources)) {
      const t: Table = r.table(sources[name], `source.${name}`);
      config.sources[name] ??= {};
      const s = config.sources[name];
      const set = (key: keyof (typeof config.sources)[string], v: string | undefined) => {
        if (v !== undefined && s[key] === undefined) s[key] = v;
      };
      set("replaceWith", r.str(t["replace-with"], `source.${name}.replace-with`));
      set("registry", r.str(t.registry, `source.${name}.registry`));
      set("localRegistry", abs(r.str(t["local-registry"], `source.${name}.local-registry`)));
      set("directory", abs(r.str(t.directory, `source.${name}.directory`)));
      set("git", r.str(t.git, `source.${name}.git`));
      set("branch", r.str(t.branch, `source.${name}.branch`));
      set("tag", r.str(t.tag, `source.${name}.tag`));
      set("rev", r.str(t.rev, `source.${name}.rev`));
    }

    const registries = r.table(toml.registries, "registries");
    for (const name of Object.keys(registries)) {
      const t: Table = r.table(registries[name], `registries.${name}`);
      const index = r.str(t.index, `registries.${name}.index`);
      if (index !== undefined && !config.registries[name]) config.registries[name] = { index };
    }

    const build = r.table(toml.build, "build");
    if (!targetSet && build.target !== undefined) {
      const t = build.target;
      if (typeof t === "string") config.buildTargets = [t];
      else config.buildTargets = r.strList(t, "build.target") ?? [];
      // A target given as a path to a JSON spec is relative to the config's directory.
      config.buildTargets = config.buildTargets.map((x) => (x.endsWith(".json") ? (abs(x) ?? x) : x));
      targetSet = true;
    }

    readLinksOverrides(r, r.table(toml.target, "target"), config.linksOverrides);

    const net = isTable(toml.net) ? toml.net : {};
    if (!offlineSet && net.offline !== undefined) {
      config.offline = r.bool(net.offline, "net.offline") ?? false;
      offlineSet = true;
    }
  }
  config.sources = sortKeys(config.sources);
  config.registries = sortKeys(config.registries);
  return config;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}
