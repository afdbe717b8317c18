/**
 * flake.nix and default.nix are the user's: `init` writes them once and `generate` never rewrites them
 * (their generated halves live in .crateflake/, see src/nix/flake.ts). `generate` writes one only when
 * it is missing, or when an older crateflake generated it (recognised by its first line) and the user did
 * not edit it beyond flake.nix's `toolchainsFor` and `crateOverridesFor`, which are carried over. An old
 * file edited elsewhere is left as it is, with a note: it still works, calling the same library and data.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { defaultNix, type FlakeSpec, flakeNix, toolchainsExpr } from "../nix/flake.ts";
import {
  LEGACY_DEFAULT_HEADER,
  LEGACY_FLAKE_HEADER,
  legacyDefaultNix,
  legacyFlakeNix,
} from "../nix/legacy-flake.ts";
import { ownedOrAbsent } from "./write.ts";

export interface EntryFiles {
  /** Flake-relative name → the text to write. */
  files: Map<string, string>;
  /** One line each: an old generated file the user edited, left as it is. */
  notes: string[];
}

/**
 * What to write of flake.nix and default.nix. `init` refuses a file crateflake never wrote (unless
 * `force`, which writes both afresh); `generate` leaves such a file alone.
 */
export function entryFiles(
  flakeRoot: string,
  spec: FlakeSpec,
  opts: { init?: boolean; force?: boolean } = {},
): EntryFiles {
  const out: EntryFiles = { files: new Map(), notes: [] };
  const plan = (
    name: string,
    fresh: () => string,
    legacyHeader: string,
    migrate: (old: string) => string | null,
  ) => {
    const path = join(flakeRoot, name);
    const old = existsSync(path) ? readFileSync(path, "utf8") : null;
    if (old === null || opts.force) {
      out.files.set(name, fresh());
    } else if (old.startsWith(`${legacyHeader}\n`)) {
      const migrated = migrate(old);
      if (migrated !== null) out.files.set(name, migrated);
      else
        out.notes.push(
          `${path}: written by an older crateflake and edited, so left as it is (it still builds); for the new ` +
            `layout, where generate never rewrites ${name}, move it away, run \`crateflake init\` and copy your edits in`,
        );
    } else if (opts.init && !ownedOrAbsent(path)) {
      throw new UserError("exists and was not written by crateflake; move it away or pass --force", path);
    }
  };
  plan(
    "flake.nix",
    () => flakeNix(spec),
    LEGACY_FLAKE_HEADER,
    (old) => migrateFlake(old, spec),
  );
  plan("default.nix", defaultNix, LEGACY_DEFAULT_HEADER, (old) =>
    old === legacyDefaultNix(spec) ? defaultNix() : null,
  );
  return out;
}

/** The user's settings in an old generated flake.nix: `toolchainsFor` (1) and `crateOverridesFor` (3). */
const LEGACY_SETTINGS =
  /\n {6}toolchainsFor = pkgs: ([\s\S]*?);\n\n( {6}# Extra native inputs[^\n]*\n {6}# \{ my-sys[^\n]*\n) {6}crateOverridesFor = pkgs: ([\s\S]*?);\n\n {6}cratesFor = system:\n/;

/** The new flake.nix for an old generated one, or null when the user edited it beyond the settings. */
function migrateFlake(old: string, spec: FlakeSpec): string | null {
  const m = LEGACY_SETTINGS.exec(old);
  const masked = (text: string) => text.replace(LEGACY_SETTINGS, "\n(settings)\n");
  if (!m || masked(old) !== masked(legacyFlakeNix(spec))) return null;
  // The generated defaults already give the old default toolchains.
  const toolchainsFor = m[1] === toolchainsExpr(spec.outputs, "      ") ? "{ }" : m[1];
  return flakeNix(spec, { toolchainsFor, crateOverridesFor: m[3] });
}
