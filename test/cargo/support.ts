/**
 * Helpers for the load tests: temp copies of test/fixtures/load with a `.cargo/config.toml` pointing at a
 * local registry, a mini registry made from fixtures/load/registry-src, a git repository made from
 * fixtures/load/git-repo, Cargo's own `cargo metadata` (the oracle), and a normal form of metadata JSON
 * that keeps the fields whose meaning crateflake shares with Cargo.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { loadProjectDetailed } from "../../src/cargo/load.ts";
import { projectMetadata } from "../../src/cargo/metadata.ts";
import type { FeatureSelection } from "../../src/cargo/metadata-features.ts";
import { fixturesDir, registryDir, rustupEnv, sharedDir, tempDir } from "../support/env.ts";

/** A temp copy of test/fixtures/load whose crates-io is replaced by `registry`. */
export function fixtureCopy(registry: string = registryDir): string {
  const dir = tempDir("load");
  cpSync(join(fixturesDir, "load"), dir, { recursive: true });
  writeConfig(dir, registry);
  return dir;
}

export function writeConfig(dir: string, registry: string): void {
  mkdirSync(join(dir, ".cargo"), { recursive: true });
  writeFileSync(
    join(dir, ".cargo/config.toml"),
    `[source.crates-io]\nreplace-with = "offline"\n\n[source.offline]\nlocal-registry = "${registry}"\n`,
  );
}

/** A local registry holding the fixture crates of `fixtures/load/registry-src` (two versions of `dup`). */
export function miniRegistry(fixtures: string): string {
  const out = join(fixtures, "mini-registry");
  const src = join(fixtures, "registry-src");
  const dirs = readdirSync(src).map((d) => join(src, d));
  execFileSync("python3", [join(sharedDir, "rust/make-local-registry.py"), out, ...dirs], {
    env: rustupEnv,
    stdio: "pipe",
  });
  return out;
}

/** Makes `fixtures/git-repo` a git repository (one commit on `branch`); returns its file:// URL. */
export function gitRepo(fixtures: string, branch = "main"): string {
  const repo = join(fixtures, "git-repo");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: repo,
      stdio: "pipe",
    });
  git("init", "-q", "-b", branch);
  git("add", "-A");
  git("commit", "-q", "-m", "fixture");
  return `file://${repo}`;
}

export function cargoEnv(cargoHome?: string): NodeJS.ProcessEnv {
  return cargoHome ? { ...rustupEnv, CARGO_HOME: cargoHome } : rustupEnv;
}

export function cargo(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  return execFileSync("cargo", args, {
    cwd,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 28,
  });
}

/**
 * `cargo metadata`, run from the manifest's directory (Cargo reads `.cargo/config.toml` from the working
 * directory). `--all-features`: Cargo.lock is resolved with every feature of the members on, and that is
 * the resolution crateflake's model records; metadata's default resolve would drop unused optional deps.
 */
export function cargoMetadata(
  manifest: string,
  env: NodeJS.ProcessEnv,
  offline = true,
  allFeatures = true,
): Metadata {
  const args = [
    "metadata",
    "--format-version",
    "1",
    ...(allFeatures ? ["--all-features"] : []),
    ...(offline ? ["--offline"] : []),
  ];
  return JSON.parse(cargo(args, dirname(manifest), env)) as Metadata;
}

export async function ourMetadata(
  manifest: string,
  env: NodeJS.ProcessEnv,
  features: FeatureSelection = { allFeatures: true },
): Promise<Metadata> {
  const { project, config, workspace } = await loadProjectDetailed(manifest, {
    env,
    cacheDir: tempDir("cache"),
    quiet: true,
  });
  return JSON.parse(
    JSON.stringify(
      projectMetadata(project, { config, patches: workspace.patches, current: workspace.current, features }),
    ),
  ) as Metadata;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON of two producers, compared field by field
export type Metadata = any;

/**
 * The shared meaning of a `cargo metadata` document: packages (identity, edition, links, features,
 * dependencies, targets with src paths relative to the package directory, because registry and git
 * packages live in different caches), workspace members, resolve edges.
 */
export function normalForm(m: Metadata) {
  const packages = m.packages.map((p: Metadata) => {
    const root = dirname(p.manifest_path);
    return {
      id: p.id,
      name: p.name,
      version: p.version,
      source: p.source,
      edition: p.edition,
      links: p.links,
      features: p.features,
      dependencies: p.dependencies.map((d: Metadata) => ({
        name: d.name,
        source: d.source,
        req: d.req,
        kind: d.kind,
        rename: d.rename,
        optional: d.optional,
        uses_default_features: d.uses_default_features,
        features: d.features,
        target: d.target,
        path: d.path ?? null,
      })),
      targets: p.targets.map((t: Metadata) => ({
        kind: t.kind,
        crate_types: t.crate_types,
        name: t.name,
        src_path: relative(root, t.src_path),
        edition: t.edition,
        required_features: t["required-features"] ?? [],
        doc: t.doc,
        doctest: t.doctest,
        test: t.test,
      })),
    };
  });
  return {
    packages,
    workspace_members: m.workspace_members,
    workspace_default_members: m.workspace_default_members,
    workspace_root: m.workspace_root,
    resolve: {
      root: m.resolve.root,
      nodes: m.resolve.nodes.map((n: Metadata) => ({
        id: n.id,
        dependencies: n.dependencies,
        deps: n.deps,
        features: n.features,
      })),
    },
  };
}

export function readText(p: string): string {
  return readFileSync(p, "utf8");
}
