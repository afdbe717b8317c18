import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's own directory (works from src/ under tsx and from dist/src/ once compiled). */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
})();

/** The package version, read from package.json so there is one place to bump it. */
export const version: string = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).version;
