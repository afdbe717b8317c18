/**
 * The inputs of one `generate`, observed at the I/O edge: while `traceInputs` runs, Node's own `fs` read
 * functions (and `process.env`) are wrapped, so every file read, existence test, stat, directory listing
 * and environment variable that the loaders and resolvers consult is recorded with what it answered,
 * without the code below knowing. input-cache.ts replays the records later: when every one answers the
 * same, the outputs are the same (generation is a function of what it reads). Anything that cannot be
 * replayed (a child process, the network, the whole environment enumerated) marks the trace unusable.
 */

import childProcess from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

/** One observation: `kind` of `path` answered `value` (see `observe` for each kind's value). */
export interface InputRecord {
  kind: "read" | "exists" | "stat" | "dir" | "realpath" | "readlink" | "env";
  path: string;
  value: string;
  /** For "read": the file's stamp taken before reading it, or null when it was too recent to trust. */
  stamp?: string | null;
}

export interface Trace {
  records: InputRecord[];
  /** Why the run cannot be replayed (a process was started, the network used), or null. */
  untraceable: string | null;
  /** What the run wrote to stderr (warnings), replayed when the cache answers instead. */
  stderr: string;
}

/** A file's stamp: size, modification and change times (ns), inode. ctime cannot be set by a user, so any
 * write changes the stamp. A stamp whose ctime is within RACY_NS of when it was taken is not trusted:
 * the file may be written again within the same clock tick (git's "racy" entries). */
const RACY_NS = 200_000_000n;

export function stampOf(path: string): string | null {
  const st = original.statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!st?.isFile()) return null;
  if (st.ctimeNs > BigInt(Date.now()) * 1_000_000n - RACY_NS) return null;
  return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
}

