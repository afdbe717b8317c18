/**
 * The CLI as the npm package ships it: one ES module, `dist/crateflake.mjs`, made by esbuild from
 * src/cli/main.ts with its dependencies inside. Node then loads one file instead of ~120 modules: about
 * 90 ms less start-up on every run (measured by bench/, which runs this bundle).
 *
 *   node --import tsx scripts/bundle.ts [OUTFILE]
 *
 * Left outside: the two packages crateflake loads only when needed (tar-stream for an archive not yet in
 * the contents cache, cli-progress for a download bar), so their code is not even parsed on most runs.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const LAZY_PACKAGES = ["tar-stream", "cli-progress"];

/** Bundle the CLI of the source tree `root` into `outfile`; `sourcemap` also writes `outfile`.map (the
 * benchmarks' profile maps bundle lines back to the sources with it). */
export async function bundleCli(root: string, outfile: string, sourcemap = false): Promise<void> {
  await build({
    sourcemap: sourcemap ? "external" : false,
    entryPoints: [resolve(root, "src/cli/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: LAZY_PACKAGES,
    // commander is CommonJS and requires Node's modules: give the ES module a `require`.
    banner: {
      js: "import { createRequire as __crateflakeRequire } from 'node:module'; const require = __crateflakeRequire(import.meta.url);",
    },
    legalComments: "none",
    logLevel: "warning",
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(import.meta.url), "../..");
  await bundleCli(root, resolve(process.argv[2] ?? resolve(root, "dist/crateflake.mjs")));
}
