// Contest integrity: browser reports are claims (pending), trusted sources
// (private key, webhook secret) confirm; the owner reviews; holdDays confirms
// review/velocity holds through the Cron Trigger; caps and currency rates.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, confirmedPoints, count, expectError, expectLedgerConsistent, ledgerOf, TestApp } from "./app";

const IP = "203.0.113.7";

/** A browser call (no key) from `ip`. */
function browser(path: string, body: unknown, ip = IP) {
  return call("POST", path, { body, headers: { "CF-Connecting-IP": ip } });
}

function trackSignup(app: TestApp, email: string, referralCode: string, ip = IP) {
  return browser("/api/referral/track-signup", { email, contestId: app.contestId, referralCode }, ip);
}

function trackPurchase(app: TestApp, body: Record<string, unknown>, ip = IP) {
  return browser("/api/referral/track-purchase", { contestId: app.contestId, ...body }, ip);
}

function webhook(app: TestApp, kind: "signup" | "purchase", body: Record<string, unknown>) {
  return call("POST", `/api/webhooks/${kind}/${app.contestId}`, {
    body,
    headers: { "x-webhook-secret": app.contest.webhookSecret },
  });
}

function trustedPurchase(app: TestApp, body: Record<string, unknown>) {
  return app.post(`/api/v1/contests/${app.contestId}/purchases`, body);
}

/** Runs the worker's scheduled handler, as the Cron Trigger does (every 5 minutes). */
async function runCron() {
  await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
}

