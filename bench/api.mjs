// API benchmark: the built worker in one workerd (Miniflare, no wrangler proxy)
// with a real local D1 and the bindings of wrangler.toml, loaded from this
// process on loopback. Machines here are noisy, so every case is reported as a
// ratio to the D1 round-trip floor measured in the same run and process: a
// plain JavaScript worker doing one `SELECT 1` through the same D1 database.
// Each case prints req/s, p50 and p99 latency and that ratio; then a markdown
// table for the README; then the cold start (bench/cold.mjs).
//
//   npm run bench     (builds first; BENCH_BUILD=0 skips that)   BENCH_SECONDS=5 to
//   run longer, BENCH_ROUNDS=3 for medians of 3 rounds, BENCH_CONCURRENCY=16,
//   BENCH_COLD=0 to skip the cold start
import Stripe from "stripe";
import { DEMO } from "../scripts/demo.mjs";
import { coldStart } from "./cold.mjs";
import {
  CONCURRENCY,
  describeBuild,
  FLOOR_CACHE,
  FLOOR_D1,
  FLOOR_JS,
  FLOOR_RATELIMIT,
  fmtInt,
  fmtMs,
  fmtRatio,
  markdownTable,
  measure,
  SECONDS,
  startBench,
  textTable,
} from "./harness.mjs";

const STRIPE_SECRET = "whsec_bench_rocket_tracker";
const ROUNDS = Number(process.env.BENCH_ROUNDS || 1);

const { mf, base } = await startBench();
const run = Date.now().toString(36);
const contest = DEMO.contestId;
const code = DEMO.referralCode;
/** A different client address per request, where the real traffic would have
 * one (so a visit is a new row and signups are not all from one address).
 * @param {number} i */
const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
/** @param {string} path @param {unknown} body @param {number} [i] */
const post = (path, body, i) =>
  fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body), headers: i === undefined ? {} : { "cf-connecting-ip": address(i) } });
/** @param {string} path @param {string} [key] */
const get = (path, key = DEMO.publicKey) => fetch(`${base}${path}`, { headers: { "x-api-key": key } });

/** A paid `checkout.session.completed` for a new session each time, referred
 * by the demo code, signed as Stripe signs it (its own library).
 * @param {number} i */
function stripeCheckout(i) {
  const payload = JSON.stringify({
    id: `evt_bench_${run}_${i}`,
    object: "event",
    type: "checkout.session.completed",
    data: {
      object: {
        id: `cs_bench_${run}_${i}`,
        object: "checkout.session",
        amount_total: 4999,
        currency: "usd",
        payment_status: "paid",
        payment_intent: `pi_bench_${run}_${i}`,
        client_reference_id: code,
        customer_details: { email: `buyer-${run}-${i}@example.com` },
      },
    },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET });
  return fetch(`${base}/api/webhooks/stripe/${contest}`, { method: "POST", body: payload, headers: { "stripe-signature": signature } });
}

/** @typedef {{ name: string, request: (i: number) => Promise<Response>, ok?: (status: number) => boolean }} Case */
const notFound = (/** @type {number} */ s) => s === 404;

/** @type {Case[]} */
const floors = [
  { name: "floor: our constant route (JSON 404, no D1)", request: () => fetch(`${base}/api/nothing`), ok: notFound },
  { name: "floor: JavaScript constant route", request: () => fetch(`${base}${FLOOR_JS}nothing`), ok: notFound },
  { name: "floor: D1 round trip (JavaScript, SELECT 1)", request: () => fetch(`${base}${FLOOR_D1}select1`) },
  // Not floors of ours, but what a rate-limit check and a cache hit cost in
  // Miniflare (each a Durable Object round trip here, served in the data
  // centre on Cloudflare): read the cases that use them with these in mind.
  { name: "platform: rate-limit .limit() (JavaScript)", request: () => fetch(`${base}${FLOOR_RATELIMIT}x`) },
  { name: "platform: Cache API hit (JavaScript)", request: () => fetch(`${base}${FLOOR_CACHE}x`) },
];
/** @type {Case[]} */
const cases = [
  // Writes first, so the reads after them see a contest with a few thousand rows.
  {
    name: "track-visit (new address: one row)",
    request: (i) => post("/api/referral/track-visit", { referralCode: code, contestId: contest, url: "https://shop.example/?ref=x" }, i),
  },
  {
    name: "track-visit (repeat: settled by the unique key)",
    request: () => post("/api/referral/track-visit", { referralCode: code, contestId: contest, url: "https://shop.example/" }),
  },
  {
    name: "track-signup (referred)",
    request: (i) => post("/api/referral/track-signup", { email: `r${run}${i}@example.com`, contestId: contest, referralCode: code }, i),
  },
  {
    // track-signup requires a code; a signup without one comes through the
    // widget's join form (the same engine::signup, plus the token it answers).
    name: "join (signup not referred: widget form, no code)",
    request: (i) => post("/api/referral/join", { email: `n${run}${i}@example.com`, contestId: contest }, i),
  },
  {
    name: "track-purchase (new order)",
    request: (i) => post("/api/referral/track-purchase", { email: DEMO.advocateEmail, contestId: contest, orderId: `${run}-${i}`, amount: 9.99 }, i),
  },
  {
    name: "track-purchase (duplicate order)",
    request: (i) => post("/api/referral/track-purchase", { email: DEMO.advocateEmail, contestId: contest, orderId: `${run}-same`, amount: 9.99 }, i),
  },
  { name: "Stripe webhook (checkout.session.completed, new session)", request: stripeCheckout },
  { name: "validate-code (the same code: cached)", request: () => fetch(`${base}/api/referral/validate-code?code=${code}&contestId=${contest}`) },
  {
    name: "validate-code (a new code each time: cache miss)",
    request: (i) => fetch(`${base}/api/referral/validate-code?code=X${run}${i}&contestId=${contest}`),
  },
  { name: "v1 leaderboard (public key: cached)", request: () => get(`/api/v1/contests/${contest}/leaderboard`) },
  { name: "v1 leaderboard (private key: always D1)", request: () => get(`/api/v1/contests/${contest}/leaderboard`, DEMO.privateKey) },
  { name: "v1 entries page 1 (public key)", request: () => get(`/api/v1/contests/${contest}/entries?page=1`) },
  {
    name: "getParticipant (Referral Rocket, public key)",
    request: () => get(`/api/v1/getParticipant?id=${contest}&email=${encodeURIComponent(DEMO.advocateEmail)}`),
  },
  { name: "v1 stats (public key)", request: () => get(`/api/v1/contests/${contest}/stats`) },
  { name: "v1 timeseries (30 days, public key)", request: () => get(`/api/v1/contests/${contest}/timeseries`) },
];

