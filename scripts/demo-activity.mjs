// The demo contest's 30 days of activity, for `npm start` (local only).
//
// A fresh local database has the demo contest (scripts/seed.sql) but nothing in
// it, so the dashboard's overview charts nothing. This plays a month of a small
// shop's referral program into it THROUGH THE WORKER'S OWN ENDPOINTS, the way
// real traffic arrives: referred visits (track-visit), signups from the browser
// (track-signup, screened for fraud), from the shop's server (v1 entries, the
// signup webhook with the demo webhook secret), purchases from Stripe (signed
// `checkout.session.completed` with the demo Stripe secret), from the server (v1)
// and claims only the browser made (track-purchase), refunds (v1 and signed
// `charge.refunded`), the owner's review (approve, reject), bonus completions and
// one adjustment. No ledger row, total or counter is written here: the worker's
// engine writes them all, so the numbers obey its rules.
//
// Past dates: the API takes no event time from a caller (every write is "now"),
// so the activity is played on a short-lived `wrangler dev` of the same built
// worker whose clock a request may set (scripts/demo-clock.mjs, never deployed),
// started on a free port with the same local D1 before `npm start` serves it.
//
// Deterministic (a fixed PRNG seed: the same people, amounts and outcomes every
// time, placed relative to now), quick (a few hundred local requests) and
// idempotent: it runs only when the demo contest does not yet have the plan's
// last signup, and each step is itself a no-op when repeated (an email has one
// entry, an order id one purchase, a visit counts once per address and day).
//
// `node scripts/demo-activity.mjs [persistDir]` (scripts/start.sh runs it;
// ROCKET_DEMO_ACTIVITY=0 npm start skips it).
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { DEMO } from "./demo.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The fixed seed: change it and the demo's month changes. */
export const DEMO_SEED = 20_261_205;

/** mulberry32: a small, well-known 32-bit PRNG; [0, 1). @param {number} seed */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = ["Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofia", "Lucas", "Mia", "Hugo", "Lea", "Elias", "Nora", "Theo", "Ines", "Leo", "Ava", "Jonas", "Clara", "Omar", "Yuki", "Ravi", "Zoe", "Felix", "Maya", "Sam", "Iris", "Kai", "Lina", "Nils", "Rosa"];
const LAST = ["Novak", "Garcia", "Kim", "Dubois", "Rossi", "Silva", "Berg", "Okafor", "Tanaka", "Larsen", "Moreau", "Costa", "Weber", "Nguyen", "Khan", "Lopez", "Fischer", "Sato", "Ali", "Meyer"];
const PRICES = [19, 24.5, 29, 39, 49.99, 59, 79, 89.9, 129];

/** The advocates besides Ada: name, share of the referred traffic, the first day (ago) they share. */
const ADVOCATES = [
  { email: "ben.baker@example.org", name: "Ben Baker", weight: 3, joined: 28 },
  { email: "chloe.martin@example.org", name: "Chloé Martin", weight: 2, joined: 27 },
  { email: "dev.patel@example.org", name: "Dev Patel", weight: 1.5, joined: 26 },
  { email: "emma.schulz@example.org", name: "Emma Schulz", weight: 1, joined: 21 },
  { email: "farid.haddad@example.org", name: "Farid Haddad", weight: 0.6, joined: 12 },
];

/**
 * @typedef {{ kind: "connect-stripe" }
 *   | { kind: "advocate", email: string, name: string }
 *   | { kind: "visit", code: string, ip: string, path: string }
 *   | { kind: "signup", via: "tracker" | "v1" | "webhook", email: string, name: string, code: string | null, ip: string }
 *   | { kind: "purchase", via: "stripe" | "v1" | "tracker", email: string, orderId: string, amount: number, code: string | null, pi: string | null }
 *   | { kind: "verify", email: string, orderId: string, amount: number }
 *   | { kind: "refund", via: "stripe" | "v1", orderId: string, amount: number, total: number, pi: string | null }
 *   | { kind: "review", of: { purchase: string } | { signup: string }, approve: boolean }
 *   | { kind: "bonus", email: string, action: string }
 *   | { kind: "adjust", email: string, points: number, reason: string, key: string }
 * } Act
 * A step: what happens, when (ms), and its place in the plan (ties keep the plan's order).
 * @typedef {{ at: number, seq: number } & Act} Step
 * `code` in a plan is an advocate's email ("ada" is the demo advocate) until played.
 */

