// `npm run deploy` ships what `wrangler deploy` builds; a dry run checks that
// bundle without the network: the worker, its wasm, the D1 binding, the assets.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "./stack.mjs";

test("wrangler deploy --dry-run bundles the worker with its D1 binding and assets", () => {
  const outdir = mkdtempSync(join(tmpdir(), "rocket-deploy-"));
  try {
    const out = execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.match(out, /env\.DB \(rocket-tracker\)/);
    assert.match(out, /--dry-run: exiting now/);
    const files = readdirSync(outdir);
    assert.ok(files.includes("index.js"), `bundle has index.js: ${files}`);
    const wasm = files.find((f) => f.endsWith(".wasm"));
    assert.ok(wasm, `bundle has the worker's wasm: ${files}`);
    assert.ok(statSync(join(outdir, wasm)).size > 10_000);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