export function sha256(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Node's functions as they were before any wrapping (the replay uses these). */
export const original = {
  readFileSync: fs.readFileSync,
  existsSync: fs.existsSync,
  statSync: fs.statSync,
  lstatSync: fs.lstatSync,
  readdirSync: fs.readdirSync,
  realpathSync: fs.realpathSync,
  readlinkSync: fs.readlinkSync,
  openSync: fs.openSync,
  readFile: fs.promises.readFile,
};

/** What `kind` of `path` answers now, as recorded (null for an entry that the cache cannot answer). */
export function observe(kind: InputRecord["kind"], path: string): string {
  switch (kind) {
    case "read":
      try {
        return sha256(original.readFileSync(path));
      } catch (e) {
        return `error:${(e as NodeJS.ErrnoException).code}`;
      }
    case "exists":
      return String(original.existsSync(path));
    case "stat":
    case "dir":
    case "realpath":
    case "readlink":
      return answer(kind, path);
    case "env":
      return envValue(process.env[path]);
  }
}

function envValue(v: string | undefined): string {
  return v === undefined ? "unset" : `=${v}`;
}

/** stat (the `lstat:` prefix in the path says which), listing, realpath and readlink, as one string. */
function answer(kind: "stat" | "dir" | "realpath" | "readlink", path: string): string {
  try {
    if (kind === "stat") {
      const lstat = path.startsWith("lstat:");
      const p = lstat ? path.slice(6) : path;
      const st = (lstat ? original.lstatSync : original.statSync)(p, { bigint: true });
      const type = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "link" : "other";
      // A directory's times change with its entries, which the listings record; a file's stamp matters
      // (the contents cache trusts a file that keeps it).
      return type === "file"
        ? `file:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.mode}`
        : `${type}:${st.mode}`;
    }
    if (kind === "dir") {
      const entries = original.readdirSync(path, { withFileTypes: true });
      return sha256(
        entries
          .map(
            (e) => `${e.name}/${e.isDirectory() ? "d" : e.isFile() ? "f" : e.isSymbolicLink() ? "l" : "o"}`,
          )
          .sort()
          .join("\n"),
      );
    }
    if (kind === "realpath") return original.realpathSync(path);
    return original.readlinkSync(path, "utf8");
  } catch (e) {
    return `error:${(e as NodeJS.ErrnoException).code}`;
  }
}

let active: Trace | null = null;

/**
 * Run `fn` with Node's fs read functions wrapped; returns its result and what it read. Not re-entrant;
 * writes are not recorded (only what was read decides the outputs).
 */
export async function traceInputs<T>(fn: () => Promise<T>): Promise<{ result: T; trace: Trace }> {
  if (active) throw new Error("traceInputs: already tracing");
  const trace: Trace = { records: [], untraceable: null, stderr: "" };
  const seen = new Set<string>();
  const record = (kind: InputRecord["kind"], path: unknown, value: () => string, stamp?: string | null) => {
    if (typeof path !== "string") {
      if (path instanceof URL || Buffer.isBuffer(path)) trace.untraceable ??= `${kind} of a non-string path`;
      return; // a file descriptor: its open was recorded
    }
    const key = `${kind}\0${path}`;
    if (seen.has(key)) return;
    seen.add(key);
    trace.records.push(
      stamp === undefined ? { kind, path, value: value() } : { kind, path, value: value(), stamp },
    );
  };
  const untraceable = (why: string) => () => {
    trace.untraceable ??= why;
  };
  const wrap = <F extends (...args: never[]) => unknown>(f: F, before: (...args: Parameters<F>) => void): F =>
    function (this: unknown, ...args: Parameters<F>) {
      before(...args);
      return f.apply(this, args);
    } as F;

  const fsAny = fs as unknown as Record<string, unknown>;
  const cpAny = childProcess as unknown as Record<string, unknown>;
  const saved = {
    fs: Object.fromEntries(
      Object.keys(original)
        .filter((k) => k !== "readFile")
        .map((k) => [k, fsAny[k]]),
    ),
    readFile: fs.promises.readFile,
    cp: Object.fromEntries(
      ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"].map((k) => [
        k,
        cpAny[k],
      ]),
    ),
    fetch: globalThis.fetch,
    env: process.env,
    stderrWrite: process.stderr.write,
  };

  // A read: the stamp first, then the bytes, so a write in between shows as a changed stamp next time.
  const readRecorded = (path: unknown, bytes: () => Buffer | string): Buffer | string => {
    const stamp = typeof path === "string" ? stampOf(path) : null;
    let out: Buffer | string;
    try {
      out = bytes();
    } catch (e) {
      record("read", path, () => `error:${(e as NodeJS.ErrnoException).code}`, null);
      throw e;
    }
    record("read", path, () => sha256(out), stamp);
    return out;
  };
  fsAny.readFileSync = function (this: unknown, path: unknown, ...rest: unknown[]) {
    return readRecorded(path, () =>
      (original.readFileSync as (...a: unknown[]) => Buffer).call(this, path, ...rest),
    );
  };
  fs.promises.readFile = async function (this: unknown, path: unknown, ...rest: unknown[]) {
    const stamp = typeof path === "string" ? stampOf(path) : null;
    try {
      const out = (await (original.readFile as (...a: unknown[]) => Promise<Buffer>).call(
        this,
        path,
        ...rest,
      )) as Buffer | string;
      record("read", path, () => sha256(out), stamp);
      return out;
    } catch (e) {
      record("read", path, () => `error:${(e as NodeJS.ErrnoException).code}`, null);
      throw e;
    }
  } as typeof fs.promises.readFile;
  fsAny.existsSync = (path: unknown) => {
    const out = original.existsSync(path as string);
    record("exists", path, () => String(out));
    return out;
  };
  fsAny.statSync = wrap(original.statSync, (path) =>
    record("stat", path, () => answer("stat", path as string)),
  );
  fsAny.lstatSync = wrap(original.lstatSync, (path) =>
    record("stat", typeof path === "string" ? `lstat:${path}` : path, () => answer("stat", `lstat:${path}`)),
  );
  fsAny.readdirSync = wrap(original.readdirSync, (path) =>
    record("dir", path, () => answer("dir", path as string)),
  );
  fsAny.realpathSync = wrap(original.realpathSync, (path) =>
    record("realpath", path, () => answer("realpath", path as string)),
  );
  fsAny.readlinkSync = wrap(original.readlinkSync, (path) =>
    record("readlink", path, () => answer("readlink", path as string)),
  );
  // An opened file (nar.ts hashes vendored trees through a descriptor): recorded as a read of its bytes.
  fsAny.openSync = wrap(original.openSync, (path, flags) => {
    if (flags === undefined || flags === "r") {
      const stamp = typeof path === "string" ? stampOf(path) : null;
      record("read", path, () => observe("read", path as string), stamp);
    }
  });
  for (const k of Object.keys(saved.cp))
    cpAny[k] = wrap(saved.cp[k] as () => unknown, untraceable(`ran ${k}`));
  if (saved.fetch) globalThis.fetch = wrap(saved.fetch, untraceable("used the network"));
  process.env = new Proxy(saved.env, {
    get(target, key) {
      if (typeof key === "string") record("env", key, () => envValue(target[key]));
      return target[key as string];
    },
    has(target, key) {
      if (typeof key === "string") record("env", key, () => envValue(target[key]));
      return key in target;
    },
    ownKeys(target) {
      trace.untraceable ??= "read the whole environment";
      return Reflect.ownKeys(target);
    },
  });
  // os.homedir() reads HOME outside process.env.
  record("env", "HOME", () => envValue(saved.env.HOME));
  process.stderr.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
    trace.stderr += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    return (saved.stderrWrite as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  } as typeof process.stderr.write;
  syncBuiltinESMExports();
  active = trace;
  try {
    const result = await fn();
    return { result, trace };
  } finally {
    active = null;
    for (const [k, f] of Object.entries(saved.fs)) fsAny[k] = f;
    fs.promises.readFile = saved.readFile;
    for (const [k, f] of Object.entries(saved.cp)) cpAny[k] = f;
    if (saved.fetch) globalThis.fetch = saved.fetch;
    process.env = saved.env;
    process.stderr.write = saved.stderrWrite;
    syncBuiltinESMExports();
  }
}
