/**
 * A throw-away SSH server on 127.0.0.1 standing for a remote build machine: Debian's openssh-server
 * (scripts/setup.sh installs it) on a free port, with a host key and a user key made here, everything in
 * one temporary directory, and a client config (`ssh -F`) that trusts exactly that host key. `stop()`
 * ends the server and every process it started (sessions, the remote `nix-daemon --stdio`), by pid.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { join } from "node:path";

export const sshdPath = "/usr/sbin/sshd";
export const needSshd = existsSync(sshdPath)
  ? false
  : "openssh-server is not installed: run scripts/setup.sh";

export interface Sshd {
  port: number;
  /** The host alias of `sshConfig`. */
  host: string;
  /** `ssh -F FILE`: port, user root, the user key, the known host key. */
  sshConfig: string;
  userKey: string;
  log: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once("connect", () => {
      s.destroy();
      ok(true);
    });
    s.once("error", () => ok(false));
    s.once("timeout", () => {
      s.destroy();
      ok(false);
    });
    s.connect(port, "127.0.0.1");
  });
}

/** Every process below `pid` (children first found through /proc's parent ids), deepest last. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(name), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((ok) => {
    const timer = setTimeout(() => ok(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      ok(true);
    });
  });
}

/** Start sshd in `dir` (made by the caller, removed by the caller); resolves once it accepts connections. */
export async function startSshd(dir: string): Promise<Sshd> {
  const hostKey = join(dir, "host_ed25519");
  const userKey = join(dir, "user_ed25519");
  for (const key of [hostKey, userKey])
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "crateflake-test", "-f", key]);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${userKey}.pub`));
  const port = await freePort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      // the keys live in a temporary directory under /tmp (world-writable), which StrictModes refuses
      "StrictModes no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const host = "crateflake-builder";
  const sshConfig = join(dir, "ssh_config");
  const knownHosts = join(dir, "known_hosts");
  const [type, key] = readFileSync(`${hostKey}.pub`, "utf8").split(" ");
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${type} ${key}\n`);
  writeFileSync(
    sshConfig,
    [
      `Host ${host}`,
      "  HostName 127.0.0.1",
      `  Port ${port}`,
      "  User root",
      `  IdentityFile ${userKey}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${knownHosts}`,
      "  StrictHostKeyChecking yes",
      "  BatchMode yes",
      "  ConnectTimeout 10",
      "  ServerAliveInterval 15",
      "",
    ].join("\n"),
  );
  // sshd refuses to start without its privilege-separation directory (made by the package's service).
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const log = join(dir, "sshd.log");
  const child = spawn(sshdPath, ["-D", "-e", "-f", config], {
    stdio: ["ignore", "ignore", openSync(log, "a")],
  });
  const stop = async () => {
    if (child.pid === undefined) return;
    // the sessions first, while their parent ids still lead to this sshd
    const below = descendants(child.pid);
    for (const pid of below) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    child.kill("SIGTERM");
    if (!(await exited(child, 5000))) child.kill("SIGKILL");
    for (const pid of descendants(child.pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await accepts(port)) return { port, host, sshConfig, userKey, log, stop };
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await stop();
  throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${readFileSync(log, "utf8")}`);
}
