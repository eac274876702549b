// Scale benchmark: one contest seeded with 1k, then 100k, then 1M entries
// (with their ledger rows, purchases and visits) in one local D1 file, and the
// read cases measured at each size, in the same workerd and the same way as
// bench/api.mjs. Prints the seeding time and the database size at each size,
// per case the 1M/1k slowdown against the target (<= 1.5x), and at the largest
// size the SQL time and query plan (EXPLAIN QUERY PLAN through the D1 binding)
// of the statements behind the cases (edge/sql/hot-queries.json).
//
//   npm run bench:scale     BENCH_BUILD=0 skips the build, BENCH_SECONDS=3 per case, BENCH_SCALE_SIZES=1000,100000,1000000,
//   BENCH_SCALE_WHATIF=1 to time, at the largest size, the deep page as a keyset
//   and as a deferred-join query and the aggregates with covering indexes (SQL only),
//   BENCH_SCALE_READS=0 to skip the read cases (seeding and finalizing only),
//   BENCH_SCALE_FINALIZE=0 to skip finalizing
//
// Finalizing (issue 24): after the read cases at each size the contest is
// ended and finalized through the API (POST /end, then POST /finalize until
// `finalizedAt` is set: each call writes up to 5 pages of 2,000 places and the
// FINALIZE queue goes on meanwhile), timed from the first call to the last;
// then the standings are dropped and the contest reopened for the next size.
//
// Seeding: rows are made inside SQLite by INSERT ... SELECT from a recursive
// CTE counter, BENCH_SCALE_CHUNK (100k) entries per batch; each batch (entries,
// ledger, purchases, visits of one range) is one D1 batch, so one transaction.
// The seeded contest, per entry n (1-based):
// - even n is referred by n-1 (so every odd entry is an advocate with one
//   referral): a visit of n-1's link, the advocate's +10 and the friend's +5
//   ledger rows (confirmed), as a tracker signup makes them;
// - n % 10 == 2: a verified purchase crediting n-1 with 10 + n % 90 points;
// - created_at: pairs spread over the last 360 days (a hash of the pair), so
//   the 30-day timeseries covers about a twelfth of the rows at every size;
// - totals (total_points) equal the sums of the entry's confirmed ledger rows.
import { readFileSync, readdirSync, rmSync, statSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { DEMO } from "../scripts/demo.mjs";
import { CONCURRENCY, describeBuild, FLOOR_D1, fmtInt, fmtMs, fmtRatio, markdownTable, measure, ROOT, SECONDS, startBench, textTable } from "./harness.mjs";

const SIZES = (process.env.BENCH_SCALE_SIZES || "1000,100000,1000000").split(",").map(Number);
const CHUNK = Number(process.env.BENCH_SCALE_CHUNK || 100_000);
const TARGET = 1.5;
const CONTEST = "ct_scale";
const NOW_S = Math.floor(Date.now() / 1000);
if (SIZES.some((s, i) => !(s > 0 && s % 1000 === 0) || (i > 0 && s <= SIZES[i - 1]))) {
  throw new Error("BENCH_SCALE_SIZES: increasing multiples of 1000");
}

// ?1 first n, ?2 last n, ?3 contest, ?4 now (unix seconds).
const COUNTER = "WITH RECURSIVE c(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM c WHERE n < ?2)";
/** created_at of entry n: its pair's time in the last 360 days, the friend a minute after the advocate. */
const CREATED = "strftime('%Y-%m-%dT%H:%M:%fZ', ?4 - (((n + 1) / 2) * 2654435761) % 31104000 + (1 - n % 2) * 60, 'unixepoch')";
const id = (/** @type {string} */ prefix, /** @type {string} */ n = "n") => `printf('${prefix}%07d', ${n})`;
const SEED = [
  `INSERT INTO entries (id, contest_id, email, email_display, name, referral_code, referred_by_entry_id,
     total_points, pending_points, disqualified, source, created_at, updated_at, first_name, last_name, signup_ip_hash)
   ${COUNTER}
   SELECT ${id("en_s")}, ?3, printf('s%07d@example.com', n), printf('S%07d@Example.com', n), printf('Seed %d', n), ${id("S")},
     CASE WHEN n % 2 = 0 THEN ${id("en_s", "n - 1")} END,
     CASE WHEN n % 2 = 0 THEN 5 ELSE 10 + CASE WHEN n % 10 = 1 THEN 10 + (n + 1) % 90 ELSE 0 END END,
     0, 0, 'tracker', ${CREATED}, ${CREATED}, 'Seed', printf('%d', n), ${id("h")}
   FROM c`,
  `INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, created_at, status)
   ${COUNTER}
   SELECT ${id("en_s", "n - 1")}, ?3, 10, 'referral_advocate', ${id("en_s")}, ${CREATED}, 'confirmed' FROM c WHERE n % 2 = 0
   UNION ALL
   SELECT ${id("en_s")}, ?3, 5, 'referral_friend', ${id("en_s", "n - 1")}, ${CREATED}, 'confirmed' FROM c WHERE n % 2 = 0
   UNION ALL
   SELECT ${id("en_s", "n - 1")}, ?3, 10 + n % 90, 'purchase', ${id("pu_s")}, ${CREATED}, 'confirmed' FROM c WHERE n % 10 = 2`,
  `INSERT INTO purchases (id, contest_id, order_id, buyer_email, buyer_entry_id, credited_entry_id, amount, currency,
     points_awarded, referral_code, source, created_at, status, verified_at)
   ${COUNTER}
   SELECT ${id("pu_s")}, ?3, ${id("o")}, printf('s%07d@example.com', n), ${id("en_s")}, ${id("en_s", "n - 1")}, 10 + n % 90, 'USD',
     10 + n % 90, ${id("S", "n - 1")}, 'api', ${CREATED}, 'verified', ${CREATED}
   FROM c WHERE n % 10 = 2`,
  `INSERT INTO visits (id, contest_id, entry_id, url, created_at, ip_hash, day)
   ${COUNTER}
   SELECT ${id("vi_s")}, ?3, ${id("en_s", "n - 1")}, 'https://shop.example/', ${CREATED}, ${id("h")}, substr(${CREATED}, 1, 10)
   FROM c WHERE n % 2 = 0`,
];

const { mf, base, db, persist } = await (async () => {
  const persist = mkdtempSync(`${tmpdir()}/rocket-scale-`);
  return { ...(await startBench({ persist })), persist };
})();

/** Bytes of the D1 database's files (the SQLite file and its WAL) under the persist directory. */
function fileBytes() {
  let total = 0;
  const walk = (/** @type {string} */ dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (/\.sqlite(-wal)?$/.test(e.name) && path.includes("D1DatabaseObject") && !e.name.startsWith("metadata")) {
        total += statSync(path).size;
      }
    }
  };
  walk(persist);
  return total;
}
const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** @param {number} from @param {number} to inclusive */
async function seed(from, to) {
  for (let a = from; a <= to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK - 1);
    await db.batch(SEED.map((sql) => db.prepare(sql).bind(a, b, CONTEST, NOW_S)));
  }
}

