/** Run by progress.test.ts (under a pseudo-terminal or not): fetch two crates from a file:// registry. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sha256Hex } from "../../src/sources/checksum.ts";
import { openSources } from "../../src/sources/index.ts";
import { tempDir } from "../support/env.ts";
import { makeCrate, manifest } from "./crate-server.ts";
import { cargoConfig, locked } from "./helpers.ts";

const root = tempDir("progress-reg");
mkdirSync(join(root, "index"));
writeFileSync(
  join(root, "index/config.json"),
  JSON.stringify({ dl: `${pathToFileURL(root).href}/{crate}-{version}.crate` }),
);
const sources = openSources({
  config: cargoConfig(),
  lockfileDir: root,
  cacheDir: tempDir("progress-cache"),
  quiet: process.argv[2] === "quiet",
});
for (const name of ["one", "two"]) {
  const bytes = await makeCrate(name, "1.0.0", { "Cargo.toml": manifest(name, "1.0.0") });
  writeFileSync(join(root, `${name}-1.0.0.crate`), bytes);
  await sources.fetch(
    locked(name, "1.0.0", `registry+${pathToFileURL(join(root, "index")).href}`, sha256Hex(bytes)),
  );
}
process.stdout.write("done\n");
