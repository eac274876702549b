// What a visitor downloads for the tracker, raw and gzip (level 9): without a
// referral only the loader, with one also the tracker script and the wasm; plus
// the inline stub and, beside them, the worker's wasm; and what an owner downloads before the
// dashboard runs. `npm run size` prints both; the test suite checks the
// budgets with the same numbers.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const WWW = fileURLToPath(new URL("../www/", import.meta.url));
const WORKER_WASM = fileURLToPath(new URL("../edge/build/index_bg.wasm", import.meta.url));
// "12 KB" read strictly: 12,000 bytes for a referred visitor in all; the
// loader, all a visitor without a referral downloads (issue 14), 3,000; the stub
// under 1,000; the dashboard's initial download "at most 60 KB gzip": 60,000 bytes.
// The participant widget (issue 12), at most 15 KB gzip: 15,000 bytes.
// The worker's wasm (issue 14), 150,000 gzip: printed, not yet enforced.
// The hosted results (issue 25, www/results.js, only on /r/<contestId>): 12,000.
export const BUDGET = { totalGzip: 12_000, loaderGzip: 3_000, stubRaw: 1_000, dashboardGzip: 60_000, widgetGzip: 15_000, resultsGzip: 12_000, workerGzip: 150_000 };

/** @param {string} file a path under www/ (or absolute) */
function sizes(file) {
  const bytes = readFileSync(file.startsWith("/") ? file : WWW + file);
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** The tracker: `loader` is all a visitor without a referral downloads;
 * `total` what a referred one does (loader, tracker script and wasm, each its
 * own response, so each gzipped on its own). */
export function measure() {
  const built = (/** @type {string} */ dir, /** @type {RegExp} */ re) => {
    const file = existsSync(WWW + dir) ? readdirSync(WWW + dir).find((f) => re.test(f)) : undefined;
    if (!file) throw new Error(`no built ${re} in www/${dir}: run npm run build`);
    return sizes(dir + file);
  };
  const loader = sizes("referral-tracker.js");
  const js = built("referral-tracker/", /^[0-9a-f]{12}\.js$/);
  const wasm = built("", /^referral-tracker\.[0-9a-f]{12}\.wasm$/);
  const stub = sizes("stub.js");
  const parts = [loader, js, wasm];
  return {
    loader,
    js,
    wasm,
    stub,
    total: { raw: parts.reduce((s, p) => s + p.raw, 0), gzip: parts.reduce((s, p) => s + p.gzip, 0) },
  };
}

/** The worker's wasm (edge/build, written by the worker's build), or null when
 * it is not built. */
export function measureWorker() {
  return existsSync(WORKER_WASM) ? sizes(WORKER_WASM) : null;
}

/** The dashboard's initial download: its page, the scripts and styles the page
 * names, and the modules those import statically (a module imported with
 * `import()`, such as a chart loaded with its page, is not initial). Each file
 * is its own response, so each is gzipped on its own. `lazy`: the other
 * scripts of the build, the chunks loaded later. */
export function measureDashboard() {
  if (!existsSync(WWW + "dashboard/index.html")) throw new Error("no built dashboard in www/dashboard/: run npm run build");
  const files = ["dashboard/index.html"];
  for (let i = 0; i < files.length; i++) {
    const file = /** @type {string} */ (files[i]);
    const text = readFileSync(WWW + file, "utf8");
    /** @type {string[]} */
    const refs = [];
    if (file.endsWith(".html")) {
      for (const m of text.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="\/([^"]+)"/g)) refs.push(/** @type {string} */ (m[1]));
    } else if (file.endsWith(".js")) {
      for (const m of text.matchAll(/\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
        refs.push(posix.join(posix.dirname(file), /** @type {string} */ (m[1])));
      }
    }
    for (const ref of refs) if (!files.includes(ref)) files.push(ref);
  }
  const parts = files.map(sizes);
  // Everything else the build wrote: chunks fetched with import() when a page
  // needs them (the overview's chart), shown but not counted.
  const lazy = readdirSync(WWW + "dashboard")
    .map((f) => `dashboard/${f}`)
    .filter((f) => f.endsWith(".js") && !files.includes(f))
    .sort()
    .map(sizes);
  return {
    files: parts,
    total: { raw: parts.reduce((s, p) => s + p.raw, 0), gzip: parts.reduce((s, p) => s + p.gzip, 0) },
    lazy,
  };
}

/** The participant widget, www/widget.js: one file, all a host page loads. */
export function measureWidget() {
  if (!existsSync(WWW + "widget.js")) throw new Error("no built widget in www/: run npm run build");
  return sizes("widget.js");
}

/** The hosted results, www/results.js: the hosted page's second script. */
export function measureResults() {
  if (!existsSync(WWW + "results.js")) throw new Error("no built results.js in www/: run npm run build");
  return sizes("results.js");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measure();
  const d = measureDashboard();
  const W = 48;
  const row = (/** @type {string} */ name, /** @type {{ raw: number, gzip: number }} */ s) => console.log(`${name.padEnd(W)} ${String(s.raw).padStart(7)} ${String(s.gzip).padStart(7)}`);
  console.log(`${"tracker".padEnd(W)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  row(`${m.loader.file} (no referral: all)`, m.loader);
  row(`${m.js.file} (referred)`, m.js);
  row(`${m.wasm.file} (referred)`, m.wasm);
  row("total (what a referred visitor downloads)", m.total);
  row("inline stub (www/stub.js)", m.stub);
  const k = measureWorker();
  console.log(`\n${"worker".padEnd(W)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  if (k) row(`edge/build/index_bg.wasm (budget ${BUDGET.workerGzip} gzip)`, k);
  else console.log("edge/build/index_bg.wasm is not built (npm run build builds it): not measured");
  console.log(`\n${"dashboard".padEnd(W)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  for (const f of d.files) row(f.file, f);
  row("total (initial download)", d.total);
  if (d.lazy.length) console.log("loaded later, with the page that needs it (not initial):");
  for (const f of d.lazy) row(`  ${f.file}`, f);
  const w = measureWidget();
  console.log(`\n${"participant widget".padEnd(W)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  row(w.file, w);
  const res = measureResults();
  console.log(`\n${"hosted results (/r/<contestId>)".padEnd(W)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  row(res.file, res);
  const over = [];
  if (m.loader.gzip > BUDGET.loaderGzip) over.push(`tracker loader ${m.loader.gzip} B gzip > ${BUDGET.loaderGzip}`);
  if (m.total.gzip > BUDGET.totalGzip) over.push(`tracker ${m.total.gzip} B gzip > ${BUDGET.totalGzip}`);
  if (m.stub.raw > BUDGET.stubRaw) over.push(`stub ${m.stub.raw} B > ${BUDGET.stubRaw}`);
  if (d.total.gzip > BUDGET.dashboardGzip) over.push(`dashboard ${d.total.gzip} B gzip > ${BUDGET.dashboardGzip}`);
  if (w.gzip > BUDGET.widgetGzip) over.push(`widget ${w.gzip} B gzip > ${BUDGET.widgetGzip}`);
  if (res.gzip > BUDGET.resultsGzip) over.push(`results ${res.gzip} B gzip > ${BUDGET.resultsGzip}`);
  console.log(
    over.length
      ? `\nOVER BUDGET: ${over.join("; ")}`
      : `\nwithin budget (tracker loader ${BUDGET.loaderGzip} B gzip, referred ${BUDGET.totalGzip} B gzip in all, stub under ${BUDGET.stubRaw} B, dashboard ${BUDGET.dashboardGzip} B gzip initial, widget ${BUDGET.widgetGzip} B gzip, results ${BUDGET.resultsGzip} B gzip)`,
  );
  // The worker's budget is shown, not enforced yet: it is being cut (issue 14).
  if (k && k.gzip > BUDGET.workerGzip) console.log(`worker OVER BUDGET (not enforced yet): ${k.gzip} B gzip > ${BUDGET.workerGzip}`);
  else if (k) console.log(`worker within budget: ${k.gzip} B gzip <= ${BUDGET.workerGzip}`);
  process.exit(over.length ? 1 : 0);
}