/** @param {string} path @param {string} [key] */
const get = (path, key = DEMO.publicKey) => fetch(`${base}${path}`, { headers: { "x-api-key": key } });

/** The id of the last entry before the deep page (page = last/2, limit 100)
 * in join order: where its keyset form starts.
 * @param {number} size */
async function deepAfterId(size) {
  const offset = (Math.ceil(Math.ceil(size / 100) / 2) - 1) * 100 - 1;
  const row = await db
    .prepare("SELECT id FROM entries WHERE contest_id = ?1 ORDER BY created_at, id LIMIT 1 OFFSET ?2")
    .bind(CONTEST, offset)
    .first();
  return /** @type {{ id: string }} */ (row).id;
}

/** The read cases at `size` entries (a middle entry for the lookups).
 * @param {number} size @param {string} afterId see deepAfterId */
function cases(size, afterId) {
  const mid = size / 2 + 1; // odd: an advocate with a referral
  const code = `S${String(mid).padStart(7, "0")}`;
  const email = `s${String(mid).padStart(7, "0")}@example.com`;
  const deepPage = Math.ceil(Math.ceil(size / 100) / 2);
  let next = 0;
  /** A seeded entry's code, a different one each call (spread over the contest). */
  const seededCode = () => `S${String(((next++ * 7919) % size) + 1).padStart(7, "0")}`;
  /** @type {[string, () => Promise<Response>][]} */
  const list = [
    ["floor: D1 round trip (JavaScript, SELECT 1)", () => fetch(`${base}${FLOOR_D1}select1`)],
    ["validate-code (the same code: cached)", () => fetch(`${base}/api/referral/validate-code?code=${code}&contestId=${CONTEST}`)],
    ["validate-code (a new code each time: D1)", () => fetch(`${base}/api/referral/validate-code?code=${seededCode()}&contestId=${CONTEST}`)],
    ["v1 leaderboard (public key: cached)", () => get(`/api/v1/contests/${CONTEST}/leaderboard`)],
    ["v1 leaderboard (private key: always D1)", () => get(`/api/v1/contests/${CONTEST}/leaderboard`, DEMO.privateKey)],
    ["v1 entries page 1", () => get(`/api/v1/contests/${CONTEST}/entries?page=1`)],
    // The deep page, by page number (offset): page = last / 2, limit 100.
    ["v1 entries deep page (page=last/2, limit 100)", () => get(`/api/v1/contests/${CONTEST}/entries?page=${deepPage}&limit=100`)],
    // The same position by keyset (`after=<entryId>`: the last entry of the
    // page before, in join order), whose cost should not grow with depth.
    ["v1 entries deep page (after=<entry>, limit 100)", () => get(`/api/v1/contests/${CONTEST}/entries?after=${afterId}&limit=100`)],
    ["getParticipant", () => get(`/api/v1/getParticipant?id=${CONTEST}&email=${encodeURIComponent(email)}`)],
    ["v1 stats", () => get(`/api/v1/contests/${CONTEST}/stats`)],
    ["v1 timeseries (30 days)", () => get(`/api/v1/contests/${CONTEST}/timeseries`)],
  ];
  return list;
}

