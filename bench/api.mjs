// API throughput benchmark: the built worker in one workerd (Miniflare, no
// wrangler proxy) with a real local D1, loaded from this process on loopback.
// Machines here are noisy, so figures are reported as ratios to a constant
// route measured in the same run, alongside the raw requests per second.
//
//   npm run bench            (builds first)   BENCH_SECONDS=5 to run longer
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { DEMO, seedSql } from "../scripts/demo.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS || 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);

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

async function migrationStatements() {
  const migrations = await readD1Migrations(`${ROOT}migrations`);
  return migrations.flatMap((m) => m.queries);
}

async function start() {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      modulesRoot: `${ROOT}edge/build`,
      modules: [
        { type: "ESModule", path: `${ROOT}edge/build/index.js` },
        { type: "CompiledWasm", path: `${ROOT}edge/build/index_bg.wasm` },
      ],
      compatibilityDate: "2026-11-01",
      d1Databases: ["DB"],
      bindings: { ADMIN_TOKEN: "bench-admin-token-0123456789abcdef0123", IP_HASH_KEY: "bench-ip-hash-key-0123456789" },
      // The real bindings, with limits no benchmark loop reaches: their cost is measured, not their refusals.
      ratelimits: Object.fromEntries(
        ["RL_WRITES", "RL_READS", "RL_FAILED_AUTH"].map((n) => [n, { namespace_id: n, simple: { limit: 1_000_000_000, period: 60 } }]),
      ),
    }),
  );
  const url = await mf.ready;
  const db = await mf.getD1Database("DB");
  await db.batch((await migrationStatements()).map((s) => db.prepare(s)));
  await db.batch(statements(seedSql()).map((s) => db.prepare(s)));
  return { mf, base: url.origin };
}

/** Requests per second for `request(i)` with CONCURRENCY loops for SECONDS.
 * @param {string} name
 * @param {(i: number) => Promise<Response>} request */
async function measure(name, request) {
  let done = 0;
  let failed = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const loop = async (/** @type {number} */ w) => {
    for (let i = w; Date.now() < deadline; i += CONCURRENCY) {
      const res = await request(i);
      await res.arrayBuffer();
      res.ok || res.status === 404 ? done++ : failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(w)));
  const rps = done / ((performance.now() - t0) / 1000);
  return { name, rps, failed };
}

const { mf, base } = await start();
const run = Date.now().toString(36);
const post = (/** @type {string} */ path, /** @type {unknown} */ body) => fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body) });
/** @type {[string, (i: number) => Promise<Response>][]} */
const cases = [
  ["constant route (JSON 404, no D1)", () => fetch(`${base}/api/nothing`)],
  ["validate-code (one D1 read)", () => fetch(`${base}/api/referral/validate-code?code=${DEMO.referralCode}&contestId=${DEMO.contestId}`)],
  ["track-visit (one INSERT ... SELECT)", () => post("/api/referral/track-visit", { referralCode: DEMO.referralCode, contestId: DEMO.contestId, url: "https://shop.example/" })],
  ["track-signup (referred; one batch)", (i) => post("/api/referral/track-signup", { email: `b${run}${i}@example.com`, contestId: DEMO.contestId, referralCode: DEMO.referralCode })],
  ["track-purchase (one batch)", (i) => post("/api/referral/track-purchase", { email: DEMO.advocateEmail, contestId: DEMO.contestId, orderId: `${run}-${i}`, amount: 9.99 })],
  ["duplicate purchase (settled by the unique key)", () => post("/api/referral/track-purchase", { email: DEMO.advocateEmail, contestId: DEMO.contestId, orderId: "same", amount: 9.99 })],
];
try {
  await measure("warm-up", cases[0][1]);
  const results = [];
  for (const [name, request] of cases) results.push(await measure(name, request));
  const baseline = results[0].rps;
  console.log(`${SECONDS}s per case, ${CONCURRENCY} concurrent, one workerd, loopback; ratios to the constant route of this run`);
  for (const r of results) {
    console.log(`${r.name.padEnd(48)} ${r.rps.toFixed(0).padStart(6)} req/s   x${(r.rps / baseline).toFixed(2)}${r.failed ? `   (${r.failed} failed)` : ""}`);
  }
  if (results.some((r) => r.failed)) process.exitCode = 1;
} finally {
  await mf.dispose();
}
