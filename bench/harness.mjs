// What the benchmarks share: one workerd (Miniflare, no wrangler proxy) running
// the built worker with the bindings of wrangler.toml, next to two plain
// JavaScript workers that give the floors (a constant route, and one
// `SELECT 1` through the SAME D1 database), a load loop that records every
// request's latency, and the printing of results.
//
// The worker's Miniflare options are read from wrangler.toml by wrangler's own
// reader (`unstable_getMiniflareWorkerOptions`), so a queue, variable or other
// binding added there is configured here too; OVERRIDES holds what the bench
// changes, one line each.
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { seedSql } from "../scripts/demo.mjs";

export const ROOT = new URL("..", import.meta.url).pathname;
export const SECONDS = Number(process.env.BENCH_SECONDS || 3);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const COMPATIBILITY_DATE = "2026-11-01";

/** @typedef {import("miniflare").V4WorkerOptions} WorkerOptions */

/** @type {string | undefined} */
let snapshot;
/** When the copied build was made (edge/build's wasm's modification time). */
let snapshotBuilt = new Date(0);

/** A copy of the built worker (edge/build/index.js and index_bg.wasm) taken
 * once per process, so a rebuild running meanwhile cannot hand the bench half
 * a file: copied when both files have not changed for a second and the wasm
 * validates; retried for up to a minute.
 * @returns {Promise<string>} the directory holding the copy */
