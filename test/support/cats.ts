/** What a user checks of the cats sample's outputs: the binary's line against a local server, the .wasm's exports. */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const CAT_LINE = "There's a cat at https://cats.example/tabby.jpg\n";

/** Run a program with CATS_URL pointing at a server on 127.0.0.1 that serves one cat. */
export async function runWithCatServer(program: string, args: string[] = []) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify([{ url: "https://cats.example/tabby.jpg" }]));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cats.json`;
  try {
    return await new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => {
      const child = spawn(program, args, { env: { ...process.env, CATS_URL: url } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("exit", (code) => ok({ code, stdout, stderr }));
    });
  } finally {
    server.close();
  }
}

/** The names a `.wasm` file exports, as Node's WebAssembly API sees them. */
export function wasmExports(bytes: Uint8Array): string[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(new Uint8Array(bytes))).map((e) => e.name);
}
