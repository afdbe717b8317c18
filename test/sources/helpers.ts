/** Shared bits of the sources tests: a CargoConfig by hand, locked packages by hand or from a Cargo.lock. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseLockfile } from "../../src/cargo/lockfile.ts";
import type { CargoConfig, LockedPackage } from "../../src/cargo/model.ts";
import { tempDir } from "../support/env.ts";

export function cargoConfig(partial: Partial<CargoConfig> = {}): CargoConfig {
  return {
    sources: {},
    registries: {},
    buildTargets: [],
    offline: false,
    linksOverrides: {},
    files: [],
    cargoHome: tempDir("cargo-home"),
    rustflags: { build: null, target: {} },
    ignoredRustflags: [],
    ...partial,
  };
}

export function locked(
  name: string,
  version: string,
  source: string | null,
  checksum: string | null,
): LockedPackage {
  return { name, version, source, checksum, dependencies: [] };
}

/** The non-path packages of `dir/Cargo.lock`. */
export function lockedRemote(dir: string): LockedPackage[] {
  const path = join(dir, "Cargo.lock");
  return parseLockfile(readFileSync(path, "utf8"), path).packages.filter((p) => p.source !== null);
}

/** Run `fn`, expect a UserError-like rejection, return its message. */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assertUserError(e);
    return (e as Error).message;
  }
  throw new Error("expected a rejection");
}

function assertUserError(e: unknown): void {
  if (!(e instanceof Error) || e.name !== "UserError") throw e;
}