export async function builtWorker() {
  if (snapshot) return snapshot;
  const files = ["index.js", "index_bg.wasm"].map((f) => `${ROOT}edge/build/${f}`);
  const stamp = () => files.map((f) => `${statSync(f).size}:${statSync(f).mtimeMs}`).join(" ");
  for (let attempt = 0; attempt < 60; attempt++) {
    const before = stamp();
    await sleep(1000);
    if (stamp() !== before) continue;
    const dir = mkdtempSync(`${tmpdir()}/rocket-bench-build-`);
    for (const f of files) copyFileSync(f, `${dir}/${f.slice(f.lastIndexOf("/") + 1)}`);
    if (stamp() === before && WebAssembly.validate(readFileSync(`${dir}/index_bg.wasm`))) {
      process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
      snapshotBuilt = statSync(files[1]).mtime;
      return (snapshot = dir);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error("edge/build kept changing (or its wasm does not validate): build the worker first");
}

/** What the bench changes from wrangler.toml. Object-valued options are merged
 * key by key into what wrangler.toml gives (a binding here wins over the
 * file's), so adding or changing one binding is one line. Everything not named
 * here (queue producers and consumers, vars, D1, crons...) is taken from the
 * file as is, so the worker runs as deployed. Rate limits are the exception
 * below: every binding of the file is kept, with a limit no loop reaches. */
const OVERRIDES = {
  // Secrets (wrangler would take .dev.vars'; the bench uses its own).
  bindings: { ADMIN_TOKEN: "bench-admin-token-0123456789abcdef0123", IP_HASH_KEY: "bench-ip-hash-key-0123456789" },
  // e.g. were a queue not (yet) in wrangler.toml:
  // queueProducers: { VISITS: { queueName: "rocket-visits" } },
  // queueConsumers: { "rocket-visits": { maxBatchSize: 100, maxBatchTimeout: 1 } },
};

/** What was measured: the built worker's wasm size and build time. */
export async function describeBuild() {
  const wasm = statSync(`${await builtWorker()}/index_bg.wasm`);
  const built = snapshotBuilt.toISOString().slice(0, 16).replace("T", " ");
  return `worker: edge/build/index_bg.wasm ${wasm.size.toLocaleString("en-US")} B, built ${built} UTC`;
}

/** The worker's options from wrangler.toml, with OVERRIDES applied and the
 * static assets left out (Workers Static Assets answer before the worker and
 * only `/api/*` reaches it: the bench measures the worker, as the floors do).
 * @returns {Promise<WorkerOptions>} */
async function rocketWorker() {
  process.env.WRANGLER_LOG ??= "error"; // not "Using secrets defined in .dev.vars"
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(`${ROOT}wrangler.toml`);
  const { assets: _assets, ...fromToml } = workerOptions;
  const build = await builtWorker();
  /** @type {Record<string, unknown>} */
  const merged = { ...fromToml };
  for (const [key, value] of Object.entries(OVERRIDES)) {
    merged[key] = { .../** @type {Record<string, unknown>} */ (merged[key] ?? {}), ...value };
  }
  // The real rate-limit bindings, with limits no benchmark loop reaches: their cost is measured, not their refusals.
  merged.ratelimits = Object.fromEntries(
    Object.entries(fromToml.ratelimits ?? {}).map(([name, rl]) => [name, { ...rl, simple: { limit: 1_000_000_000, period: 60 } }]),
  );
  return {
    .../** @type {WorkerOptions} */ (merged),
    name: "rocket",
    modulesRoot: build,
    modules: [
      { type: "ESModule", path: `${build}/index.js` },
      { type: "CompiledWasm", path: `${build}/index_bg.wasm` },
    ],
  };
}

/** The answer of our worker's constant route, from plain JavaScript. */
export const HELLO_WORKER = `export default {
  fetch() { return Response.json({ success: false, error: "Not found" }, { status: 404 }); },
};`;

/** One D1 round trip and nothing else; `/check` tells whether it sees the
 * worker's database (its tables). */
const D1_FLOOR_WORKER = `export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname.endsWith("/check")) {
      return Response.json(await env.DB.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'entries'").first());
    }
    return Response.json(await env.DB.prepare("SELECT 1 AS one").first());
  },
};`;

/** What the worker's other platform calls cost locally: one `.limit()` of a
 * Rate Limiting binding, and one Cache API lookup (a hit after the first).
 * Miniflare emulates both with Durable Objects, so locally each is a round
 * trip of its own, where on Cloudflare they are served in the data centre. */
const PLATFORM_FLOOR_WORKER = `export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname.startsWith("/__bench/rl/")) {
      const { success } = await env.RL.limit({ key: "bench" });
      return Response.json({ success });
    }
    const key = "https://cache.bench.invalid/answer";
    let hit = await caches.default.match(key);
    if (!hit) await caches.default.put(key, Response.json({ cached: true }, { headers: { "cache-control": "public, max-age=3600" } }));
    return Response.json({ hit: Boolean(hit) });
  },
};`;

/** Path prefixes of the floor workers (Miniflare routes them; everything else
 * goes to our worker). */
export const FLOOR_JS = "/__bench/js/";
export const FLOOR_D1 = "/__bench/d1/";
export const FLOOR_RATELIMIT = "/__bench/rl/";
export const FLOOR_CACHE = "/__bench/cache/";

/** The statements of the seed's SQL text (comment lines dropped first: they
 * hold semicolons). The migrations, whose triggers hold `;` inside
 * BEGIN...END, are split by wrangler's own reader instead.
 * @param {string} sql */
function statements(sql) {
  return sql
    .split("\n")
    .filter((l) => !l.trim().startsWith("--"))
    .join("\n")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One workerd with our worker and the two floor workers sharing its D1
 * database (same binding id); migrations and the demo seed applied.
 * @param {{ persist?: string }} [options] persist: the directory the local
 *   resources (the D1 database's SQLite file among them) are kept in, else
 *   Miniflare's temporary one. */
export async function startBench(options = {}) {
  const rocket = await rocketWorker();
  const d1 = Object.entries(rocket.d1Databases ?? {}).find(([name]) => name === "DB");
  if (!d1) throw new Error("wrangler.toml has no D1 binding DB");
  const dbId = typeof d1[1] === "string" ? d1[1] : d1[1].id;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      ...(options.persist ? { resourcePersistencePath: options.persist } : {}),
      workers: [
        rocket,
        { name: "js-constant", modules: true, script: HELLO_WORKER, compatibilityDate: COMPATIBILITY_DATE, routes: [`*${FLOOR_JS}*`] },
        {
          name: "js-d1",
          modules: true,
          script: D1_FLOOR_WORKER,
          compatibilityDate: COMPATIBILITY_DATE,
          d1Databases: { DB: dbId },
          routes: [`*${FLOOR_D1}*`],
        },
        {
          name: "js-platform",
          modules: true,
          script: PLATFORM_FLOOR_WORKER,
          compatibilityDate: COMPATIBILITY_DATE,
          ratelimits: { RL: { namespace_id: "9999", simple: { limit: 1_000_000_000, period: 60 } } },
          routes: [`*${FLOOR_RATELIMIT}*`, `*${FLOOR_CACHE}*`],
        },
      ],
    }),
  );
  const url = await mf.ready;
  const base = url.origin;
  const db = await mf.getD1Database("DB", "rocket");
  const migrations = await readD1Migrations(`${ROOT}migrations`);
  await db.batch(migrations.flatMap((m) => m.queries).map((s) => db.prepare(s)));
  await db.batch(statements(seedSql()).map((s) => db.prepare(s)));
  const check = /** @type {{ n: number }} */ (await (await fetch(`${base}${FLOOR_D1}check`)).json());
  if (check.n !== 1) throw new Error("the D1 floor worker does not see the worker's database");
  return { mf, base, db };
}

/** @typedef {{ name: string, rps: number, p50: number, p99: number, done: number, failed: number, firstFailure?: string }} Result */

/** @param {number[]} sorted @param {number} q */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Requests per second and latency for `request(i)` with CONCURRENCY loops for
 * `seconds`. A request counts as done when `ok(status)`; any other answer is a
 * failure (the first one's status and body are kept for the report).
 * @param {string} name
 * @param {(i: number) => Promise<Response>} request
 * @param {{ seconds?: number, ok?: (status: number) => boolean, start?: number }} [options]
 *   start: the first `i` (so a warm-up and the measure do not repeat ids)
 * @returns {Promise<Result>} */
export async function measure(name, request, options = {}) {
  const seconds = options.seconds ?? SECONDS;
  const ok = options.ok ?? ((/** @type {number} */ s) => s >= 200 && s < 300);
  const start = options.start ?? 0;
  /** @type {number[]} */
  const latencies = [];
  let failed = 0;
  /** @type {string | undefined} */
  let firstFailure;
  const deadline = Date.now() + seconds * 1000;
  const loop = async (/** @type {number} */ w) => {
    for (let i = start + w; Date.now() < deadline; i += CONCURRENCY) {
      const t = performance.now();
      const res = await request(i);
      const body = await res.text();
      if (ok(res.status)) latencies.push(performance.now() - t);
      else {
        failed++;
        firstFailure ??= `${res.status} ${body.slice(0, 200)}`;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(w)));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    rps: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    done: latencies.length,
    failed,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

/** @param {number} n */
export const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
/** @param {number} n */
export const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : "-");
/** @param {number} n */
export const fmtRatio = (n) => (Number.isFinite(n) ? n.toFixed(2) : "-");

/** A plain-text table: the first row is the header; columns after the first
 * are right-aligned.
 * @param {string[][]} rows */
export function textTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
}

/** A markdown table (first row the header, columns after the first right-aligned).
 * @param {string[][]} rows */
export function markdownTable(rows) {
  const line = (/** @type {string[]} */ r) => `| ${r.join(" | ")} |`;
  return [line(rows[0]), line(rows[0].map((_, c) => (c === 0 ? "---" : "---:"))), ...rows.slice(1).map(line)].join("\n");
}
