/**
 * The graph page in a real browser (Debian's chromium, driven by playwright-core): it loads with no
 * console errors and no network requests, draws every unit of the cats sample's wasm build, the search
 * finds a crate and selecting it fills the side panel with its features and its paths from the roots; with
 * `--changes`, an edit of cats highlights cats and its dependents with their causes, per output.
 * Leaves screenshots under test-output/. Needs scripts/install-browser.sh (called by scripts/setup.sh).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
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

test("graph --changes: an edit of cats highlights cats and its dependents with their causes", {
  skip,
}, async () => {
  const dir = join(tempDir("graph-changes-page"), "cats-ws");
  cpSync(join(catsSampleDir(), "cats-ws"), dir, { recursive: true });
  assert.equal(runCli(["init", "--quiet", dir]).code, 0);
  const git = (args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], { cwd: dir });
  git(["init", "--quiet", "."]);
  git(["add", "-A"]);
  git(["commit", "--quiet", "-m", "base"]);
  appendFileSync(join(dir, "cats/src/lib.rs"), "\npub fn meow() -> u8 { 1 }\n");
  const html = join(dir, "changes.html");
  const r = runCli(["graph", "--changes", "-o", html], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const p = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  p.on("pageerror", (e) => pageErrors.push(e.message));
  await p.goto(pathToFileURL(html).href, { waitUntil: "load" });
  const rebuilt = () =>
    p
      .locator("svg#graph .node.rebuilds")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-name")).sort());
  assert.deepEqual(await rebuilt(), ["app", "cats"]);
  assert.match((await p.textContent("#counts")) ?? "", /; 2 rebuild against HEAD$/);
  // Before any selection the panel lists them, each with its cause.
  assert.deepEqual((await p.locator("#rebuild-list li").allTextContents()).sort(), [
    "app 0.1.0 (bin): rebuilt below: cats",
    "cats 0.1.0: source edited: src/lib.rs",
  ]);
  // A rebuilt unit is drawn in the rebuild colour, an unchanged one in its source kind's.
  const fill = (name: string) =>
    p
      .locator(`svg#graph .node[data-name="${name}"] rect`)
      .first()
      .evaluate((e) => getComputedStyle(e).fill);
  assert.equal(await fill("cats"), "rgb(255, 226, 214)");
  assert.equal(await fill("serde"), "rgb(219, 233, 251)");
  await p.locator("#rebuild-list button", { hasText: /^cats / }).click();
  assert.match((await p.textContent("#panel-title")) ?? "", /^cats 0\.1\.0$/);
  assert.match(
    (await p.textContent("#panel-rebuild")) ?? "",
    /Rebuilds against HEAD because\s*source edited: src\/lib\.rs/,
  );
  await p.fill("#search", "serde");
  await p.press("#search", "Enter");
  assert.match((await p.textContent("#panel-title")) ?? "", /^serde /);
  assert.equal(await p.locator('svg#graph .node.rebuilds[data-name="serde"]').count(), 0);
  assert.equal((await p.textContent("#panel-rebuild")) ?? "", "Not rebuilt against HEAD.");
  await p.screenshot({ path: join(outDir, "graph-changes-app.png") });
  // The output switch keeps working: wasm's own rebuilds.
  await p.selectOption("#output", "1");
  assert.deepEqual(await rebuilt(), ["cats", "wasm"]);
  await p.locator("#rebuild-list button", { hasText: /^wasm / }).click();
  assert.match((await p.textContent("#panel-rebuild")) ?? "", /rebuilt below: cats/);
  assert.deepEqual(pageErrors, []);
  await p.close();
});
