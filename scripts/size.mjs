// What a visitor downloads for the tracker: the script and its wasm, raw and
// gzip (level 9), plus the inline stub. `npm run size` prints it; the test
// suite checks the budget with the same numbers.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const WWW = fileURLToPath(new URL("../www/", import.meta.url));
// "12 KB" read strictly: 12,000 bytes; the stub under 1,000.
export const BUDGET = { totalGzip: 12_000, stubRaw: 1_000 };

/** @param {string} file */
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measure();
  const row = (/** @type {string} */ name, /** @type {{ raw: number, gzip: number }} */ s) => console.log(`${name.padEnd(34)} ${String(s.raw).padStart(7)} ${String(s.gzip).padStart(7)}`);
  console.log(`${"file".padEnd(34)} ${"raw".padStart(7)} ${"gzip".padStart(7)}`);
  row(m.js.file, m.js);
  row(m.wasm.file, m.wasm);
  row("total (what a visitor downloads)", m.total);
  row("inline stub (www/stub.js)", m.stub);
  const over = [];
  if (m.total.gzip > BUDGET.totalGzip) over.push(`total ${m.total.gzip} B gzip > ${BUDGET.totalGzip}`);
  if (m.stub.raw > BUDGET.stubRaw) over.push(`stub ${m.stub.raw} B > ${BUDGET.stubRaw}`);
  console.log(over.length ? `OVER BUDGET: ${over.join("; ")}` : `within budget (${BUDGET.totalGzip} B gzip in all, stub under ${BUDGET.stubRaw} B)`);
  process.exit(over.length ? 1 : 0);
}
