/**
 * The graph page in a real browser (Debian's chromium, driven by playwright-core): it loads with no
 * console errors and no network requests, draws every unit of the cats sample's wasm build, the search
 * finds a crate and selecting it fills the side panel with its features and its paths from the roots.
 * Leaves screenshots under test-output/. Needs scripts/install-browser.sh (called by scripts/setup.sh).
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { runCli } from "../support/cli.ts";
import { cargoUnitGraph, catsSampleDir, needCargo, needRegistry, repoRoot, tempDir } from "../support/env.ts";

const CHROMIUM = process.env.CRATEFLAKE_CHROMIUM ?? "/usr/bin/chromium";
const needBrowser = existsSync(CHROMIUM)
  ? false
  : `no chromium at ${CHROMIUM}: run scripts/install-browser.sh`;
const skip = needBrowser || needRegistry || needCargo;
const W = "wasm32-unknown-unknown";
const outDir = join(repoRoot, "test-output");

let browser: Browser | undefined;
let page: Page;
let units: { pkg_id: string }[] = [];
const errors: string[] = [];
const requests: string[] = [];

before(async () => {
  if (skip) return;
  const ws = join(catsSampleDir(), "cats-ws");
  const graph = cargoUnitGraph(join(ws, "Cargo.toml"), ["--target", W]) as { units: { pkg_id: string }[] };
  units = graph.units;
  const dir = tempDir("graph-html");
  const graphFile = join(dir, "wasm.json");
  writeFileSync(graphFile, JSON.stringify(graph));
  const html = join(dir, "wasm.html");
  const r = runCli([
    "graph",
    "--unit-graph",
    graphFile,
    "--manifest-path",
    join(ws, "Cargo.toml"),
    "--format",
    "html",
    "-o",
    html,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("request", (req) => requests.push(req.url()));
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
  mkdirSync(outDir, { recursive: true });
});

after(async () => {
  await browser?.close();
});

test("the page loads without console errors or network requests and draws every unit", { skip }, async () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(
    requests.filter((u) => !u.startsWith("file://")),
    [],
    "a self-contained page asks for nothing",
  );
  assert.equal(await page.locator("svg#graph .node").count(), units.length);
  assert.equal(
    await page.locator("svg#graph .edge").count(),
    await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("graph-data")!.textContent!);
      return data[0].model.edges.length;
    }),
  );
  for (const name of ["app", "cats", "wasm", "reqwest", "serde", "wasm-bindgen", "js-sys"]) {
    assert.ok((await page.locator(`.node[data-name="${name}"]`).count()) > 0, `${name} is drawn`);
  }
  assert.equal(
    await page.locator(`.node[data-name="openssl-sys"]`).count(),
    0,
    "no openssl-sys in the wasm build",
  );
  // Host units (proc-macros and their dependencies) are told apart from target units.
  assert.ok((await page.locator(".node.side-host").count()) > 0);
  assert.equal(await page.locator('.node.side-host[data-name="wasm-bindgen-macro"]').count(), 1);
  await page.screenshot({ path: join(outDir, "graph-wasm.png") });
});

test("search highlights a crate, Enter selects it, and the side panel explains it", { skip }, async () => {
  await page.fill("#search", "reqw");
  assert.equal(await page.textContent("#search-status"), "1 match");
  assert.equal(await page.locator(".node.match").count(), 1);
  assert.equal(await page.getAttribute(".node.match", "data-name"), "reqwest");
  await page.press("#search", "Enter");
  assert.match((await page.textContent("#panel-title")) ?? "", /^reqwest 0\.11\.\d+$/);
  assert.equal(await page.getAttribute(".node.selected", "data-name"), "reqwest");
  const features = await page.locator("#panel-features .feature").allTextContents();
  assert.ok(features.includes("json"), features.join());
  const paths = (await page.locator("#panel-why li.path").allTextContents()).sort();
  assert.deepEqual(
    paths.map((p) => p.replace(/ \d+\.\d+\.\d+/g, "")),
    ["app (bin) → cats → reqwest", "cats → reqwest", "wasm → cats → reqwest"],
  );
  assert.match((await page.textContent("#panel-why")) ?? "", /As a target unit: 3 paths from the roots/);
  // A feature's chip tells what turned it on.
  await page.locator("#panel-features .feature", { hasText: /^json$/ }).click();
  assert.match(
    (await page.textContent("#feature-causes")) ?? "",
    /cats 0\.1\.0 depends on reqwest with this feature/,
  );
  // The edges of those paths are highlighted.
  assert.ok((await page.locator(".edge.on-path").count()) >= 3);
  await page.screenshot({ path: join(outDir, "graph-wasm-reqwest.png") });
});

test("a flake's page switches between its outputs: tokio is in app, not in wasm", { skip }, async () => {
  const dir = join(tempDir("graph-outputs"), "cats-ws");
  cpSync(join(catsSampleDir(), "cats-ws"), dir, { recursive: true });
  assert.equal(runCli(["init", "--quiet", dir]).code, 0);
  const html = join(dir, "outputs.html");
  const r = runCli(["graph", "-o", html], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const p = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  p.on("pageerror", (e) => pageErrors.push(e.message));
  await p.goto(pathToFileURL(html).href, { waitUntil: "load" });
  const counts = await p.evaluate(() =>
    JSON.parse(document.getElementById("graph-data")!.textContent!).map(
      (v: { model: { nodes: unknown[] } }) => v.model.nodes.length,
    ),
  );
  assert.deepEqual(await p.locator("#output option").allTextContents(), [
    "app (x86_64-linux, for x86_64-unknown-linux-gnu)",
    "wasm (x86_64-linux, for wasm32-unknown-unknown)",
  ]);
  assert.equal(await p.locator("svg#graph .node").count(), counts[0]);
  assert.ok((await p.locator('svg#graph .node[data-name="tokio"]').count()) > 0);
  await p.selectOption("#output", "1");
  assert.equal(await p.locator("svg#graph .node").count(), counts[1]);
  assert.equal(await p.locator('svg#graph .node[data-name="tokio"]').count(), 0);
  assert.match((await p.textContent("#counts")) ?? "", new RegExp(`^${counts[1]} units`));
  await p.fill("#search", "js-sys");
  await p.press("#search", "Enter");
  assert.match((await p.textContent("#panel-title")) ?? "", /^js-sys /);
  assert.match((await p.textContent("#panel-why")) ?? "", /wasm/);
  await p.screenshot({ path: join(outDir, "graph-outputs-wasm.png") });
  await p.selectOption("#output", "0");
  assert.ok((await p.locator('svg#graph .node[data-name="tokio"]').count()) > 0);
  assert.deepEqual(pageErrors, []);
  await p.close();
});

test("clicking a link in the panel selects that crate", { skip }, async () => {
  await page
    .locator("#panel-why li.path button", { hasText: /^cats / })
    .first()
    .click();
  assert.match((await page.textContent("#panel-title")) ?? "", /^cats 0\.1\.0$/);
  assert.match((await page.textContent("#panel")) ?? "", /It is a root: the build asked for it\./);
  await page.fill("#search", "wasm-bindgen-macro");
  await page.press("#search", "Enter");
  assert.match(
    (await page.textContent("#panel-title")) ?? "",
    /^wasm-bindgen-macro 0\.2\.\d+ \(proc-macro\)$/,
  );
  assert.match((await page.textContent("#panel-why")) ?? "", /As a host unit \(build scripts, proc-macros\)/);
  assert.deepEqual(errors, []);
});
