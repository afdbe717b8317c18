/**
 * Which outputs a project has, when the user has not said: a package with binaries builds natively; a
 * `cdylib` that depends on `wasm-bindgen` builds for wasm32-unknown-unknown; other cdylibs natively.
 * `[package.metadata.crateflake]` (or the workspace's) may set `targets = [...]` or `skip = true`.
 * When that leaves nothing (a library crate, or a workspace of libraries), each member with a library
 * builds it natively, as `cargo build --release` does there: the flake then has the library's
 * derivations to build and its checks (test, clippy, doc), which are planned per output's root.
 */
import type { Package, Project } from "../cargo/model.ts";
import type { OutputSpec } from "./config.ts";

export const WASM_TARGET = "wasm32-unknown-unknown";

export function inferOutputs(roots: { manifest: string; project: Project }[]): OutputSpec[] {
  const outputs: OutputSpec[] = [];
  for (const { manifest, project } of roots) {
    for (const id of project.members) {
      const pkg = project.packages.get(id)!;
      const meta = { ...(project.crateflake ?? {}), ...(pkg.crateflake ?? {}) };
      if (meta.skip === true) continue;
      const targets = Array.isArray(meta.targets) ? meta.targets.map(String) : defaultTargets(pkg);
      for (const target of targets) {
        outputs.push({
          name: pkg.name,
          manifest,
          package: pkg.name,
          target,
          features: [],
          defaultFeatures: true,
        });
      }
    }
  }
  return uniqueNames(outputs.length > 0 ? outputs : libraryOutputs(roots));
}

function libraryOutputs(roots: { manifest: string; project: Project }[]): OutputSpec[] {
  const outputs: OutputSpec[] = [];
  for (const { manifest, project } of roots) {
    for (const id of project.members) {
      const pkg = project.packages.get(id)!;
      const meta = { ...(project.crateflake ?? {}), ...(pkg.crateflake ?? {}) };
      if (meta.skip === true || !pkg.targets.some(isLibrary)) continue;
      outputs.push({
        name: pkg.name,
        manifest,
        package: pkg.name,
        target: "native",
        features: [],
        defaultFeatures: true,
      });
    }
  }
  return outputs;
}

/** A target `cargo build` builds as the package's library (`lib`, `rlib`, `proc-macro`, ...). */
function isLibrary(t: Package["targets"][number]): boolean {
  return t.kind.some(
    (k) => k !== "bin" && k !== "example" && k !== "test" && k !== "bench" && k !== "custom-build",
  );
}

function defaultTargets(pkg: Package): string[] {
  if (pkg.targets.some((t) => t.kind.includes("bin"))) return ["native"];
  const lib = pkg.targets.find((t) => t.crateTypes.includes("cdylib"));
  if (!lib) return [];
  const wasm = pkg.dependencies.some((d) => d.package === "wasm-bindgen" && d.kind === "normal");
  return [wasm ? WASM_TARGET : "native"];
}

/** The same package name in two roots, or for two targets: suffix the later ones so attributes stay unique. */
function uniqueNames(outputs: OutputSpec[]): OutputSpec[] {
  const seen = new Map<string, number>();
  return outputs.map((o) => {
    const n = seen.get(o.name) ?? 0;
    seen.set(o.name, n + 1);
    if (n === 0) return o;
    const suffix =
      o.target === "native"
        ? o.manifest.split("/").slice(-2, -1)[0] || String(n + 1)
        : o.target.split("-")[0];
    return { ...o, name: `${o.name}-${suffix}` };
  });
}
