// Serves `[{"url": ...}]` on 127.0.0.1 and runs the given program with CATS_URL pointing at it.
// usage: node scripts/cats-server.mjs PROGRAM [ARGS...]
import { spawn } from "node:child_process";
import { createServer } from "node:http";

const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify([{ url: "https://cats.example/tabby.jpg" }]));
});
server.listen(0, "127.0.0.1", () => {
  const url = `http://127.0.0.1:${server.address().port}/cats.json`;
  const child = spawn(process.argv[2], process.argv.slice(3), {
    stdio: "inherit",
    env: { ...process.env, CATS_URL: url },
  });
  child.on("exit", (code) => {
    server.close();
    process.exitCode = code ?? 1;
  });
});
