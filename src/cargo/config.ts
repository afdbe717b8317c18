/**
 * `.cargo/config.toml` (and the legacy `.cargo/config`): read from a directory upward, then from
 * `$CARGO_HOME`, merged with the nearest file winning key by key. Relative paths in a file are made
 * absolute against the directory that holds its `.cargo` folder, as Cargo does.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { readLinksOverrides } from "./links-overrides.ts";
import type { CargoConfig } from "./model.ts";
import { isTable, parseToml, type Table, TomlReader } from "./toml.ts";

export interface ConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Take rustflags only from config files inside this directory (a flake's data must not depend on a
   * machine's own `~/.cargo/config.toml`); the others are listed in `ignoredRustflags`. */
  rustflagsWithin?: string;
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
  const within = opts.rustflagsWithin === undefined ? undefined : resolve(opts.rustflagsWithin);
  const inside = (f: string) => within === undefined || !relative(within, f).startsWith("..");
  return mergeConfigs(parsed, cargoHome, inside);
}

/** Pure part: merge parsed config files (nearest first) into a `CargoConfig`. */
export function mergeConfigs(
  files: { file: string; text: string }[],
  cargoHome: string,
  takeRustflags: (file: string) => boolean = () => true,
): CargoConfig {
  const config: CargoConfig = {
    sources: {},
    registries: {},
    buildTargets: [],
    offline: false,
    linksOverrides: {},
    files: files.map((f) => f.file),
    cargoHome,
    rustflags: { build: null, target: {} },
    ignoredRustflags: [],
  };
  const rustflags = new RustflagsMerge();
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
    const flags = rustflagsOf(r, build, r.table(toml.target, "target"));
    if (flags.length > 0 && !takeRustflags(file)) config.ignoredRustflags.push(file);
    else for (const [key, value] of flags) rustflags.add(r, key, value);

    const net = isTable(toml.net) ? toml.net : {};
    if (!offlineSet && net.offline !== undefined) {
      config.offline = r.bool(net.offline, "net.offline") ?? false;
      offlineSet = true;
    }
  }
  config.rustflags = rustflags.result();
  config.sources = sortKeys(config.sources);
  config.registries = sortKeys(config.registries);
  return config;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

/** A file's `build.rustflags` and `target.<key>.rustflags`: a string (split on whitespace) or a list. */
function rustflagsOf(r: TomlReader, build: Table, target: Table): [string, string | string[]][] {
  const out: [string, string | string[]][] = [];
  const read = (v: unknown, key: string) => {
    if (v === undefined) return;
    out.push([key, typeof v === "string" ? v : (r.strList(v, key) ?? [])]);
  };
  read(build.rustflags, "build.rustflags");
  for (const key of Object.keys(target)) {
    if (isTable(target[key])) read(target[key].rustflags, `target.${key}.rustflags`);
  }
  return out;
}

/** Cargo's merge of one key over config files, nearest first: lists are joined with the nearer file's
 * items last, a string is the nearest file's, and a string and a list do not merge. */
class RustflagsMerge {
  private values = new Map<string, string | string[]>();

  add(r: TomlReader, key: string, value: string | string[]): void {
    const prior = this.values.get(key);
    if (prior === undefined) this.values.set(key, value);
    else if (Array.isArray(prior) && Array.isArray(value)) this.values.set(key, [...value, ...prior]);
    else if (Array.isArray(prior) !== Array.isArray(value))
      throw r.error(
        `\`${key}\` is a ${Array.isArray(value) ? "list" : "string"} here and a ${Array.isArray(prior) ? "list" : "string"} in a nearer config file: Cargo cannot merge them; use the same form in both`,
        "rustflags",
      );
  }

  result(): CargoConfig["rustflags"] {
    const list = (v: string | string[]) =>
      Array.isArray(v) ? [...v] : v.split(/\s+/).filter((x) => x !== "");
    const out: CargoConfig["rustflags"] = { build: null, target: {} };
    for (const [key, value] of [...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (key === "build.rustflags") out.build = list(value);
      else out.target[key.slice("target.".length, -".rustflags".length)] = list(value);
    }
    return out;
  }
}