async function awardsOf(app: TestApp, query = "") {
  const r = await app.get(`/api/v1/contests/${app.contestId}/awards${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

type Row = { id: number; entry_id: string; delta: number; reason: string; ref_id: string; status: string; hold: string | null; confirm_after: string | null };

/** Ledger rows of an entry with their status, straight from D1. */
async function rowsOf(entryId: string, reason?: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, entry_id, delta, reason, ref_id, status, hold, confirm_after FROM ledger WHERE entry_id = ?1 AND (?2 IS NULL OR reason = ?2) ORDER BY id",
  )
    .bind(entryId, reason ?? null)
    .all<Row>();
  return results;
}

async function purchaseRow(contestId: string, orderId: string) {
  return env.DB.prepare("SELECT id, status, amount, buyer_email, credited_entry_id, source, verified_at FROM purchases WHERE contest_id = ? AND order_id = ?")
    .bind(contestId, orderId)
    .first<{ id: string; status: string; amount: number; buyer_email: string; credited_entry_id: string | null; source: string; verified_at: string | null }>();
}

describe("integrity settings", () => {
  it("a new contest has the documented defaults", async () => {
    const app = await TestApp.create();
    expect(app.contest).toMatchObject({
      browserPurchases: "pending",
      maxPointsPerPurchase: 100000,
      maxPointsPerAdjustment: 1000000,
      pointsCurrency: "USD",
      currencyRates: {},
      referralAwards: "instant",
      maxReferralsPerHour: 20,
      holdDays: 0,
    });
    const read = await app.get(`/api/v1/contests/${app.contestId}`);
    expect(read.body.data).toMatchObject({ browserPurchases: "pending", currencyRates: {}, holdDays: 0 });
  });

  it("PATCH sets each one; currency codes are upper-cased; null clears the rates", async () => {
    const app = await TestApp.create();
    const updated = await app.setContest({
      browserPurchases: "award",
      maxPointsPerPurchase: 500,
      maxPointsPerAdjustment: 2000,
      pointsCurrency: "eur",
      currencyRates: { usd: 0.92, JPY: 0.0062 },
      referralAwards: "onPurchase",
      maxReferralsPerHour: 5,
      holdDays: 7,
    });
    const expected = {
      browserPurchases: "award",
      maxPointsPerPurchase: 500,
      maxPointsPerAdjustment: 2000,
      pointsCurrency: "EUR",
      currencyRates: { USD: 0.92, JPY: 0.0062 },
      referralAwards: "onPurchase",
      maxReferralsPerHour: 5,
      holdDays: 7,
    };
    expect(updated).toMatchObject(expected);
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data).toMatchObject(expected);
    // One field at a time leaves the others alone.
    expect(await app.setContest({ referralAwards: "review" })).toMatchObject({ ...expected, referralAwards: "review" });
    expect(await app.setContest({ browserPurchases: "pending", holdDays: 0, maxPointsPerPurchase: 0 })).toMatchObject({
      browserPurchases: "pending",
      holdDays: 0,
      maxPointsPerPurchase: 0,
    });
    expect((await app.setContest({ currencyRates: null })).currencyRates).toEqual({});
    await app.setContest({ currencyRates: { GBP: 1.27 } });
    expect((await app.setContest({ currencyRates: {} })).currencyRates).toEqual({});
  });

  it("invalid values are 400s naming the field, and change nothing", async () => {
    const app = await TestApp.create();
    const url = `/api/v1/contests/${app.contestId}`;
    const cases: [Record<string, unknown>, string][] = [
      [{ referralAwards: "later" }, "referralAwards"],
      [{ referralAwards: "Instant" }, "referralAwards"],
      [{ browserPurchases: "maybe" }, "browserPurchases"],
      [{ holdDays: 400 }, "holdDays"],
      [{ holdDays: -1 }, "holdDays"],
      [{ currencyRates: { EURO: 1 } }, "currencyRates"],
      [{ currencyRates: { EUR: 0 } }, "currencyRates"],
      [{ currencyRates: { EUR: -2 } }, "currencyRates"],
      [{ currencyRates: { EUR: 2000000 } }, "currencyRates"],
      [{ maxPointsPerPurchase: -1 }, "maxPointsPerPurchase"],
      [{ maxPointsPerPurchase: 1000000001 }, "maxPointsPerPurchase"],
      [{ maxPointsPerAdjustment: 0 }, "maxPointsPerAdjustment"],
      [{ maxReferralsPerHour: 0 }, "maxReferralsPerHour"],
      [{ pointsCurrency: "dollars" }, "pointsCurrency"],
    ];
    for (const [body, field] of cases) {
      const r = await app.patch(url, body);
      expectError(r, 400, new RegExp(field));
    }
    const many: Record<string, number> = {};
    for (let i = 0; i < 201; i++) many[String.fromCharCode(65 + Math.floor(i / 26 / 26), 65 + (Math.floor(i / 26) % 26), 65 + (i % 26))] = 1;
    expectError(await app.patch(url, { currencyRates: many }), 400, /currencyRates/);
    // On create too.
    expectError(await app.post("/api/v1/contests", { name: "x", holdDays: 400 }), 400, /holdDays/);
    const after = (await app.get(url)).body.data;
    expect(after).toMatchObject({
      browserPurchases: "pending",
      maxPointsPerPurchase: 100000,
      maxPointsPerAdjustment: 1000000,
      pointsCurrency: "USD",
      currencyRates: {},
      referralAwards: "instant",
      maxReferralsPerHour: 20,
      holdDays: 0,
    });
  });
});

describe("browser purchase claims and trusted reports", () => {
  it("a browser purchase is pending; the trusted report verifies it with its own amount, once", async () => {
    const app = await TestApp.create();
    const adv = await app.addEntry("advocate@example.com");
    const claim = await trackPurchase(app, { email: "buyer@example.com", orderId: "ord-1", amount: 50, referralCode: adv.referralCode });
    expect(claim.status).toBe(200);
    // No buyer entry: entryId names the entry credited.
    expect(claim.body.data).toEqual({
      purchaseId: expect.stringMatching(/^pu_/),
      entryId: adv.id,
      creditedEntryId: adv.id,
      pointsAwarded: 0,
      alreadyExists: false,
      status: "pending",
      purchaseStatus: "unverified",
      message: "Purchase recorded successfully",
    });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 0, pendingPoints: 50 });
    expect(await rowsOf(adv.id, "purchase")).toMatchObject([{ delta: 50, status: "pending", hold: "unverified_purchase" }]);

    const trusted = await webhook(app, "purchase", { email: "buyer@example.com", orderId: "ord-1", amount: 80, referralCode: adv.referralCode });
    expect(trusted.status).toBe(200);
    expect(trusted.body.data).toEqual({
      purchaseId: claim.body.data.purchaseId,
      entryId: adv.id,
      creditedEntryId: adv.id,
      pointsAwarded: 80,
      alreadyExists: false,
      status: "confirmed",
      purchaseStatus: "verified",
      message: "Purchase recorded successfully",
    });
    // The pending claim no longer counts: one row, confirmed, from the trusted amount.
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 80, pendingPoints: 0 });
    expect(await rowsOf(adv.id, "purchase")).toMatchObject([{ delta: 80, status: "confirmed", ref_id: claim.body.data.purchaseId }]);
    expect(await purchaseRow(app.contestId, "ord-1")).toMatchObject({ status: "verified", amount: 80, source: "webhook", verified_at: expect.any(String) });

    const again = await webhook(app, "purchase", { email: "buyer@example.com", orderId: "ord-1", amount: 999, referralCode: adv.referralCode });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      purchaseId: claim.body.data.purchaseId,
      pointsAwarded: 0,
      alreadyExists: true,
      status: "confirmed",
      purchaseStatus: "verified",
      message: "Purchase already recorded",
    });
    // So is the browser repeating its claim.
    const claimAgain = await trackPurchase(app, { email: "buyer@example.com", orderId: "ord-1", amount: 5000, referralCode: adv.referralCode });
    expect(claimAgain.body.data).toMatchObject({ pointsAwarded: 0, alreadyExists: true, purchaseStatus: "verified" });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 80, pendingPoints: 0 });
    expect(await purchaseRow(app.contestId, "ord-1")).toMatchObject({ amount: 80 });
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?", app.contestId)).toBe(1);
    await expectLedgerConsistent(app.contestId);
  });

  it("a trusted report naming another buyer and code rejects the browser-credited advocate's award", async () => {
    const app = await TestApp.create();
    const a = await app.addEntry("alice@example.com");
    const b = await app.addEntry("bruno@example.com");
    const claim = await trackPurchase(app, { email: "buyer@example.com", orderId: "ord-x", amount: 40, referralCode: a.referralCode });
    expect(claim.body.data).toMatchObject({ creditedEntryId: a.id, status: "pending" });
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 0, pendingPoints: 40 });

    const trusted = await webhook(app, "purchase", { email: "realbuyer@example.com", orderId: "ord-x", amount: 60, referralCode: b.referralCode });
    expect(trusted.body.data).toMatchObject({
      purchaseId: claim.body.data.purchaseId,
      creditedEntryId: b.id,
      pointsAwarded: 60,
      alreadyExists: false,
      status: "confirmed",
      purchaseStatus: "verified",
    });
    expect(await rowsOf(a.id, "purchase")).toMatchObject([{ delta: 40, status: "rejected" }]);
    expect(await rowsOf(b.id, "purchase")).toMatchObject([{ delta: 60, status: "confirmed" }]);
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 0, pendingPoints: 0 });
    expect(await app.entry(b.id)).toMatchObject({ totalPoints: 60, pendingPoints: 0 });
    const list = await app.get(`/api/v1/contests/${app.contestId}/purchases`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      id: claim.body.data.purchaseId,
      orderId: "ord-x",
      email: "realbuyer@example.com",
      creditedEntryId: b.id,
      amount: 60,
      pointsAwarded: 60,
      awardStatus: "confirmed",
      referralCode: b.referralCode,
      source: "webhook",
      status: "verified",
    });
    await expectLedgerConsistent(app.contestId);
  });

  it("browser and trusted reports of one order, racing or in either order: one verified purchase, one confirmed award", async () => {
    const app = await TestApp.create();
    const adv = await app.addEntry("advocate@example.com");
    await app.addEntry("friend@example.com", { referralCode: adv.referralCode });
    const browserReport = (orderId: string) => trackPurchase(app, { email: "friend@example.com", orderId, amount: 30 });
    const trustedReport = (orderId: string) => trustedPurchase(app, { email: "friend@example.com", orderId, amount: 70 });

    const orders: string[] = [];
    for (let i = 0; i < 5; i++) {
      const orderId = `race-${i}`;
      orders.push(orderId);
      // Alternate which request is sent first.
      const [b, t] = i % 2 === 0
        ? await Promise.all([browserReport(orderId), trustedReport(orderId)])
        : await Promise.all([trustedReport(orderId), browserReport(orderId)]).then(([t, b]) => [b, t]);
      expect(b.status, JSON.stringify(b.body)).toBe(200);
      expect(b.body.data.pointsAwarded).toBe(0);
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      expect(t.body.data).toMatchObject({ pointsAwarded: 70, alreadyExists: false, status: "confirmed", purchaseStatus: "verified" });
    }

    // Browser first, then trusted.
    const b1 = await browserReport("seq-browser-first");
    expect(b1.body.data).toMatchObject({ status: "pending", purchaseStatus: "unverified", pointsAwarded: 0 });
    const t1 = await trustedReport("seq-browser-first");
    expect(t1.status).toBe(201);
    expect(t1.body.data).toMatchObject({ purchaseId: b1.body.data.purchaseId, pointsAwarded: 70, status: "confirmed", purchaseStatus: "verified" });
    orders.push("seq-browser-first");

    // Trusted first, then browser: the claim is a duplicate and awards nothing.
    const t2 = await trustedReport("seq-trusted-first");
    expect(t2.status).toBe(201);
    const b2 = await browserReport("seq-trusted-first");
    expect(b2.body.data).toMatchObject({ purchaseId: t2.body.data.purchaseId, pointsAwarded: 0, alreadyExists: true, status: "confirmed", purchaseStatus: "verified" });
    orders.push("seq-trusted-first");

    for (const orderId of orders) {
      expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ? AND order_id = ?", app.contestId, orderId)).toBe(1);
      const p = await purchaseRow(app.contestId, orderId);
      expect(p, orderId).toMatchObject({ status: "verified", amount: 70, credited_entry_id: adv.id });
      const { results } = await env.DB.prepare("SELECT entry_id, delta, status FROM ledger WHERE reason = 'purchase' AND ref_id = ?")
        .bind(p!.id)
        .all<{ entry_id: string; delta: number; status: string }>();
      expect(results, orderId).toEqual([{ entry_id: adv.id, delta: 70, status: "confirmed" }]);
    }
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10 + 70 * orders.length, pendingPoints: 0 });
    await expectLedgerConsistent(app.contestId);
  });

  it('browserPurchases "award": a browser purchase confirms at once', async () => {
    const app = await TestApp.create({ browserPurchases: "award" });
    const adv = await app.addEntry("advocate@example.com");
    const r = await trackPurchase(app, { email: "buyer@example.com", orderId: "o-1", amount: 25.4, referralCode: adv.referralCode });
    expect(r.body.data).toMatchObject({ creditedEntryId: adv.id, pointsAwarded: 25, status: "confirmed", purchaseStatus: "unverified", alreadyExists: false });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 25, pendingPoints: 0 });
    expect(await rowsOf(adv.id, "purchase")).toMatchObject([{ delta: 25, status: "confirmed", hold: null }]);
  });

  it("maxPointsPerPurchase caps every purchase award", async () => {
    const app = await TestApp.create();
    const buyer = await app.addEntry("whale@example.com");
    const big = await trustedPurchase(app, { email: "whale@example.com", orderId: "big", amount: 1000000 });
    expect(big.status).toBe(201);
    expect(big.body.data).toMatchObject({ creditedEntryId: buyer.id, pointsAwarded: 100000, status: "confirmed" });
    expect(await app.setContest({ maxPointsPerPurchase: 250 })).toMatchObject({ maxPointsPerPurchase: 250 });
    const capped = await trustedPurchase(app, { email: "whale@example.com", orderId: "big-2", amount: 1000000 });
    expect(capped.body.data.pointsAwarded).toBe(250);
    const under = await trustedPurchase(app, { email: "whale@example.com", orderId: "small", amount: 100 });
    expect(under.body.data.pointsAwarded).toBe(100);
    // Browser claims are capped too.
    const claim = await trackPurchase(app, { email: "whale@example.com", orderId: "claim", amount: 5000 });
    expect(claim.body.data).toMatchObject({ pointsAwarded: 0, status: "pending" });
    expect(await app.entry(buyer.id)).toMatchObject({ totalPoints: 100000 + 250 + 100, pendingPoints: 250 });
    expect(await confirmedPoints(buyer.id)).toBe(100350);
  });

  it("currencyRates: a currency without a rate is held at face value; with a rate it converts", async () => {
    const app = await TestApp.create();
    const buyer = await app.addEntry("eu@example.com");
    const held = await trustedPurchase(app, { email: "eu@example.com", orderId: "eur-1", amount: 100, currency: "EUR" });
    expect(held.status).toBe(201);
    expect(held.body.data).toMatchObject({ pointsAwarded: 0, status: "pending", purchaseStatus: "verified" });
    const pending = await awardsOf(app, "?status=pending");
    expect(pending.data).toHaveLength(1);
    expect(pending.data[0]).toMatchObject({
      entryId: buyer.id,
      points: 100,
      reason: "purchase",
      cause: { type: "purchase", id: held.body.data.purchaseId },
      status: "pending",
      holdReason: "currency",
      confirmAfter: null,
    });
    expect(await app.entry(buyer.id)).toMatchObject({ totalPoints: 0, pendingPoints: 100 });

    await app.setContest({ currencyRates: { EUR: 1.08 } });
    const converted = await trustedPurchase(app, { email: "eu@example.com", orderId: "eur-2", amount: 100, currency: "eur" });
    expect(converted.body.data).toMatchObject({ pointsAwarded: 108, status: "confirmed" });
    // The held one waits for the owner.
    expect(await app.entry(buyer.id)).toMatchObject({ totalPoints: 108, pendingPoints: 100 });
    const confirm = await app.post(`/api/v1/awards/${pending.data[0].id}/confirm`);
    expect(confirm.status).toBe(200);
    expect(await app.entry(buyer.id)).toMatchObject({ totalPoints: 208, pendingPoints: 0 });
    await expectLedgerConsistent(app.contestId);
  });
});

describe("owner review of awards", () => {
  it('referralAwards "review": both awards of a browser signup wait; the owner confirms and rejects them', async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const adv = await app.addEntry("advocate@example.com");
    const signup = await trackSignup(app, "newbie@example.com", adv.referralCode);
    expect(signup.status).toBe(200);
    expect(signup.body.data).toMatchObject({ isReferred: true, alreadyExists: false, pointsAwarded: { advocate: 0, friend: 0 }, status: "pending" });
    const friendId = signup.body.data.entryId;
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 0, pendingPoints: 10 });
    expect(await app.entry(friendId)).toMatchObject({ totalPoints: 0, pendingPoints: 5 });
    // Stats and the leaderboard count confirmed points only, and show the pending ones.
    expect((await app.get(`/api/v1/contests/${app.contestId}/stats`)).body.data).toMatchObject({ points: 0, pendingPoints: 15 });
    const board = (await app.get(`/api/v1/contests/${app.contestId}/leaderboard`)).body.data;
    expect(board.find((row: any) => row.entryId === adv.id)).toMatchObject({ totalPoints: 0, pendingPoints: 10 });

    const list = await awardsOf(app, "?status=pending");
    expect(list.success).toBe(true);
    expect(list.pagination).toEqual({ page: 1, limit: 20, total: 2, totalPages: 1 });
    // Newest first: the friend's award was written after the advocate's.
    expect(list.data).toEqual([
      {
        id: expect.any(Number),
        entryId: friendId,
        email: "newbie@example.com",
        contestId: app.contestId,
        points: 5,
        reason: "referral_friend",
        cause: { type: "advocateEntry", id: adv.id },
        note: null,
        status: "pending",
        holdReason: "review",
        confirmAfter: null,
        reviewedAt: null,
        createdAt: expect.any(String),
      },
      {
        id: expect.any(Number),
        entryId: adv.id,
        email: "advocate@example.com",
        contestId: app.contestId,
        points: 10,
        reason: "referral_advocate",
        cause: { type: "referredEntry", id: friendId },
        note: null,
        status: "pending",
        holdReason: "review",
        confirmAfter: null,
        reviewedAt: null,
        createdAt: expect.any(String),
      },
    ]);
    expect(list.data[0].id).toBeGreaterThan(list.data[1].id);
    const [friendAward, advAward] = list.data;
    expect((await awardsOf(app, "?status=confirmed")).data).toEqual([]);
    expect((await awardsOf(app, "?page=1&limit=1")).pagination).toEqual({ page: 1, limit: 1, total: 2, totalPages: 2 });
    expectError(await app.get(`/api/v1/contests/${app.contestId}/awards?status=held`), 400, /status/);

    const confirmed = await app.post(`/api/v1/awards/${advAward.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toMatchObject({ id: advAward.id, status: "confirmed", changed: true, holdReason: "review", reviewedAt: expect.any(String) });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10, pendingPoints: 0 });
    const twice = await app.post(`/api/v1/awards/${advAward.id}/confirm`);
    expect(twice.status).toBe(200);
    expect(twice.body.data).toMatchObject({ id: advAward.id, status: "confirmed", changed: false });
    expectError(await app.post(`/api/v1/awards/${advAward.id}/reject`), 409, "Award is already confirmed");
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10, pendingPoints: 0 });

    const rejected = await app.post(`/api/v1/awards/${friendAward.id}/reject`);
    expect(rejected.body.data).toMatchObject({ status: "rejected", changed: true });
    expect((await app.post(`/api/v1/awards/${friendAward.id}/reject`)).body.data).toMatchObject({ status: "rejected", changed: false });
    expectError(await app.post(`/api/v1/awards/${friendAward.id}/confirm`), 409, "Award is already rejected");
    expect(await app.entry(friendId)).toMatchObject({ totalPoints: 0, pendingPoints: 0 });
    expectError(await app.post(`/api/v1/awards/999999999/confirm`), 404, "Award not found");
    expectError(await app.post(`/api/v1/awards/not-a-number/confirm`), 404, "Award not found");
    await expectLedgerConsistent(app.contestId);
  });

  it("bulk review moves pending awards of this contest only, in one call", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const adv = await app.addEntry("advocate@example.com");
    const s = await trackSignup(app, "pat@example.com", adv.referralCode);
    const friendId = s.body.data.entryId;
    const [friendAward, advAward] = (await awardsOf(app, "?status=pending")).data;

    const other = await TestApp.create({ referralAwards: "review" });
    const otherAdv = await other.addEntry("owner2@example.com");
    await trackSignup(other, "sam@example.com", otherAdv.referralCode, "198.51.100.9");
    const otherIds = (await awardsOf(other, "?status=pending")).data.map((a: any) => a.id);
    expect(otherIds).toHaveLength(2);

    const url = `/api/v1/contests/${app.contestId}/awards/review`;
    const r = await app.post(url, { confirm: [advAward.id, otherIds[0]], reject: [friendAward.id, otherIds[1]] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toEqual({ requested: 4, changed: 2 });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10, pendingPoints: 0 });
    expect(await app.entry(friendId)).toMatchObject({ totalPoints: 0, pendingPoints: 0 });
    expect((await awardsOf(app, "?status=confirmed")).data.map((a: any) => a.id)).toEqual([advAward.id]);
    expect((await awardsOf(app, "?status=rejected")).data.map((a: any) => a.id)).toEqual([friendAward.id]);
    // The other account's awards did not move.
    expect((await awardsOf(other, "?status=pending")).data.map((a: any) => a.id).sort()).toEqual([...otherIds].sort());
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND status = 'pending'", other.contestId)).toBe(2);
    // Nor can the single routes reach them.
    expectError(await app.post(`/api/v1/awards/${otherIds[0]}/confirm`), 404, "Award not found");
    expectError(await app.post(`/api/v1/awards/${otherIds[0]}/reject`), 404, "Award not found");
    // Nor the bulk route of the other contest with this account's key.
    expectError(await app.post(`/api/v1/contests/${other.contestId}/awards/review`, { confirm: otherIds }), 404);

    // Already settled: nothing moves again.
    const again = await app.post(url, { confirm: [advAward.id], reject: [] });
    expect(again.body.data).toEqual({ requested: 1, changed: 0 });
    const rejectSettled = await app.post(url, { reject: [advAward.id] });
    expect(rejectSettled.body.data).toEqual({ requested: 1, changed: 0 });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10 });

    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1);
    expectError(await app.post(url, { confirm: tooMany }), 400, /at most 100/);
    expectError(await app.post(url, { confirm: tooMany.slice(0, 60), reject: tooMany.slice(60) }), 400, /at most 100/);
    expectError(await app.post(url, { confirm: [advAward.id], reject: [advAward.id] }), 400, /both/);
    expectError(await app.post(url, { confirm: ["x"] }), 400);
    await expectLedgerConsistent(app.contestId);
    await expectLedgerConsistent(other.contestId);
  });

  it("the review routes refuse a public key", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const adv = await app.addEntry("advocate@example.com");
    await trackSignup(app, "kim@example.com", adv.referralCode);
    const [award] = (await awardsOf(app, "?status=pending")).data;
    expectError(await app.get(`/api/v1/contests/${app.contestId}/awards`, app.publicKey), 403, "Private key required");
    expectError(await app.get(`/api/v1/contests/${app.contestId}/purchases`, app.publicKey), 403, "Private key required");
    expectError(await app.post(`/api/v1/contests/${app.contestId}/awards/review`, { confirm: [award.id] }, app.publicKey), 403, "Private key required");
    expectError(await app.post(`/api/v1/awards/${award.id}/confirm`, {}, app.publicKey), 403, "Private key required");
    expectError(await app.post(`/api/v1/awards/${award.id}/reject`, {}, app.publicKey), 403, "Private key required");
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND status = 'pending'", app.contestId)).toBe(2);
  });
});

