// The tracker's byte budget (issue 5): 12 KB gzip for a referred visitor in all,
// stub under 1 KB; 3 KB gzip for the loader, all a visitor without a referral
// downloads (issue 14; test/e2e/tracker-lazy.test.mjs counts it in Chromium);
// the dashboard's initial download (issue 11): 60 KB gzip, the chart's uPlot
// not in it.
// Sizes are deterministic for a build, so this is a plain check, not a benchmark.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BUDGET, measure, measureDashboard, measureResults, measureWidget } from "../../scripts/size.mjs";

test("the tracker fits its byte budgets: the loader alone, and a referred visitor's download in all", () => {
  const m = measure();
  assert.ok(m.loader.gzip <= BUDGET.loaderGzip, `loader = ${m.loader.gzip} B gzip, budget ${BUDGET.loaderGzip}`);
  assert.ok(m.total.gzip <= BUDGET.totalGzip, `loader + script + wasm = ${m.total.gzip} B gzip, budget ${BUDGET.totalGzip}`);
  assert.ok(m.stub.raw <= BUDGET.stubRaw, `stub = ${m.stub.raw} B, budget ${BUDGET.stubRaw}`);
});

test("the dashboard's initial download fits its budget: 60 KB gzip", () => {
  const d = measureDashboard();
  const names = d.files.map((f) => f.file);
  // The page, its script and its styles at least: a measure that found no script measures nothing.
  assert.ok(names.some((f) => /^dashboard\/app\.[A-Z0-9]+\.js$/.test(f)), `measured ${names}`);
  assert.ok(names.some((f) => /^dashboard\/app\.[A-Z0-9]+\.css$/.test(f)), `measured ${names}`);
  assert.ok(d.total.gzip <= BUDGET.dashboardGzip, `dashboard = ${d.total.gzip} B gzip, budget ${BUDGET.dashboardGzip}`);
});

test("the participant widget fits its budget: 15 KB gzip", () => {
  const w = measureWidget();
  assert.ok(w.raw > 0, "a built widget.js");
  assert.ok(w.gzip <= BUDGET.widgetGzip, `widget.js = ${w.gzip} B gzip, budget ${BUDGET.widgetGzip}`);
});

test("the hosted results fit their budget: 12 KB gzip, and none of them is in the widget", async () => {
  const { readFileSync } = await import("node:fs");
  const r = measureResults();
  assert.ok(r.raw > 0, "a built results.js");
  assert.ok(r.gzip <= BUDGET.resultsGzip, `results.js = ${r.gzip} B gzip, budget ${BUDGET.resultsGzip}`);
  // The verifier's HMAC label is in results.js only: sites embedding the widget do not pay for it.
  const text = (/** @type {string} */ f) => readFileSync(new URL(`../../www/${f}`, import.meta.url), "utf8");
  assert.ok(text("results.js").includes("rocket-draw"));
  assert.ok(!text("widget.js").includes("rocket-draw"));
});

test("uPlot is not in the dashboard's initial download: it comes in a chunk loaded with the overview", async () => {
  const { readFileSync } = await import("node:fs");
  const www = new URL("../../www/", import.meta.url);
  const d = measureDashboard();
  // A script holding a string of uPlot's own code (the class of its plot area;
  // app.css styles that class too, so only scripts are read).
  const isUplot = (/** @type {string} */ file) => file.endsWith(".js") && readFileSync(new URL(file, www), "utf8").includes("u-wrap");
  assert.deepEqual(d.files.map((f) => f.file).filter(isUplot), [], "no initial file holds uPlot");
  const chunks = d.lazy.map((f) => f.file).filter(isUplot);
  assert.equal(chunks.length, 1, `one lazy chunk holds uPlot: ${d.lazy.map((f) => f.file)}`);
  assert.match(/** @type {string} */ (chunks[0]), /^dashboard\/chunk\.[A-Z0-9]+\.js$/);
  // And the initial script names it only through import().
  const app = d.files.find((f) => /^dashboard\/app\.[A-Z0-9]+\.js$/.test(f.file));
  const text = readFileSync(new URL(/** @type {{ file: string }} */ (app).file, www), "utf8");
  assert.ok(text.includes(`import("./${/** @type {string} */ (chunks[0]).slice("dashboard/".length)}")`), "loaded with import()");
});

test("the demo page's inline stub is the documented one", async () => {
  const { readFileSync } = await import("node:fs");
  const www = new URL("../../www/", import.meta.url);
  const stub = readFileSync(new URL("stub.js", www), "utf8").trim();
  assert.ok(readFileSync(new URL("index.html", www), "utf8").includes(`<script>${stub}</script>`));
});

test("the static site's Content-Security-Policy allows exactly the documented inline stub", async () => {
  const { readFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const www = new URL("../../www/", import.meta.url);
  const stub = readFileSync(new URL("stub.js", www), "utf8").trim();
  const hash = createHash("sha256").update(stub).digest("base64");
  const headers = readFileSync(new URL("_headers", www), "utf8");
  assert.ok(headers.includes(`'sha256-${hash}'`), "the CSP names the stub's hash");
  // Only the stub is inline on our pages; everything else comes from files.
  const page = readFileSync(new URL("index.html", www), "utf8");
  const inline = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.deepEqual(inline, [stub]);
});
