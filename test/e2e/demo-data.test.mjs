// The demo month (issue 27): `npm start` plays 30 days of activity into the demo
// contest through the worker's own endpoints (scripts/demo-activity.mjs on the
// demo clock, scripts/demo-clock.mjs). Here: the overview charts it day by day in
// Chromium; the numbers obey the rules (every entry's ledger sums to its totals,
// the contest's counters to its entries, refunds are negative rows, holds wait,
// the owner's reviews are recorded); the plan is deterministic; a restart on the
// same database plays nothing again; and no trace of the demo clock is deployed.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { demoPlan, MARKER_EMAIL, planTotals } from "../../scripts/demo-activity.mjs";
import { assertClean, DashboardApp } from "./dashboard-kit.mjs";
import { DEMO, launchChromium, ROOT, startStack } from "./stack.mjs";

const persistDir = mkdtempSync(join(tmpdir(), "rocket-demo-data-"));
/** @type {DashboardApp} */
let app;
/** What the played plan adds up to. @type {ReturnType<typeof planTotals>} */
let plan;

before(async () => {
  app = new DashboardApp(await startStack({ persistDir, demoMonth: true }), await launchChromium());
  // The plan as it was played: its last step, the marker signup, came 3 minutes before its "now".
  const marker = (await read(`/api/v1/contests/${DEMO.contestId}/entries?q=${MARKER_EMAIL}`)).data[0];
  plan = planTotals(demoPlan(Date.parse(marker.createdAt) + 3 * 60_000));
});

