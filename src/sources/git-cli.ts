/** Running the `git` CLI: no prompts, no user config surprises, errors carrying git's own message. */
import { execFile, spawn } from "node:child_process";

const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_TERMINAL_PROMPT: "0",
  GIT_ASKPASS: "",
  // The user's hooks/templates must not run in crateflake's cache.
  GIT_TEMPLATE_DIR: "",
};

export class GitError extends Error {}

export function git(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, env: ENV, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err) reject(new GitError(`git ${args.join(" ")}: ${(stderr || err.message).trim()}`));
        else resolve(stdout);
      },
    );
  });
}

/** Does `git args` succeed? */
export async function gitOk(args: string[], cwd?: string): Promise<boolean> {
  try {
    await git(args, cwd);
    return true;
  } catch {
    return false;
  }
}

/** `git -C repo archive COMMIT | tar -x -C dest`: the tree at COMMIT, as Nix's fetchGit unpacks it. */
export function archiveInto(repo: string, commit: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const g = spawn("git", ["-C", repo, "archive", "--format=tar", commit], {
      env: ENV,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const t = spawn("tar", ["-x", "-C", dest], { stdio: ["pipe", "ignore", "pipe"] });
    let errors = "";
    g.stderr.on("data", (d) => {
      errors += d;
    });
    t.stderr.on("data", (d) => {
      errors += d;
    });
    g.stdout.pipe(t.stdin);
    let pending = 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new GitError(`${what} of ${commit} failed: ${errors.trim()}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    g.on("close", done("git archive"));
    t.on("close", done("tar -x"));
    g.on("error", reject);
    t.on("error", reject);
  });
}
