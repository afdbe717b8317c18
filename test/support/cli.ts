import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
/** tsx resolved from here, so the CLI also runs with a `cwd` outside the repository. */
const tsx = import.meta.resolve("tsx");

/** Runs the CLI as a user would, in a child process. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, ["--import", tsx, cli, ...args], {
    encoding: "utf8",
    cwd: opts.cwd,
    input: opts.input,
    env: { ...process.env, ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