describe("referral holds", () => {
  it('referralAwards "onPurchase": the advocate waits for the friend\'s verified purchase', async () => {
    const app = await TestApp.create({ referralAwards: "onPurchase" });
    const adv = await app.addEntry("advocate@example.com");
    const s = await trackSignup(app, "buyer@example.com", adv.referralCode);
    expect(s.body.data).toMatchObject({ pointsAwarded: { advocate: 0, friend: 5 }, status: "pending" });
    const friendId = s.body.data.entryId;
    expect(await rowsOf(adv.id, "referral_advocate")).toMatchObject([{ delta: 10, status: "pending", hold: "on_purchase", confirm_after: null }]);
    expect(await rowsOf(friendId, "referral_friend")).toMatchObject([{ delta: 5, status: "confirmed", hold: null }]);
    expect(await app.entry(friendId)).toMatchObject({ totalPoints: 5, pendingPoints: 0 });
    const pending = await awardsOf(app, "?status=pending");
    expect(pending.data).toMatchObject([{ entryId: adv.id, reason: "referral_advocate", holdReason: "on_purchase" }]);

    // The browser's report of a purchase confirms nothing.
    const claim = await trackPurchase(app, { email: "buyer@example.com", orderId: "ord-1", amount: 20 });
    expect(claim.body.data).toMatchObject({ creditedEntryId: adv.id, status: "pending", purchaseStatus: "unverified" });
    expect(await rowsOf(adv.id, "referral_advocate")).toMatchObject([{ status: "pending", hold: "on_purchase" }]);
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 0, pendingPoints: 30 });

    // A trusted report confirms it in the same request.
    const trusted = await trustedPurchase(app, { email: "buyer@example.com", orderId: "ord-1", amount: 20 });
    expect(trusted.status).toBe(201);
    expect(trusted.body.data).toMatchObject({ pointsAwarded: 20, status: "confirmed", purchaseStatus: "verified" });
    expect(await rowsOf(adv.id, "referral_advocate")).toMatchObject([{ delta: 10, status: "confirmed" }]);
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 30, pendingPoints: 0 });
    await expectLedgerConsistent(app.contestId);
  });

  it("velocity: past maxReferralsPerHour, browser signups through one advocate are held", async () => {
    const app = await TestApp.create({ maxReferralsPerHour: 3 });
    const adv = await app.addEntry("advocate@example.com");
    const names = ["amy", "ben", "cleo", "dev", "eli"];
    const replies = [];
    for (let i = 0; i < names.length; i++) {
      replies.push(await trackSignup(app, `${names[i]}@example.com`, adv.referralCode, `198.51.100.${10 + i}`));
    }
    for (const r of replies) expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const r of replies.slice(0, 3)) {
      expect(r.body.data).toMatchObject({ pointsAwarded: { advocate: 10, friend: 5 }, status: "confirmed" });
    }
    for (const r of replies.slice(3)) {
      expect(r.body.data).toMatchObject({ pointsAwarded: { advocate: 0, friend: 0 }, status: "pending" });
      expect(await rowsOf(r.body.data.entryId, "referral_friend")).toMatchObject([{ status: "pending", hold: "velocity" }]);
    }
    const advRows = await rowsOf(adv.id, "referral_advocate");
    expect(advRows.map((r) => [r.status, r.hold])).toEqual([
      ["confirmed", null],
      ["confirmed", null],
      ["confirmed", null],
      ["pending", "velocity"],
      ["pending", "velocity"],
    ]);
    const held = await awardsOf(app, "?status=pending");
    expect(held.data).toHaveLength(4);
    for (const a of held.data) expect(a.holdReason).toBe("velocity");
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 30, pendingPoints: 20 });
    // Trusted signups are not counted against velocity holds.
    const api = await app.addEntry("fay@example.com", { referralCode: adv.referralCode });
    expect(api.pointsAwarded).toEqual({ advocate: 10, friend: 5 });
    await expectLedgerConsistent(app.contestId);
  });

  it("holdDays: the Cron Trigger confirms due review holds, never fraud holds", async () => {
    const app = await TestApp.create({ referralAwards: "review", holdDays: 1 });
    const adv = await app.addEntry("advocate@example.com");
    const before = Date.now();
    const clean = await trackSignup(app, "nina@example.com", adv.referralCode, "198.51.100.20");
    expect(clean.body.data).toMatchObject({ status: "pending", pointsAwarded: { advocate: 0, friend: 0 } });
    const friendId = clean.body.data.entryId;
    // A disposable address: fraud score Medium, held for fraud whatever the mode.
    const shady = await trackSignup(app, "x@mailinator.com", adv.referralCode, "198.51.100.21");
    expect(shady.body.data).toMatchObject({ status: "pending", pointsAwarded: { advocate: 0, friend: 0 } });
    const shadyId = shady.body.data.entryId;

    const review = (await awardsOf(app, "?status=pending")).data.filter((a: any) => a.holdReason === "review");
    expect(review).toHaveLength(2);
    for (const a of review) {
      const due = Date.parse(a.confirmAfter);
      expect(due - before).toBeGreaterThan(86_400_000 - 60_000);
      expect(due - Date.now()).toBeLessThan(86_400_000 + 60_000);
    }
    const fraud = await rowsOf(shadyId, "referral_friend");
    expect(fraud).toMatchObject([{ status: "pending", hold: "fraud", confirm_after: null }]);
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND hold = 'fraud' AND status = 'pending' AND confirm_after IS NULL", app.contestId)).toBe(2);
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 0, pendingPoints: 20 });

    // Not due yet: the sweep leaves them.
    await runCron();
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND status = 'pending'", app.contestId)).toBe(4);

    // A day passes (for the review holds).
    const past = new Date(Date.now() - 60_000).toISOString();
    await env.DB.prepare("UPDATE ledger SET confirm_after = ? WHERE contest_id = ? AND hold = 'review'").bind(past, app.contestId).run();
    await runCron();

    expect(await rowsOf(friendId, "referral_friend")).toMatchObject([{ status: "confirmed", hold: "review" }]);
    expect(await rowsOf(adv.id, "referral_advocate")).toMatchObject([
      { ref_id: friendId, status: "confirmed", hold: "review" },
      { ref_id: shadyId, status: "pending", hold: "fraud" },
    ]);
    expect(await rowsOf(shadyId, "referral_friend")).toMatchObject([{ status: "pending", hold: "fraud" }]);
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10, pendingPoints: 10 });
    expect(await app.entry(friendId)).toMatchObject({ totalPoints: 5, pendingPoints: 0 });
    expect(await app.entry(shadyId)).toMatchObject({ totalPoints: 0, pendingPoints: 5 });
    const confirmedNow = (await awardsOf(app, "?status=confirmed")).data;
    expect(confirmedNow).toHaveLength(2);
    for (const a of confirmedNow) expect(a.reviewedAt).toEqual(expect.any(String));
    await expectLedgerConsistent(app.contestId);
  });
});