/**
 * The month: every step with its time, oldest first, all before `nowMs`.
 * Only times depend on `nowMs`; who does what, and how much, is the seed's.
 * @param {number} nowMs
 */
export function demoPlan(nowMs, seed = DEMO_SEED) {
  const rand = prng(seed);
  const pick = (/** @type {readonly any[]} */ list) => list[Math.floor(rand() * list.length)];
  /** @type {Step[]} */
  const steps = [];
  let seq = 0;
  const add = (/** @type {number} */ at, /** @type {Act} */ act) => steps.push({ at: Math.round(at), seq: seq++, ...act });
  /** A time on the day `daysAgo` before now: `daysAgo` days plus a part of a day earlier. */
  const dayTime = (/** @type {number} */ daysAgo) => nowMs - daysAgo * DAY - (0.05 + 0.9 * rand()) * 20 * HOUR - 5 * MINUTE;
  /** A later time than `t`, at most `most` later and always before now. */
  const later = (/** @type {number} */ t, /** @type {number} */ most) => t + Math.max(MINUTE, Math.min(most, nowMs - 2 * MINUTE - t) * (0.1 + 0.9 * rand()));

  add(nowMs - 30 * DAY, { kind: "connect-stripe" });
  // Each joins the day before their first referred visit can come.
  for (const a of ADVOCATES) add(nowMs - (a.joined + 1) * DAY, { kind: "advocate", email: a.email, name: a.name });
  const advocates = [{ email: "ada", weight: 5, joined: 40 }, ...ADVOCATES];

  let address = 0;
  const ip = () => `198.18.${(address >> 8) & 255}.${address++ & 255}`;
  const names = new Set();
  const friendName = () => {
    for (;;) {
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  let orders = 0;
  let stripeOrders = 0;
  let stripeRefunds = 0;
  let serverOrders = 0;
  let frauds = 0;
  let browserClaims = 0;
  let friends = 0;
  const paths = ["/", "/", "/shop/mugs", "/shop/tea", "/blog/brewing-guide"];

  // Days 28 to 0 ago: every moment falls within the overview's last 30 (UTC) days.
  for (let daysAgo = 28; daysAgo >= 0; daysAgo--) {
    // A slow start, growth as advocates share, two quieter days a week and the day the
    // newsletter went out. (The week is the plan's, not the calendar's: so the month
    // is the same whatever day it is played.)
    const quiet = daysAgo % 7 === 2 || daysAgo % 7 === 3;
    const trend = 5 + (28 - daysAgo) * 0.4;
    const volume = Math.round(trend * (quiet ? 0.6 : 1) * (daysAgo === 17 ? 2.6 : 1) * (0.75 + 0.5 * rand()));
    const live = advocates.filter((a) => a.joined >= daysAgo);
    const weights = live.reduce((s, a) => s + a.weight, 0);
    for (let v = 0; v < volume; v++) {
      let r = rand() * weights;
      const advocate = live.find((a) => (r -= a.weight) < 0) ?? live[0];
      const at = dayTime(daysAgo);
      const visitor = ip();
      add(at, { kind: "visit", code: advocate.email, ip: visitor, path: pick(paths) });
      if (rand() >= 0.14 || friends >= 45) continue;
      // The visitor signs up, minutes later, from the same address.
      friends++;
      const name = friendName();
      const roll = rand();
      const via = roll < 0.62 ? "tracker" : roll < 0.9 ? "v1" : "webhook";
      const disposable = via === "tracker" && rand() < 0.1;
      const email = `${name.toLowerCase().replace(" ", ".")}@${disposable ? "mailinator.com" : pick(["example.com", "example.net"])}`;
      const signedUp = later(at, 40 * MINUTE);
      add(signedUp, { kind: "signup", via, email, name, code: advocate.email, ip: visitor });
      if (disposable) {
        // A fraud hold: the owner rejects most of the older ones and approves some; the newest wait.
        if (daysAgo > 3) add(later(signedUp, 2 * DAY), { kind: "review", of: { signup: email }, approve: frauds++ % 3 === 1 });
        continue;
      }
      if (rand() >= 0.6) continue;
      const bought = later(signedUp, 4 * DAY);
      const amount = pick(PRICES);
      // How it was paid, in turn: a Stripe Checkout, an order the shop's server reports, a claim only the browser made.
      const how = (/** @type {const} */ (["stripe", "v1", "tracker", "stripe", "v1", "stripe", "tracker"]))[orders % 7];
      const orderId = `demo-${1001 + orders++}`;
      // Ada's friends may leave a browser-only claim waiting for review; others' are settled.
      const recentAda = advocate.email === "ada" && daysAgo <= 4;
      if (how === "stripe") {
        const pi = `pi_demo_${orderId.slice(5)}`;
        add(bought, { kind: "purchase", via: "stripe", email, orderId, amount, code: advocate.email, pi });
        // Every fourth Stripe order is refunded: in full, then in part, in turn.
        if (stripeOrders++ % 4 === 2) add(later(bought, 5 * DAY), { kind: "refund", via: "stripe", orderId, amount: stripeRefunds++ % 2 === 0 ? amount : Math.round(amount * 40) / 100, total: amount, pi });
      } else if (how === "v1" && !recentAda) {
        add(bought, { kind: "purchase", via: "v1", email, orderId, amount, code: null, pi: null });
        // Every third order reported by the server is refunded in half.
        if (serverOrders++ % 3 === 1) add(later(bought, 5 * DAY), { kind: "refund", via: "v1", orderId, amount: Math.round(amount * 50) / 100, total: amount, pi: null });
      } else {
        add(bought, { kind: "purchase", via: "tracker", email, orderId, amount, code: advocate.email, pi: null });
        if (recentAda) continue;
        // In turn: the owner approves the claim, rejects it, or the shop's server reports the order (verified).
        const settle = browserClaims++ % 3;
        if (settle === 2) add(later(bought, DAY), { kind: "verify", email, orderId, amount });
        else add(later(bought, 2 * DAY), { kind: "review", of: { purchase: orderId }, approve: settle === 0 });
      }
    }
    // An organic signup now and then (no referral), from the shop's server.
    if (rand() < 0.3) {
      const name = friendName();
      add(dayTime(daysAgo), { kind: "signup", via: "v1", email: `${name.toLowerCase().replace(" ", ".")}@example.com`, name, code: null, ip: ip() });
    }
  }
  // Bonus actions: some people follow, some open the product page.
  for (const s of [...steps]) {
    if (!(s.kind === "signup" || s.kind === "advocate") || s.email.endsWith("@mailinator.com")) continue;
    if (rand() < 0.4) add(later(s.at, 3 * DAY), { kind: "bonus", email: s.email, action: "ba_demo_follow" });
    if (rand() < 0.25) add(later(s.at, 3 * DAY), { kind: "bonus", email: s.email, action: "ba_demo_visit" });
  }
  // Ten days ago, a signup from a throwaway address through Chloé's link, held for
  // fraud: the owner looked and approved it the next day.
  const checked = nowMs - 10 * DAY - 4 * HOUR;
  add(checked - 12 * MINUTE, { kind: "visit", code: "chloe.martin@example.org", ip: "198.19.1.3", path: "/shop/mugs" });
  add(checked, { kind: "signup", via: "tracker", email: "sam.real@mailinator.com", name: "Sam Real", code: "chloe.martin@example.org", ip: "198.19.1.3" });
  add(checked + DAY, { kind: "review", of: { signup: "sam.real@mailinator.com" }, approve: true });
  // Yesterday, a signup from a throwaway address through Dev's link: held for fraud, waiting for the owner.
  const held = nowMs - DAY - 3 * HOUR;
  add(held - 10 * MINUTE, { kind: "visit", code: "dev.patel@example.org", ip: "198.19.1.1", path: "/" });
  add(held, { kind: "signup", via: "tracker", email: "quick.prize@mailinator.com", name: "Quick Prize", code: "dev.patel@example.org", ip: "198.19.1.1" });
  // Two days ago a friend of Ada's signed up in the shop, and paid yesterday; only the
  // browser reported it: its award waits for the owner (README's walkthrough approves one such).
  const friendDay = nowMs - 2 * DAY - 2 * HOUR;
  add(friendDay - 15 * MINUTE, { kind: "visit", code: "ada", ip: "198.19.1.2", path: "/shop/tea" });
  add(friendDay, { kind: "signup", via: "tracker", email: "nina.holm@example.com", name: "Nina Holm", code: "ada", ip: "198.19.1.2" });
  add(nowMs - DAY - 5 * HOUR, { kind: "purchase", via: "tracker", email: "nina.holm@example.com", orderId: "demo-0999", amount: 59, code: "ada", pi: null });
  add(nowMs - 22 * DAY, { kind: "adjust", email: "ben.baker@example.org", points: 25, reason: "Launch week: reviewed us on his blog", key: "demo-adjust-ben" });
  // The last step, the marker that the month was played: a signup a few minutes ago.
  add(nowMs - 3 * MINUTE, { kind: "signup", via: "v1", email: "today.newcomer@example.com", name: "Tia Newcomer", code: "ada", ip: ip() });
  steps.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return steps;
}

/** The plan's last signup: its entry in the demo contest means the month was played. */
export const MARKER_EMAIL = "today.newcomer@example.com";

/** What the plan adds up to, for the tests. @param {Step[]} steps */
export function planTotals(steps) {
  const count = (/** @type {string} */ kind) => steps.filter((s) => s.kind === kind).length;
  return {
    visits: count("visit"),
    entries: count("signup") + count("advocate"),
    referredSignups: steps.filter((s) => s.kind === "signup" && s.code !== null).length,
    // The owner's rejection of a fraud-held referral removes its link (no longer referred).
    rejectedReferrals: steps.filter((s) => s.kind === "review" && "signup" in s.of && !s.approve).length,
    purchases: count("purchase"),
    refunds: count("refund"),
    reviews: count("review"),
    bonus: count("bonus"),
    days: new Set(steps.filter((s) => s.kind === "visit").map((s) => new Date(s.at).toISOString().slice(0, 10))).size,
  };
}

/** Stripe's `Stripe-Signature` for `payload` at `atMs` (its documented scheme). @param {string} payload @param {number} atMs */
function stripeSignature(payload, atMs) {
  const t = Math.floor(atMs / 1000);
  return `t=${t},v1=${createHmac("sha256", DEMO.stripeSecret).update(`${t}.${payload}`).digest("hex")}`;
}

/** Plays `steps` against a worker at `base` whose clock follows `x-rocket-demo-clock`.
 * @param {string} base @param {Step[]} steps @param {(line: string) => void} [log] */
export async function play(base, steps, log = () => {}) {
  const contest = DEMO.contestId;
  /** @type {Map<string, { id: string, code: string }>} */
  const entries = new Map();
  /** @type {Map<string, string>} order id -> purchase id */
  const purchases = new Map();

  /** @param {number} at @param {string} method @param {string} path @param {unknown} [body] @param {Record<string, string>} [headers] */
  async function call(at, method, path, body, headers = {}) {
    const payload = typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body);
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-rocket-demo-clock": String(at), ...headers },
      body: payload,
    });
    const text = await res.text();
    /** @type {any} */
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json, text };
  }
  const key = { "x-api-key": DEMO.privateKey };
  /** @param {{ status: number, text: string }} r @param {string} what @param {number[]} [ok] */
  const expect = (r, what, ok = [200, 201]) => {
    if (!ok.includes(r.status)) throw new Error(`demo activity: ${what}: ${r.status} ${r.text}`);
  };
  /** The entry of an email, from the step that made it or, on a repeated run, the API. @param {number} at @param {string} email */
  async function entryOf(at, email) {
    const known = entries.get(email);
    if (known) return known;
    const r = await call(at, "GET", `/api/v1/contests/${contest}/entries?q=${encodeURIComponent(email)}`, undefined, key);
    expect(r, `find ${email}`);
    const e = r.json.data.find((/** @type {any} */ x) => x.email === email);
    if (!e) throw new Error(`demo activity: no entry for ${email}`);
    entries.set(email, { id: e.id, code: e.referralCode });
    return /** @type {{ id: string, code: string }} */ (entries.get(email));
  }
  /** An advocate's code: "ada" is the demo advocate. @param {number} at @param {string | null} who */
  const codeOf = async (at, who) => (who === null ? null : who === "ada" ? DEMO.referralCode : (await entryOf(at, who)).code);
  /** @param {number} at @param {string} orderId */
  async function purchaseOf(at, orderId) {
    const known = purchases.get(orderId);
    if (known) return known;
    const r = await call(at, "GET", `/api/v1/contests/${contest}/purchases?limit=100`, undefined, key);
    expect(r, "purchases");
    for (const p of r.json.data) purchases.set(p.orderId, p.id);
    const id = purchases.get(orderId);
    if (!id) throw new Error(`demo activity: no purchase ${orderId}`);
    return id;
  }
  /** The pending awards a review step settles. @param {number} at @param {{ purchase: string } | { signup: string }} of */
  async function pendingFor(at, of) {
    const r = await call(at, "GET", `/api/v1/contests/${contest}/awards?status=pending&limit=100`, undefined, key);
    expect(r, "pending awards");
    /** @type {any[]} */
    const pending = r.json.data;
    if ("purchase" in of) {
      const id = await purchaseOf(at, of.purchase);
      return pending.filter((a) => a.cause.type === "purchase" && a.cause.id === id).map((a) => a.id);
    }
    const friend = await entryOf(at, of.signup);
    return pending.filter((a) => (a.cause.type === "referredEntry" && a.cause.id === friend.id) || a.entryId === friend.id).map((a) => a.id);
  }

  /** @param {Step} s */
  async function run(s) {
    const at = s.at;
    switch (s.kind) {
      case "connect-stripe":
        return expect(await call(at, "PATCH", `/api/v1/contests/${contest}`, { stripeWebhookSecret: DEMO.stripeSecret }, key), "connect Stripe");
      case "advocate": {
        const r = await call(at, "POST", `/api/v1/contests/${contest}/entries`, { email: s.email, name: s.name }, key);
        expect(r, `advocate ${s.email}`);
        entries.set(s.email, { id: r.json.data.id, code: r.json.data.referralCode });
        return;
      }
      case "visit": {
        const r = await call(at, "POST", "/api/referral/track-visit", { contestId: contest, referralCode: await codeOf(at, s.code), url: `https://shop.example${s.path}?ref=x` }, { "cf-connecting-ip": s.ip });
        return expect(r, "visit");
      }
      case "signup": {
        const code = await codeOf(at, s.code);
        const body = { email: s.email, name: s.name, ...(code ? { referralCode: code } : {}) };
        const r =
          s.via === "tracker"
            ? await call(at, "POST", "/api/referral/track-signup", { contestId: contest, ...body }, { "cf-connecting-ip": s.ip })
            : s.via === "webhook"
              ? await call(at, "POST", `/api/webhooks/signup/${contest}`, body, { "x-webhook-secret": DEMO.webhookSecret })
              : await call(at, "POST", `/api/v1/contests/${contest}/entries`, body, key);
        expect(r, `signup ${s.email}`);
        const d = r.json.data;
        if (d.entryId ?? d.id) entries.set(s.email, { id: d.entryId ?? d.id, code: d.referralCode });
        return;
      }
      case "purchase": {
        let r;
        if (s.via === "stripe") {
          const payload = JSON.stringify({
            id: `evt_demo_${s.orderId}`,
            object: "event",
            type: "checkout.session.completed",
            data: {
              object: {
                id: s.orderId,
                object: "checkout.session",
                amount_total: Math.round(s.amount * 100),
                currency: "usd",
                payment_status: "paid",
                customer_details: { email: s.email },
                client_reference_id: await codeOf(at, s.code),
                payment_intent: s.pi,
              },
            },
          });
          r = await call(at, "POST", `/api/webhooks/stripe/${contest}`, payload, { "stripe-signature": stripeSignature(payload, at) });
        } else if (s.via === "v1") {
          r = await call(at, "POST", `/api/v1/contests/${contest}/purchases`, { email: s.email, orderId: s.orderId, amount: s.amount, currency: "USD" }, key);
        } else {
          const body = { contestId: contest, email: s.email, orderId: s.orderId, amount: s.amount, currency: "USD", referralCode: await codeOf(at, s.code) };
          r = await call(at, "POST", "/api/referral/track-purchase", body, { "cf-connecting-ip": "198.19.0.1" });
        }
        expect(r, `purchase ${s.orderId}`);
        const d = r.json.data ?? r.json;
        if (d.purchaseId) purchases.set(s.orderId, d.purchaseId);
        return;
      }
      case "verify": {
        // The shop's server reports the order the browser claimed: verified, its award confirmed.
        const r = await call(at, "POST", `/api/v1/contests/${contest}/purchases`, { email: s.email, orderId: s.orderId, amount: s.amount, currency: "USD" }, key);
        return expect(r, `verify ${s.orderId}`);
      }
      case "refund": {
        if (s.via === "stripe") {
          const cents = Math.round(s.amount * 100);
          const payload = JSON.stringify({
            id: `evt_demo_refund_${s.orderId}`,
            object: "event",
            type: "charge.refunded",
            data: {
              object: {
                id: `ch_demo_${s.orderId.slice(5)}`,
                object: "charge",
                payment_intent: s.pi,
                amount: Math.round(s.total * 100),
                amount_refunded: cents,
                currency: "usd",
                refunded: cents >= Math.round(s.total * 100),
              },
            },
          });
          return expect(await call(at, "POST", `/api/webhooks/stripe/${contest}`, payload, { "stripe-signature": stripeSignature(payload, at) }), `refund ${s.orderId}`);
        }
        // A v1 refund is not keyed: repeated, it would refund again; only a purchase without one is refunded.
        const id = await purchaseOf(at, s.orderId);
        const p = await call(at, "GET", `/api/v1/contests/${contest}/purchases?limit=100`, undefined, key);
        expect(p, "purchases");
        if (p.json.data.find((/** @type {any} */ x) => x.id === id)?.refundedAmount > 0) return;
        return expect(await call(at, "POST", `/api/v1/purchases/${id}/refund`, { amount: s.amount }, key), `refund ${s.orderId}`);
      }
      case "review": {
        const ids = await pendingFor(at, s.of);
        if (ids.length === 0) return;
        const body = s.approve ? { confirm: ids } : { reject: ids };
        return expect(await call(at, "POST", `/api/v1/contests/${contest}/awards/review`, body, key), "review");
      }
      case "bonus": {
        const entry = s.email === "ada" ? { id: DEMO.advocateId } : await entryOf(at, s.email);
        const r = await call(at, "POST", `/api/v1/entries/${entry.id}/bonus-actions/${s.action}/complete`, {}, key);
        // 409: already completed (a repeated run).
        return expect(r, `bonus ${s.email}`, [200, 201, 409]);
      }
      case "adjust": {
        const entry = await entryOf(at, s.email);
        const r = await call(at, "POST", `/api/v1/entries/${entry.id}/adjust-points`, { points: s.points, reason: s.reason }, { ...key, "idempotency-key": s.key });
        return expect(r, `adjust ${s.email}`);
      }
    }
  }

  // Visits of one moment are independent: sent together; everything else in order.
  for (let i = 0; i < steps.length; ) {
    const step = steps[i];
    if (step.kind !== "visit") {
      await run(step);
      i++;
      continue;
    }
    let j = i;
    while (j < steps.length && steps[j].kind === "visit" && j - i < 16) j++;
    // A burst shares the first visit's time, so the isolate's clock is one time.
    await Promise.all(steps.slice(i, j).map((s) => run({ ...s, at: step.at })));
    i = j;
  }
  log(`played ${steps.length} steps`);
}

