/**
 * Where a registry serves `.crate` files: crates.io's CDN, or the `dl` key of the index's `config.json`
 * for other registries. Sparse indexes (`sparse+http(s)://`, `sparse+file://`) serve config.json at the
 * index root; `registry+file://DIR` git indexes have it in DIR (or in the repository's HEAD). A sparse
 * index's config.json is kept in crateflake's cache (`CACHE/registries/HOST-HASH/config.json`), so that
 * crates already downloaded need no network at all on the next run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.ts";
import { cargoRegistryDirName, cargoRegistryDirNames } from "./cargo-dirs.ts";
import { cratesIoDownloadUrl, expandDlTemplate } from "./dl-template.ts";
import { getBytes } from "./http.ts";
import { isCratesIo, type ParsedSourceId } from "./source-id.ts";

export class RegistryDownloads {
  private dl: Promise<string> | null = null;

  constructor(
    private readonly id: ParsedSourceId,
    /** crateflake's cache directory, for the sparse index's config.json. */
    private readonly cacheDir?: string,
    /** `$CARGO_HOME`, whose `registry/index/` holds Cargo's clones of git indexes. */
    private readonly cargoHome?: string,
  ) {}

  /** The download URL of `name` `version` (whose Cargo.lock checksum is `sha256`). */
  async urlFor(name: string, version: string, sha256: string): Promise<string> {
    if (isCratesIo(this.id)) return cratesIoDownloadUrl(name, version);
    this.dl ??= this.readDl();
    return expandDlTemplate(await this.dl, name, version, sha256);
  }

  private async readDl(): Promise<string> {
    const text = await this.configJson();
    let dl: unknown;
    try {
      dl = (JSON.parse(text) as { dl?: unknown }).dl;
    } catch (e) {
      throw new UserError(`the config.json of registry ${this.id.url} is not JSON (${(e as Error).message})`);
    }
    if (typeof dl !== "string")
      throw new UserError(`the config.json of registry ${this.id.url} has no "dl" key`);
    return dl;
  }

  private async configJson(): Promise<string> {
    const base = this.id.url.endsWith("/") ? this.id.url : `${this.id.url}/`;
    if (this.id.kind === "registry" && this.cargoHome) {
      // Cargo's own clone of a git index: `registry/index/HOST-HASH/.git`, fetched into origin/HEAD.
      for (const name of cargoRegistryDirNames(this.id)) {
        const gitDir = join(this.cargoHome, "registry", "index", name, ".git");
        if (!existsSync(gitDir)) continue;
        try {
          return execFileSync("git", ["--git-dir", gitDir, "show", "refs/remotes/origin/HEAD:config.json"], {
            encoding: "utf8",
            stdio: "pipe",
          });
        } catch {
          // an unfinished clone: try the next
        }
      }
    }
    if (base.startsWith("file://")) {
      const dir = fileURLToPath(base);
      if (existsSync(join(dir, "config.json"))) return readFileSync(join(dir, "config.json"), "utf8");
      if (this.id.kind === "registry") {
        try {
          return execFileSync("git", ["-C", dir, "show", "HEAD:config.json"], {
            encoding: "utf8",
            stdio: "pipe",
          });
        } catch {
          // fall through to the error below
        }
      }
      throw new UserError(`registry index ${this.id.url} has no config.json`);
    }
    if (this.id.kind === "sparse") {
      const cached = this.cacheDir
        ? join(this.cacheDir, "registries", cargoRegistryDirName("sparse", this.id.url), "config.json")
        : null;
      if (cached && existsSync(cached)) return readFileSync(cached, "utf8");
      const text = (await getBytes(`${base}config.json`)).toString("utf8");
      if (cached && isDlConfig(text)) {
        await mkdir(dirname(cached), { recursive: true });
        const tmp = `${cached}.tmp-${process.pid}`;
        await writeFile(tmp, text);
        await rename(tmp, cached);
      }
      return text;
    }
    throw new UserError(
      `cannot download from git registry ${this.id.url}: crateflake reads sparse and file:// indexes, and ` +
        "git indexes Cargo has cloned; use the registry's sparse+ URL, or run `cargo fetch` once",
    );
  }
}

function isDlConfig(text: string): boolean {
  try {
    return typeof (JSON.parse(text) as { dl?: unknown }).dl === "string";
  } catch {
    return false;
  }
}
