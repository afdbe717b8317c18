/**
 * Test fixtures for downloads: `.crate` archives built in memory, and a local HTTP registry on 127.0.0.1
 * (random port) serving a sparse index's config.json and the archives, with scripted misbehaviour per
 * request (404, 500, a connection closed mid-transfer, a tampered body, a slow response).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";

export async function makeCrate(
  name: string,
  version: string,
  files: Record<string, string>,
): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => p.on("end", () => resolve()));
  for (const [path, content] of Object.entries(files)) {
    p.entry({ name: `${name}-${version}/${path}`, mode: 0o644 }, content);
  }
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export function manifest(name: string, version: string): string {
  return `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n`;
}

export type Behaviour = "ok" | "404" | "500" | "cut" | "tamper" | "slow";

export interface CrateServer {
  url: string;
  /** Every request path, in order. */
  requests: string[];
  /** The most requests in flight at once. */
  maxInFlight: number;
  /** Files served by path (e.g. `/dl/foo/1.0.0`). */
  files: Map<string, Buffer>;
  /** What the next requests of a path do, consumed in order; then "ok". */
  script: Map<string, Behaviour[]>;
  close(): Promise<void>;
}

export async function startCrateServer(dl: (base: string) => string): Promise<CrateServer> {
  let inFlight = 0;
  const state = {
    url: "",
    requests: [] as string[],
    maxInFlight: 0,
    files: new Map<string, Buffer>(),
    script: new Map<string, Behaviour[]>(),
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    state.requests.push(path);
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on("close", () => {
      inFlight--;
    });
    if (path === "/index/config.json") {
      res.end(JSON.stringify({ dl: dl(state.url) }));
      return;
    }
    const behaviour = state.script.get(path)?.shift() ?? "ok";
    const body = state.files.get(path);
    if (!body || behaviour === "404") {
      res.writeHead(404).end("not found");
      return;
    }
    if (behaviour === "500") {
      res.writeHead(500).end("oops");
      return;
    }
    res.writeHead(200, { "content-length": body.length, "content-type": "application/gzip" });
    if (behaviour === "cut") {
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      return;
    }
    if (behaviour === "tamper") {
      const bad = Buffer.from(body);
      bad[bad.length - 1] ^= 0xff;
      res.end(bad);
      return;
    }
    if (behaviour === "slow") {
      setTimeout(() => res.end(body), 60);
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as CrateServer;
}