/** A TCP port free on 127.0.0.1 now (the e2e stacks take theirs from here too).
 * @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** `wrangler d1 execute` on the local database. @param {string[]} persist @param {string} sql */
function localSql(persist, sql) {
  const out = execFileSync("wrangler", ["d1", "execute", "DB", "--local", ...persist, "--json", "--command", sql], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out)[0].results;
}

/** Plays the month into the local database of `persistDir` (wrangler's default
 * state when empty), unless it was played before. Answers whether it played.
 * @param {string} [persistDir] @param {(line: string) => void} [log] */
export async function seedDemoActivity(persistDir = "", log = (line) => process.stderr.write(`[rocket] ${line}\n`)) {
  const persist = persistDir ? ["--persist-to", persistDir] : [];
  const marker = localSql(persist, `SELECT COUNT(*) AS n FROM entries WHERE contest_id = '${DEMO.contestId}' AND email = '${MARKER_EMAIL}'`);
  if (marker[0]?.n > 0) return false;
  const started = Date.now();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The seeding worker: scripts/demo-clock.mjs (the built worker with a settable
  // clock) on a free port, with the same local D1; gone before npm start serves.
  const child = spawn(
    "wrangler",
    ["dev", "scripts/demo-clock.mjs", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--log-level=warn", ...persist],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = () => {
    try {
      process.kill(-(/** @type {number} */ (child.pid)), "SIGTERM");
    } catch {}
  };
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the demo seeding worker exited:\n${output}`);
      const up = await fetch(`${base}/api/openapi.json`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`the demo seeding worker did not answer:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const ready = Date.now();
    const now = Date.now();
    const steps = demoPlan(now);
    const expected = planTotals(steps);
    log(`playing 30 days of demo activity into ${DEMO.contestId} (${steps.length} steps through the worker's own endpoints)`);
    await play(base, steps);
    // Visits are written by the queue's consumer: wait for the last ones.
    const key = { "x-api-key": DEMO.privateKey };
    for (const until = Date.now() + 30_000; ; ) {
      const stats = await fetch(`${base}/api/v1/contests/${DEMO.contestId}/stats`, { headers: key }).then((r) => r.json());
      if (stats.data.visits >= expected.visits) break;
      if (Date.now() > until) throw new Error(`demo activity: ${stats.data.visits} of ${expected.visits} visits written`);
      await new Promise((r) => setTimeout(r, 250));
    }
    log(`demo activity played in ${((Date.now() - started) / 1000).toFixed(1)} s (its worker started in ${((ready - started) / 1000).toFixed(1)} s)`);
    return true;
  } finally {
    stop();
    // Wait for it to let go of the port and the database.
    for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  seedDemoActivity(process.argv[2] ?? "").catch((e) => {
    console.error(String(e?.stack ?? e));
    process.exit(1);
  });
}