describe("holdDays on other holds", () => {
  it("velocity holds get a due date and the Cron Trigger confirms them; onPurchase, purchase and currency holds never do", async () => {
    const app = await TestApp.create({ maxReferralsPerHour: 1, holdDays: 2 });
    const adv = await app.addEntry("advocate@example.com");
    const first = await trackSignup(app, "gus@example.com", adv.referralCode, "198.51.100.30");
    expect(first.body.data.status).toBe("confirmed");
    const second = await trackSignup(app, "hal@example.com", adv.referralCode, "198.51.100.31");
    expect(second.body.data).toMatchObject({ status: "pending", pointsAwarded: { advocate: 0, friend: 0 } });
    const held = (await awardsOf(app, "?status=pending")).data;
    expect(held).toHaveLength(2);
    for (const a of held) {
      expect(a.holdReason).toBe("velocity");
      expect(Date.parse(a.confirmAfter) - Date.now()).toBeGreaterThan(2 * 86_400_000 - 120_000);
      expect(Date.parse(a.confirmAfter) - Date.now()).toBeLessThan(2 * 86_400_000 + 60_000);
    }

    // Holds that wait for an event get no due date, whatever holdDays says.
    await app.setContest({ referralAwards: "onPurchase", maxReferralsPerHour: 100 });
    const op = await trackSignup(app, "ida@example.com", adv.referralCode, "198.51.100.32");
    expect(op.body.data.status).toBe("pending");
    await trackPurchase(app, { email: "gus@example.com", orderId: "claim-1", amount: 9 });
    await trustedPurchase(app, { email: "gus@example.com", orderId: "jpy-1", amount: 1000, currency: "JPY" });
    const waiting = await env.DB.prepare("SELECT hold, confirm_after FROM ledger WHERE contest_id = ? AND status = 'pending' AND hold != 'velocity' ORDER BY hold")
      .bind(app.contestId)
      .all<{ hold: string; confirm_after: string | null }>();
    expect(waiting.results).toEqual([
      { hold: "currency", confirm_after: null },
      { hold: "on_purchase", confirm_after: null },
      { hold: "unverified_purchase", confirm_after: null },
    ]);

    const past = new Date(Date.now() - 60_000).toISOString();
    await env.DB.prepare("UPDATE ledger SET confirm_after = ? WHERE contest_id = ? AND hold = 'velocity'").bind(past, app.contestId).run();
    await runCron();
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND hold = 'velocity' AND status = 'confirmed'", app.contestId)).toBe(2);
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND status = 'pending'", app.contestId)).toBe(3);
    expect(await app.entry(second.body.data.entryId)).toMatchObject({ totalPoints: 5, pendingPoints: 0 });
    // adv: 2 confirmed referrals (10 each) + pending: onPurchase referral 10, browser claim 9, JPY purchase 1000 at face value.
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 20, pendingPoints: 10 + 9 + 1000 });
    await expectLedgerConsistent(app.contestId);
  });
});