after(async () => {
  await app?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

/** @param {string} path */
async function read(path) {
  const r = await app.v1("GET", path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Every item of a paged v1 list. @param {string} path */
async function all(path) {
  const items = [];
  for (let page = 1; ; page++) {
    const body = await read(`${path}${path.includes("?") ? "&" : "?"}limit=100&page=${page}`);
    items.push(...body.data);
    if (page >= body.pagination.totalPages) return items;
  }
}

/** Every row of an entry's ledger (its pages: `data.entries`). @param {string} entryId @returns {Promise<any[]>} */
async function ledgerOf(entryId) {
  const rows = [];
  for (let page = 1; ; page++) {
    const body = await read(`/api/v1/entries/${entryId}/ledger?limit=100&page=${page}`);
    rows.push(...body.data.entries);
    if (page >= body.pagination.totalPages) return rows;
  }
}

const daysAgo = (/** @type {number} */ n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test("npm start played the month: the overview charts visits, signups and purchases on many of the last 30 days", async () => {
  assert.match(app.stack.output(), /playing 30 days of demo activity into ct_demo \(\d+ steps through the worker's own endpoints\)/);
  const series = (await read(`/api/v1/contests/${DEMO.contestId}/timeseries?from=${daysAgo(29)}&to=${daysAgo(0)}`)).data.days;
  const on = (/** @type {"visits" | "signups" | "purchases"} */ field) => series.filter((/** @type {any} */ d) => d[field] > 0).length;
  assert.ok(on("visits") >= 25, `visits on ${on("visits")} days`);
  assert.ok(on("signups") >= 15, `signups on ${on("signups")} days`);
  assert.ok(on("purchases") >= 6, `purchases on ${on("purchases")} days`);

  const { page, context, log } = await app.freshPage({ width: 1280, height: 900 });
  await app.openSignedIn(page, `/dashboard/contests/${DEMO.contestId}/overview`, "Demo launch contest");
  await page.locator(".chart canvas").first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".chart-data tbody tr").length === 30);
  const rows = await page.locator(".chart-data tbody tr").evaluateAll((trs) => trs.map((r) => [...r.children].map((c) => c.textContent ?? "")));
  const withVisits = rows.filter((r) => r[1] !== "0").length;
  assert.ok(withVisits >= 25, `the table shows visits on ${withVisits} of 30 days: ${JSON.stringify(rows)}`);
  // The top advocates: the demo advocate and the advocates the month brought.
  const top = page.getByRole("list", { name: "Top advocates" });
  await top.getByText(DEMO.advocateName).waitFor();
  assert.ok((await top.getByRole("listitem").count()) >= 5, "several advocates with different results");
  assertClean(log);
  await context.close();
});

test("the demo numbers obey the rules: ledgers sum to totals, counters to entries, refunds negative, holds pending, reviews recorded", async () => {
  const stats = (await read(`/api/v1/contests/${DEMO.contestId}/stats`)).data;
  // Each visit from its own address; each signup its own email; Ada was seeded.
  assert.equal(stats.visits, plan.visits, "every planned visit counted once");
  assert.equal(stats.signups, plan.entries + 1, "every planned signup is an entry");
  assert.equal(stats.referredSignups, plan.referredSignups - plan.rejectedReferrals, "referred, but for the referrals the owner rejected");
  assert.ok(plan.rejectedReferrals > 0);

  const entries = await all(`/api/v1/contests/${DEMO.contestId}/entries`);
  assert.equal(entries.length, stats.signups);
  /** @type {any[]} */
  const rows = [];
  for (const entry of entries) {
    const ledger = await ledgerOf(entry.id);
    const sum = (/** @type {string} */ status) => ledger.filter((r) => r.status === status).reduce((s, r) => s + r.points, 0);
    assert.equal(sum("confirmed"), entry.totalPoints, `${entry.email}: confirmed rows = totalPoints`);
    assert.equal(sum("pending"), entry.pendingPoints, `${entry.email}: pending rows = pendingPoints`);
    rows.push(...ledger.map((r) => ({ ...r, entry })));
  }
  assert.equal(entries.reduce((s, e) => s + e.totalPoints, 0), stats.points, "the contest's points = its entries'");
  assert.equal(entries.reduce((s, e) => s + e.pendingPoints, 0), stats.pendingPoints);

  const refunds = rows.filter((r) => r.reason === "purchase_refund");
  assert.ok(refunds.length >= 2, `refund rows: ${refunds.length}`);
  assert.ok(refunds.every((r) => r.points < 0), "a refund takes points back");
  const reasons = new Set(rows.map((r) => r.reason));
  for (const reason of ["referral_advocate", "referral_friend", "purchase", "purchase_refund", "bonus_action", "adjustment"]) assert.ok(reasons.has(reason), `a ${reason} row`);

  // Holds: a fraud-held referral and browser-only purchases wait; the owner's
  // earlier reviews approved some held awards and rejected others.
  const pending = await all(`/api/v1/contests/${DEMO.contestId}/awards?status=pending`);
  const held = (/** @type {string} */ hold) => pending.filter((a) => a.holdReason === hold);
  assert.ok(held("fraud").length >= 2, "the advocate's and the friend's award of a fraud-held signup");
  assert.ok(held("unverified_purchase").length >= 1, "a purchase only the browser reported waits");
  // README's walkthrough approves Ada's: the browser-only claims waiting are all hers.
  assert.ok(held("unverified_purchase").every((a) => a.entryId === DEMO.advocateId), "waiting browser-only purchases are Ada's");
  assert.ok(rows.some((r) => r.status === "rejected" && r.holdReason === "fraud"), "a fraud hold rejected by the owner");
  assert.ok(rows.some((r) => r.status === "confirmed" && r.holdReason === "fraud"), "a fraud hold approved by the owner");
  assert.ok(rows.some((r) => r.status === "rejected" && r.holdReason === "unverified_purchase"), "a browser-only purchase rejected");
  assert.ok(rows.some((r) => r.status === "confirmed" && r.holdReason === "unverified_purchase"), "a browser-only purchase approved");

  // Purchases from every source: Stripe (the demo contest has a Stripe secret), the shop's server, the browser.
  const purchases = await all(`/api/v1/contests/${DEMO.contestId}/purchases`);
  assert.equal(purchases.length, plan.purchases);
  const sources = new Set(purchases.map((p) => p.source));
  for (const source of ["stripe", "api", "tracker"]) assert.ok(sources.has(source), `a purchase from ${source}: ${[...sources]}`);
  assert.ok(purchases.some((p) => p.status === "refunded" && p.refundedAmount === p.amount), "a full refund");
  assert.ok(purchases.some((p) => p.status === "verified" && p.refundedAmount > 0 && p.refundedAmount < p.amount), "a partial refund");
  assert.equal((await read(`/api/v1/contests/${DEMO.contestId}`)).data.stripeConfigured, true);
  // Ada stays the demo's advocate, with points a person would have.
  const ada = entries.find((e) => e.id === DEMO.advocateId);
  assert.ok(ada.totalPoints > 0 && ada.totalPoints < 1000, `Ada's points: ${ada.totalPoints}`);
  assert.ok(entries.length < 90, `entries stay few (tests list the first 100): ${entries.length}`);
});

test("the month is deterministic: the same people, amounts and outcomes whenever it is played; only times follow now", () => {
  const now = Date.now();
  const acts = (/** @type {number} */ t) => demoPlan(t).map(({ at, seq, ...act }) => act);
  assert.deepEqual(acts(now), acts(now));
  for (const shift of [1, 3.5, 7, -10]) assert.deepEqual(acts(now), acts(now + shift * 86_400_000 + 12_345), `${shift} days later`);
  const steps = demoPlan(now);
  assert.ok(steps.every((s, i) => s.at < now && (i === 0 || steps[i - 1].at <= s.at)), "all in the past, oldest first");
  const last = steps.at(-1);
  assert.equal(last?.kind === "signup" ? last.email : last?.kind, MARKER_EMAIL, "the last step marks the month as played");
});

test("a restart on the same database plays nothing again", async () => {
  const before = (await read(`/api/v1/contests/${DEMO.contestId}/stats`)).data;
  await app.stack.stop();
  app.stack = await startStack({ persistDir, demoMonth: true });
  app.base = app.stack.base;
  assert.doesNotMatch(app.stack.output(), /playing 30 days of demo activity/);
  assert.deepEqual((await read(`/api/v1/contests/${DEMO.contestId}/stats`)).data, before);
});

test("the demo clock is never deployed: wrangler.toml's main is the worker, and no built file knows the header", () => {
  assert.match(readFileSync(`${ROOT}/wrangler.toml`, "utf8"), /^main = "edge\/build\/index\.js"$/m);
  /** @param {string} dir @returns {string[]} */
  const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  const built = files(`${ROOT}/edge/build`);
  assert.ok(built.some((f) => f.endsWith(".wasm")));
  for (const file of built) assert.ok(!readFileSync(file).includes("x-rocket-demo-clock"), `${file} has no demo clock`);
  assert.ok(readFileSync(`${ROOT}/scripts/demo-clock.mjs`, "utf8").includes("x-rocket-demo-clock"), "the header is the clock's");
});