/** The statements behind the cases, by their name in edge/sql/hot-queries.json,
 * with parameters for `size`.
 * @param {number} size @param {string} [afterId] see deepAfterId */
function statementsAt(size, afterId) {
  const mid = size / 2 + 1;
  const day = 86_400_000;
  const today = Date.now() - (Date.now() % day);
  const start = new Date(today - 29 * day).toISOString();
  const end = new Date(today + day).toISOString();
  const deepOffset = (Math.ceil(Math.ceil(size / 100) / 2) - 1) * 100;
  /** @type {[string, string, unknown[]][]} [case, statement name, parameters] */
  const list = [
    ["validate-code", "referrer of a code", [CONTEST, `S${String(mid).padStart(7, "0")}`]],
    ["leaderboard", "leaderboard", [CONTEST, 10]],
    ["entries page 1", "entries page", [CONTEST, 20, 0]],
    ["entries deep page", "entries page", [CONTEST, 100, deepOffset]],
    ["entries deep page, keyset", "entries after one (keyset page)", [CONTEST, 100, afterId]],
    ["entries (both pages)", "entries of a contest, count", [CONTEST]],
    ["getParticipant", "participant by email", [CONTEST, `s${String(mid).padStart(7, "0")}@example.com`]],
    ["stats", "a contest's totals (kept by triggers)", [CONTEST]],
    ["stats", "revenue", [CONTEST]],
    ["timeseries", "a contest's days (kept by triggers)", [CONTEST, start.slice(0, 10), end.slice(0, 10)]],
    ["timeseries", "a contest's revenue by day (kept by triggers)", [CONTEST, start.slice(0, 10), end.slice(0, 10)]],
  ];
  return list;
}

/** @returns {{ name: string, sql: string }[]} */
const hotQueries = () => JSON.parse(readFileSync(`${ROOT}edge/sql/hot-queries.json`, "utf8"));

/** A statement's SQL time (D1's meta.duration, whole ms, median of 5) and its plan.
 * @param {string} sql @param {unknown[]} params */
async function timeSql(sql, params) {
  /** @type {number[]} */
  const times = [];
  for (let i = 0; i < 5; i++) times.push((await db.prepare(sql).bind(...params).all()).meta.duration);
  times.sort((a, b) => a - b);
  const plan = /** @type {{ detail: string }[]} */ ((await db.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all()).results);
  return { ms: times[2] < 1 ? "<1" : String(times[2]), plan: plan.map((p) => p.detail).join("; ") };
}