describe("trusted signups take over browser-made entries", () => {
  it("a trusted signup naming another advocate rejects the browser's referral and credits the trusted one", async () => {
    const app = await TestApp.create();
    const a = await app.addEntry("attacker@example.com");
    const b = await app.addEntry("honest@example.com");
    const claim = await trackSignup(app, "victim@example.com", a.referralCode);
    expect(claim.body.data).toMatchObject({ isReferred: true, alreadyExists: false, pointsAwarded: { advocate: 10, friend: 5 }, status: "confirmed" });
    const victimId = claim.body.data.entryId;
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 10, referralCount: 1 });

    const trusted = await webhook(app, "signup", { email: "victim@example.com", referralCode: b.referralCode });
    expect(trusted.status).toBe(200);
    expect(trusted.body.data).toMatchObject({
      entryId: victimId,
      isReferred: true,
      alreadyExists: true,
      pointsAwarded: { advocate: 10, friend: 5 },
      status: "confirmed",
    });
    expect(await rowsOf(a.id, "referral_advocate")).toMatchObject([{ ref_id: victimId, status: "rejected" }]);
    expect(await rowsOf(b.id, "referral_advocate")).toMatchObject([{ ref_id: victimId, status: "confirmed", delta: 10 }]);
    expect((await rowsOf(victimId, "referral_friend")).map((r) => [r.ref_id, r.status])).toEqual([
      [a.id, "rejected"],
      [b.id, "confirmed"],
    ]);
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 0, pendingPoints: 0, referralCount: 0 });
    expect(await app.entry(b.id)).toMatchObject({ totalPoints: 10, referralCount: 1 });
    expect(await app.entry(victimId)).toMatchObject({ totalPoints: 5, referredBy: b.id, referredByCode: b.referralCode, source: "webhook" });

    // The entry is the trusted source's now: the browser cannot change it back.
    const reclaim = await trackSignup(app, "victim@example.com", a.referralCode);
    expect(reclaim.body.data).toEqual({ alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 }, status: "none" });
    // Nor can a later trusted report re-attribute it.
    const again = await webhook(app, "signup", { email: "victim@example.com", referralCode: a.referralCode });
    expect(again.body.data).toMatchObject({ entryId: victimId, alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 } });
    expect(await app.entry(victimId)).toMatchObject({ referredByCode: b.referralCode, totalPoints: 5 });
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 0 });
    expect(await app.entry(b.id)).toMatchObject({ totalPoints: 10 });
    await expectLedgerConsistent(app.contestId);
  });

  it("a trusted signup without a code keeps the browser's attribution", async () => {
    const app = await TestApp.create();
    const a = await app.addEntry("advocate@example.com");
    const claim = await trackSignup(app, "friend@example.com", a.referralCode);
    const friendId = claim.body.data.entryId;
    const trusted = await webhook(app, "signup", { email: "friend@example.com", name: "Friend" });
    expect(trusted.status).toBe(200);
    expect(trusted.body.data).toMatchObject({
      entryId: friendId,
      isReferred: true,
      alreadyExists: true,
      pointsAwarded: { advocate: 0, friend: 0 },
      status: "none",
    });
    expect(await app.entry(friendId)).toMatchObject({ referredBy: a.id, referredByCode: a.referralCode, source: "webhook", totalPoints: 5, name: "Friend" });
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 10, referralCount: 1 });
    expect(await ledgerOf(friendId)).toHaveLength(1);
    expect(await ledgerOf(a.id)).toHaveLength(1);
    await expectLedgerConsistent(app.contestId);
  });

  it("a browser signup never changes an entry a trusted source made", async () => {
    const app = await TestApp.create();
    const a = await app.addEntry("advocate@example.com");
    const viaApi = await app.addEntry("member@example.com");
    const viaHook = await webhook(app, "signup", { email: "hooked@example.com" });
    for (const [email, id] of [
      ["member@example.com", viaApi.id],
      ["hooked@example.com", viaHook.body.data.entryId],
    ]) {
      const r = await trackSignup(app, email, a.referralCode);
      expect(r.body.data).toEqual({ alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 }, status: "none" });
      expect(await app.entry(id)).toMatchObject({ referredBy: null, totalPoints: 0 });
    }
    expect(await app.entry(a.id)).toMatchObject({ totalPoints: 0, referralCount: 0 });
    expect(await ledgerOf(a.id)).toEqual([]);
  });
});

