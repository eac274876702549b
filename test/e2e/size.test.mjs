// The tracker's byte budget (issue 5): 12 KB gzip for script + wasm, stub under 1 KB.
// Sizes are deterministic for a build, so this is a plain check, not a benchmark.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BUDGET, measure } from "../../scripts/size.mjs";

test("the tracker fits its byte budget", () => {
  const m = measure();
  assert.ok(m.total.gzip <= BUDGET.totalGzip, `script + wasm = ${m.total.gzip} B gzip, budget ${BUDGET.totalGzip}`);
  assert.ok(m.stub.raw <= BUDGET.stubRaw, `stub = ${m.stub.raw} B, budget ${BUDGET.stubRaw}`);
});

test("the demo page's inline stub is the documented one", async () => {
  const { readFileSync } = await import("node:fs");
  const www = new URL("../../www/", import.meta.url);
  const stub = readFileSync(new URL("stub.js", www), "utf8").trim();
  assert.ok(readFileSync(new URL("index.html", www), "utf8").includes(`<script>${stub}</script>`));
});