/** SQL time and plan of each statement behind the cases.
 * @param {number} size */
async function explain(size) {
  const hot = hotQueries();
  console.log(`\nSQL time (D1's meta.duration in whole ms, median of 5, no other load) and EXPLAIN QUERY PLAN at ${fmtInt(size)} entries:`);
  console.log("case | statement | SQL ms | plan");
  for (const [kase, name, params] of statementsAt(size, await deepAfterId(size))) {
    const q = hot.find((h) => h.name === name);
    if (!q) {
      console.log(`${kase} | ${name} | - | (not in edge/sql/hot-queries.json)`);
      continue;
    }
    const t = await timeSql(q.sql, params);
    console.log(`${kase} | ${name} | ${t.ms} ms | ${t.plan}`);
  }
}

/** Candidate indexes for hot statements, [statement name, CREATE INDEX], each
 * timed before and after by BENCH_SCALE_WHATIF=1. None now: the aggregates they
 * served (stats, timeseries) read counters since migrations 0012 and 0013.
 * @type {[string, string][]} */
const CANDIDATE_INDEXES = [];

/** What-if, SQL only (the worker is not changed): the deep page as a keyset
 * (cursor) page and as a deferred join (the offset walked on the covering
 * entries_by_contest index, then 100 rows read), and the aggregates with the
 * candidate covering indexes. Left in the throw-away database.
 * @param {number} size */
async function whatIf(size) {
  const hot = hotQueries();
  const byName = new Map(statementsAt(size).map(([kase, name, params]) => [`${kase}/${name}`, params]));
  const page = hot.find((h) => h.name === "entries page");
  const tail = "WHERE e.contest_id = ?1 ORDER BY e.created_at, e.id LIMIT ?2 OFFSET ?3";
  console.log(`\nwhat-if at ${fmtInt(size)} entries (SQL time only, D1's meta.duration, median of 5):`);
  console.log("statement | form | SQL ms | plan");
  if (page && page.sql.includes(tail)) {
    const params = /** @type {unknown[]} */ (byName.get("entries deep page/entries page"));
    const offset = /** @type {number} */ (params[2]);
    const row = /** @type {{ created_at: string, id: string }} */ (
      await db.prepare("SELECT created_at, id FROM entries WHERE contest_id = ?1 ORDER BY created_at, id LIMIT 1 OFFSET ?2").bind(CONTEST, offset - 1).first()
    );
    const forms = [
      ["offset (as served)", page.sql, params],
      [
        "deferred join",
        page.sql.replace(tail, "WHERE e.id IN (SELECT id FROM entries WHERE contest_id = ?1 ORDER BY created_at, id LIMIT ?2 OFFSET ?3) ORDER BY e.created_at, e.id"),
        params,
      ],
      ["keyset (created_at, id) > cursor", page.sql.replace(tail, "WHERE e.contest_id = ?1 AND (e.created_at, e.id) > (?3, ?4) ORDER BY e.created_at, e.id LIMIT ?2"), [CONTEST, 100, row.created_at, row.id]],
    ];
    for (const [form, sql, p] of forms) {
      const t = await timeSql(/** @type {string} */ (sql), /** @type {unknown[]} */ (p));
      console.log(`entries deep page | ${form} | ${t.ms} ms | ${t.plan}`);
    }
  }
  for (const [name, create] of CANDIDATE_INDEXES) {
    const q = hot.find((h) => h.name === name);
    const entry = [...byName.entries()].find(([k]) => k.endsWith(`/${name}`));
    if (!q || !entry) continue;
    const before = await timeSql(q.sql, entry[1]);
    const t0 = performance.now();
    await db.prepare(create).run();
    const built = ((performance.now() - t0) / 1000).toFixed(1);
    const after = await timeSql(q.sql, entry[1]);
    console.log(`${name} | as served | ${before.ms} ms | ${before.plan}`);
    console.log(`${name} | with ${create.slice("CREATE INDEX ".length)} (built in ${built} s) | ${after.ms} ms | ${after.plan}`);
  }
}