describe("paged lists", () => {
  it("an entry's ledger is paged, with statuses and pendingPoints", async () => {
    const app = await TestApp.create();
    const adv = await app.addEntry("advocate@example.com");
    await app.addEntry("f1@example.com", { referralCode: adv.referralCode });
    await app.addEntry("f2@example.com", { referralCode: adv.referralCode });
    await app.addEntry("f3@example.com", { referralCode: adv.referralCode });
    const adj = await app.post(`/api/v1/entries/${adv.id}/adjust-points`, { points: 7, reason: "bonus" });
    expect(adj.status).toBe(201);
    await trackPurchase(app, { email: "walkin@example.com", orderId: "w-1", amount: 12, referralCode: adv.referralCode });

    const r = await app.get(`/api/v1/entries/${adv.id}/ledger?limit=2&page=2`);
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(r.body.pagination).toEqual({ page: 2, limit: 2, total: 5, totalPages: 3 });
    expect(r.body.data).toMatchObject({ entryId: adv.id, totalPoints: 37, pendingPoints: 12 });
    expect(r.body.data.entries).toHaveLength(2);
    expect(r.body.data.entries).toMatchObject([
      { points: 10, reason: "referral_advocate", status: "confirmed", holdReason: null },
      { points: 7, reason: "adjustment", status: "confirmed", note: "bonus" },
    ]);
    expect(Object.keys(r.body.data.entries[0]).sort()).toEqual(["createdAt", "holdReason", "id", "note", "points", "reason", "refId", "status"]);
    const last = await app.get(`/api/v1/entries/${adv.id}/ledger?limit=2&page=3`);
    expect(last.body.data.entries).toMatchObject([{ points: 12, reason: "purchase", status: "pending", holdReason: "unverified_purchase" }]);
    const all = await app.get(`/api/v1/entries/${adv.id}/ledger`);
    expect(all.body.pagination).toEqual({ page: 1, limit: 20, total: 5, totalPages: 1 });
    expect(all.body.data.entries.map((e: any) => e.id)).toEqual([...all.body.data.entries.map((e: any) => e.id)].sort((x: number, y: number) => x - y));
    expectError(await app.get(`/api/v1/entries/${adv.id}/ledger?page=0`), 400, /page/);
  });

  it("purchases list filters by status; a bad status is 400", async () => {
    const app = await TestApp.create();
    const adv = await app.addEntry("advocate@example.com");
    await app.addEntry("buyer@example.com", { referralCode: adv.referralCode });
    const claim = await trackPurchase(app, { email: "buyer@example.com", orderId: "claim-1", amount: 15 });
    await trustedPurchase(app, { email: "buyer@example.com", orderId: "real-1", amount: 25 });
    const url = `/api/v1/contests/${app.contestId}/purchases`;

    const unverified = await app.get(`${url}?status=unverified`);
    expect(unverified.status).toBe(200);
    expect(unverified.body.pagination).toEqual({ page: 1, limit: 20, total: 1, totalPages: 1 });
    expect(unverified.body.data).toEqual([
      {
        id: claim.body.data.purchaseId,
        contestId: app.contestId,
        orderId: "claim-1",
        email: "buyer@example.com",
        entryId: expect.stringMatching(/^en_/),
        creditedEntryId: adv.id,
        amount: 15,
        currency: "USD",
        refundedAmount: 0,
        pointsAwarded: 15,
        awardStatus: "pending",
        referralCode: adv.referralCode,
        source: "tracker",
        status: "unverified",
        createdAt: expect.any(String),
        verifiedAt: null,
      },
    ]);
    const verified = await app.get(`${url}?status=verified`);
    expect(verified.body.data.map((p: any) => p.orderId)).toEqual(["real-1"]);
    expect(verified.body.data[0]).toMatchObject({ awardStatus: "confirmed", source: "api", verifiedAt: expect.any(String) });
    expect((await app.get(`${url}?status=refunded`)).body.data).toEqual([]);
    expect((await app.get(url)).body.pagination.total).toBe(2);
    expectError(await app.get(`${url}?status=pending`), 400, "status must be one of unverified, verified, refunded");
  });
});

