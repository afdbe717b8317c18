#!/usr/bin/env node
/**
 * The crateflake command line: one file per command under src/cli/, each exporting `register`.
 * Exit codes: 0 ok, 1 failure (a UserError, printed as one line), 2 usage error.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { UsageError, UserError } from "../errors.ts";
import { commands } from "./commands.ts";
import { version } from "./version.ts";

export async function main(argv: string[]): Promise<number> {
  const program = new Command("crateflake")
    .description("Turn a Cargo project into a Nix flake: one derivation per crate, built by rustc alone")
    .version(version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)");
  for (const register of commands) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv, { from: "user" });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    return exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here with code 0; everything else is a usage error.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    process.stderr.write(`error: ${err.render()}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`error: internal error in crateflake (please report it): ${message}\n`);
  return 1;
}

// Run when executed (directly, or through the npm bin symlink), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