try {
  // The Stripe webhook needs the contest's signing secret, set as an owner would.
  const patched = await fetch(`${base}/api/v1/contests/${contest}`, {
    method: "PATCH",
    headers: { "x-api-key": DEMO.privateKey, "content-type": "application/json" },
    body: JSON.stringify({ stripeWebhookSecret: STRIPE_SECRET }),
  });
  if (!patched.ok) throw new Error(`setting stripeWebhookSecret: ${patched.status} ${await patched.text()}`);

  console.log(
    `${SECONDS}s per case, ${CONCURRENCY} concurrent, one workerd (Miniflare), loopback; ratios to the D1 round-trip floor of this run` +
      (ROUNDS > 1 ? `; medians of ${ROUNDS} rounds` : ""),
  );
  console.log(await describeBuild());
  // Warm-up: every route once compiled and hot before anything is measured.
  for (const c of [...floors, ...cases]) await measure("warm-up", c.request, { seconds: 0.3, ok: c.ok, start: 10_000_000 });

  // The D1 floor is measured again after every case (for half as long), and
  // each case is divided by the mean of the floor samples on either side of
  // it: the load of this shared machine drifts within a run, and a ratio to
  // the floor next to the case holds better than one to a floor a minute old.
  // BENCH_ROUNDS > 1 runs every case that many times and reports the medians.
  const floorCase = floors[2];
  const floorSeconds = SECONDS / 2;
  /** @type {import("./harness.mjs").Result[][]} per case, one result a round */
  const perCase = [...floors, ...cases].map(() => []);
  /** @type {number[][]} */
  const perCaseRatios = [...floors, ...cases].map(() => []);
  /** @type {number[]} */
  const floorRps = [];
  for (let round = 0; round < ROUNDS; round++) {
    let before = await measure(floorCase.name, floorCase.request, { seconds: floorSeconds, start: round * 1_000_000 });
    floorRps.push(before.rps);
    for (const [i, c] of [...floors, ...cases].entries()) {
      const r = await measure(c.name, c.request, { ok: c.ok, start: round * 1_000_000 });
      const after = await measure(floorCase.name, floorCase.request, { seconds: floorSeconds });
      floorRps.push(after.rps);
      perCase[i].push(r);
      perCaseRatios[i].push(r.rps / ((before.rps + after.rps) / 2));
      before = after;
    }
  }
  /** @param {number[]} xs */
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  /** @type {import("./harness.mjs").Result[]} */
  const results = perCase.map((rounds) => ({
    name: rounds[0].name,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    done: rounds.reduce((n, r) => n + r.done, 0),
    failed: rounds.reduce((n, r) => n + r.failed, 0),
    firstFailure: rounds.find((r) => r.firstFailure)?.firstFailure,
  }));
  const ratios = perCaseRatios.map(median);
  floorRps.sort((x, y) => x - y);
  const floorMedian = median(floorRps);

  const rows = results.map((r, i) => [r.name, fmtInt(r.rps), fmtMs(r.p50), fmtMs(r.p99), fmtRatio(ratios[i])]);
  console.log(textTable([["case", "req/s", "p50 ms", "p99 ms", "x floor"], ...rows]));
  console.log(
    `D1 round-trip floor: ${floorRps.length} samples of ${floorSeconds}s between the cases, median ${fmtInt(floorMedian)} req/s ` +
      `(from ${fmtInt(floorRps[0])} to ${fmtInt(floorRps[floorRps.length - 1])}: the machine's drift in this run)`,
  );
  for (const r of results.filter((r) => r.failed)) console.log(`FAILED ${r.failed}x in "${r.name}": first ${r.firstFailure}`);
  console.log(`\nmarkdown (x D1 floor = req/s / the mean of the D1 round-trip floor measured just before and just after the case):\n`);
  console.log(markdownTable([["case", "req/s", "p50 ms", "p99 ms", "x D1 floor"], ...rows]));
  if (results.some((r) => r.failed)) process.exitCode = 1;
} finally {
  await mf.dispose();
}

if (process.env.BENCH_COLD !== "0") await coldStart();
