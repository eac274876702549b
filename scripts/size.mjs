// What a visitor downloads for the tracker: the script and its wasm, raw and
// gzip (level 9), plus the inline stub; and what an owner downloads before the
// dashboard runs. `npm run size` prints both; the test suite checks the
// budgets with the same numbers.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const WWW = fileURLToPath(new URL("../www/", import.meta.url));
// "12 KB" read strictly: 12,000 bytes; the stub under 1,000; the dashboard's
// initial download "at most 60 KB gzip": 60,000 bytes.
// The participant widget (issue 12), at most 15 KB gzip: 15,000 bytes.
export const BUDGET = { totalGzip: 12_000, stubRaw: 1_000, dashboardGzip: 60_000, widgetGzip: 15_000 };

/** @param {string} file a path under www/ */
function sizes(file) {
  const bytes = readFileSync(WWW + file);
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export function measure() {
  const wasm = readdirSync(WWW).find((f) => /^referral-tracker\.[0-9a-f]+\.wasm$/.test(f));
  if (!wasm) throw new Error("no built tracker wasm in www/: run npm run build");
  const js = sizes("referral-tracker.js");
  const bin = sizes(wasm);
  const stub = sizes("stub.js");
  return { js, wasm: bin, stub, total: { raw: js.raw + bin.raw, gzip: js.gzip + bin.gzip } };
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measure();
  const d = measureDashboard();
  const row = (/** @type {string} */ name, /** @type {{ raw: number, gzip: number }} */ s) => console.log(`${name.padEnd(40)} ${String(s.raw).padStart(7)} ${String(s.gzip).padStart(7)}`);
  console.log(`${"tracker".padEnd(40)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  row(m.js.file, m.js);
  row(m.wasm.file, m.wasm);
  row("total (what a visitor downloads)", m.total);
  row("inline stub (www/stub.js)", m.stub);
  console.log(`\n${"dashboard".padEnd(40)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  for (const f of d.files) row(f.file, f);
  row("total (initial download)", d.total);
  if (d.lazy.length) console.log("loaded later, with the page that needs it (not initial):");
  for (const f of d.lazy) row(`  ${f.file}`, f);
  const w = measureWidget();
  console.log(`\n${"participant widget".padEnd(40)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  row(w.file, w);
  const over = [];
  if (m.total.gzip > BUDGET.totalGzip) over.push(`tracker ${m.total.gzip} B gzip > ${BUDGET.totalGzip}`);
  if (m.stub.raw > BUDGET.stubRaw) over.push(`stub ${m.stub.raw} B > ${BUDGET.stubRaw}`);
  if (d.total.gzip > BUDGET.dashboardGzip) over.push(`dashboard ${d.total.gzip} B gzip > ${BUDGET.dashboardGzip}`);
  if (w.gzip > BUDGET.widgetGzip) over.push(`widget ${w.gzip} B gzip > ${BUDGET.widgetGzip}`);
  console.log(
    over.length
      ? `\nOVER BUDGET: ${over.join("; ")}`
      : `\nwithin budget (tracker ${BUDGET.totalGzip} B gzip in all, stub under ${BUDGET.stubRaw} B, dashboard ${BUDGET.dashboardGzip} B gzip initial, widget ${BUDGET.widgetGzip} B gzip)`,
  );
  process.exit(over.length ? 1 : 0);
}