describe("adjust-points bounds", () => {
  it("points beyond maxPointsPerAdjustment are 409 (the contest refuses them); within are 201", async () => {
    const app = await TestApp.create();
    const e = await app.addEntry("e@example.com");
    const url = `/api/v1/entries/${e.id}/adjust-points`;
    expectError(await app.post(url, { points: 1000001, reason: "too much" }), 409, /points must be between -1000000 and 1000000/);
    expectError(await app.post(url, { points: -1000001, reason: "too little" }), 409, /points/);
    expect(await ledgerOf(e.id)).toEqual([]);
    const max = await app.post(url, { points: 1000000, reason: "the most" });
    expect(max.status).toBe(201);
    expect(max.body.data).toMatchObject({ pointsAdded: 1000000, newTotalPoints: 1000000 });
    const min = await app.post(url, { points: -1000000, reason: "the least" });
    expect(min.status).toBe(201);

    await app.setContest({ maxPointsPerAdjustment: 50 });
    expectError(await app.post(url, { points: 51, reason: "x" }), 409, /points must be between -50 and 50/);
    expectError(await app.post(url, { points: -51, reason: "x" }), 409, /points/);
    const ok = await app.post(url, { points: 50, reason: "ok" });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ pointsAdded: 50, newTotalPoints: 50 });
    expect(await app.entry(e.id)).toMatchObject({ totalPoints: 50 });
  });
});

describe("integers as the contract defines them", () => {
  it("accepts integral floats for integer fields and refuses award ids past 2^53 without a 500", async () => {
    const app = await TestApp.create();
    const set = await app.patch(`/api/v1/contests/${app.contestId}`, { holdDays: 2.0, maxPointsPerPurchase: 500.0 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.data).toMatchObject({ holdDays: 2, maxPointsPerPurchase: 500 });
    expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { holdDays: 2.5 }), 400, /holdDays|integer/);
    const review = `/api/v1/contests/${app.contestId}/awards/review`;
    expectError(await app.post(review, { reject: [9007199254740993] }), 400, /award ids/);
    expectError(await app.post(review, { confirm: [0] }), 400, /award ids/);
    expectError(await app.post("/api/v1/awards/9223372036854775807/confirm", {}), 404, "Award not found");
    expectError(await app.post("/api/v1/awards/-1/reject", {}), 404, "Award not found");
  });
});