const READS = process.env.BENCH_SCALE_READS !== "0";
const FINALIZE = process.env.BENCH_SCALE_FINALIZE !== "0";
/** @type {[number, number, number][]} size, seconds, calls */
const finalizeTimes = [];

/** Ends and finalizes the contest through the API (the queue goes on between
 * calls), then drops its standings and reopens it. Answers seconds and calls.
 * @param {number} size */
async function timeFinalize(size) {
  const post = (/** @type {string} */ path) =>
    fetch(`${base}/api/v1/contests/${CONTEST}/${path}`, { method: "POST", headers: { "x-api-key": DEMO.privateKey } });
  const t0 = performance.now();
  await (await post("end")).arrayBuffer();
  let calls = 0;
  for (;;) {
    const r = await post("finalize");
    calls++;
    const body = /** @type {any} */ (await r.json());
    if (r.status !== 200 && r.status !== 202) throw new Error(`finalize: ${r.status} ${JSON.stringify(body)}`);
    if (body.data.finalizedAt) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const ranked = /** @type {{ n: number }} */ (await db.prepare("SELECT COUNT(*) AS n FROM standings WHERE contest_id = ?1").bind(CONTEST).first()).n;
  if (ranked !== size) throw new Error(`finalize ranked ${ranked} of ${size}`);
  // Reopen for the next size (in chunks: one statement per 100k rows).
  for (;;) {
    const gone = await db
      .prepare("DELETE FROM standings WHERE contest_id = ?1 AND rank IN (SELECT rank FROM standings WHERE contest_id = ?1 LIMIT 100000)")
      .bind(CONTEST)
      .run();
    if (!gone.meta.changes) break;
  }
  await db
    .prepare(
      "UPDATE contests SET status = 'active', ended_at = NULL, finalize_started_at = NULL, finalize_touched_at = NULL, finalized_at = NULL WHERE id = ?1",
    )
    .bind(CONTEST)
    .run();
  return [seconds, calls];
}

/** @type {Map<number, import("./harness.mjs").Result[]>} */
const bySize = new Map();
/** @type {Map<number, number[]>} each case's req/s over the D1 floor next to it */
const ratiosBySize = new Map();
try {
  await db
    .prepare("INSERT INTO contests (id, account_id, name, status, created_at) VALUES (?1, 'acct_demo', 'Scale contest', 'active', ?2)")
    .bind(CONTEST, new Date(NOW_S * 1000 - 400 * 86_400_000).toISOString())
    .run();
  console.log(`${SECONDS}s per case, ${CONCURRENCY} concurrent, one workerd (Miniflare), loopback, one D1 file; seeding ${CHUNK.toLocaleString("en-US")} entries per batch`);
  console.log(await describeBuild());
  let seeded = 0;
  let seedTotal = 0;
  /** @type {string[][]} */
  const seedRows = [["entries", "seeded now", "seed s", "entries/s", "total seed s", "D1 size", "file size"]];
  for (const size of SIZES) {
    const t0 = performance.now();
    await seed(seeded + 1, size);
    const seconds = (performance.now() - t0) / 1000;
    seedTotal += seconds;
    const added = size - seeded;
    seeded = size;
    const meta = (await db.prepare("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?1").bind(CONTEST).all()).meta;
    const line = [fmtInt(size), fmtInt(added), seconds.toFixed(1), fmtInt(added / seconds), seedTotal.toFixed(1), mb(meta.size_after), mb(fileBytes())];
    seedRows.push(line);
    console.log(`\nseeded ${line[0]} entries (+${line[1]} in ${line[2]} s, ${line[3]} entries/s; D1 size ${line[5]}, files ${line[6]})`);
    /** @type {import("./harness.mjs").Result[]} */
    const results = [];
    /** @type {number[]} */
    const ratios = [];
    const list = READS ? cases(size, await deepAfterId(size)) : [];
    const floor = () => measure("floor", list[0][1], { seconds: SECONDS / 2 });
    // As in bench/api.mjs: the D1 floor sampled after every case, each case
    // divided by the mean of the samples on either side of it.
    let before = READS ? await floor() : undefined;
    for (const [name, request] of list) {
      for (let w = 0; w < 2; w++) await (await request()).arrayBuffer(); // warm-up, one at a time (a deep page at 1M takes seconds)
      const r = await measure(name, request);
      const after = await floor();
      const ratio = r.rps / (((before?.rps ?? after.rps) + after.rps) / 2);
      before = after;
      results.push(r);
      ratios.push(ratio);
      console.log(
        `  ${name.padEnd(48)} ${fmtInt(r.rps).padStart(6)} req/s  p50 ${fmtMs(r.p50).padStart(7)} ms  p99 ${fmtMs(r.p99).padStart(7)} ms  x floor ${fmtRatio(ratio)}` +
          (r.failed ? `  FAILED ${r.failed}x: ${r.firstFailure}` : ""),
      );
      if (r.failed) process.exitCode = 1;
    }
    bySize.set(size, results);
    ratiosBySize.set(size, ratios);
    if (FINALIZE) {
      const [seconds, calls] = await timeFinalize(size);
      finalizeTimes.push([size, seconds, calls]);
      console.log(`  finalize: ${fmtInt(size)} entries ranked in ${seconds.toFixed(2)} s (${calls} API calls, the queue going on between them; ${fmtInt(size / seconds)} entries/s)`);
    }
  }
  if (finalizeTimes.length) {
    const [firstSize, firstSeconds] = finalizeTimes[0];
    console.log("\nfinalize (end + finalize until finalizedAt; ratio = seconds per entry against the smallest size):");
    console.log(
      textTable([
        ["entries", "seconds", "API calls", "entries/s", "s per entry vs first"],
        ...finalizeTimes.map(([size, seconds, calls]) => [
          fmtInt(size),
          seconds.toFixed(2),
          String(calls),
          fmtInt(size / seconds),
          `${fmtRatio(seconds / size / (firstSeconds / firstSize))}x`,
        ]),
      ]),
    );
  }
  console.log("\nseeding (one contest; rows per entry: 1 entry, 1.1 ledger, 0.5 visit, 0.1 purchase):");
  console.log(textTable(seedRows));

  const last = SIZES[SIZES.length - 1];
  if (SIZES.length > 1 && READS) {
    const first = SIZES[0];
    const a = /** @type {import("./harness.mjs").Result[]} */ (bySize.get(first));
    const b = /** @type {import("./harness.mjs").Result[]} */ (bySize.get(last));
    const k = (/** @type {number} */ n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
    const header = [
      "case",
      ...SIZES.map((s) => `req/s ${k(s)}`),
      `p50 ms ${k(first)}`,
      `p50 ms ${k(last)}`,
      `slowdown ${k(last)}/${k(first)}`,
      "same, floor-corrected",
      `target <= ${TARGET}x`,
    ];
    // Floor-corrected: each case's req/s as a share of the D1 round-trip floor
    // measured next to it, at both sizes, so the machine's drift cancels.
    const ra = /** @type {number[]} */ (ratiosBySize.get(first));
    const rb = /** @type {number[]} */ (ratiosBySize.get(last));
    const rows = a.map((r, i) => {
      const slowdown = r.rps / b[i].rps;
      const corrected = ra[i] / rb[i];
      return [
        r.name,
        ...SIZES.map((s) => fmtInt(/** @type {import("./harness.mjs").Result[]} */ (bySize.get(s))[i].rps)),
        fmtMs(r.p50),
        fmtMs(b[i].p50),
        `${fmtRatio(slowdown)}x`,
        `${fmtRatio(corrected)}x`,
        i === 0 ? "(floor)" : corrected <= TARGET ? "met" : "MISSED",
      ];
    });
    console.log(
      `\nper case, slowdown = req/s at ${k(first)} / req/s at ${k(last)}; floor-corrected = the same with each req/s divided by ` +
        "the D1 floor measured next to it (the verdict):",
    );
    console.log(textTable([header, ...rows]));
    console.log("\nmarkdown:\n");
    console.log(markdownTable([header, ...rows]));
  }
  if (READS) await explain(last);
  if (process.env.BENCH_SCALE_WHATIF === "1") await whatIf(last);
} finally {
  await mf.dispose();
  if (process.env.BENCH_KEEP) console.log(`database kept in ${persist}`);
  else rmSync(persist, { recursive: true, force: true });
}
