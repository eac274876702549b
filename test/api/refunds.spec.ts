import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkoutCompleted, stripeEvent, stripeSignature } from "./stripe";
import { call, confirmedPoints, count, expectError, expectLedgerConsistent, ledgerOf, TestApp } from "./app";

const STRIPE_SECRET = "whsec_test_rocket_refunds";

const stripeHeader = (payload: string, secret = STRIPE_SECRET, timestamp?: number) => stripeSignature(payload, secret, timestamp);

/** A `charge.refunded` event; `amount_refunded` is the charge's refunded total so far. */
function chargeRefunded(chargeId: string, paymentIntent: string, amountRefunded: number) {
  return stripeEvent("charge.refunded", {
    id: chargeId,
    object: "charge",
    payment_intent: paymentIntent,
    amount: 4999,
    amount_refunded: amountRefunded,
    currency: "usd",
    refunded: amountRefunded >= 4999,
  });
}

function disputeCreated(disputeId: string, paymentIntent: string, amount = 4999) {
  return stripeEvent("charge.dispute.created", {
    id: disputeId,
    object: "dispute",
    payment_intent: paymentIntent,
    amount,
    currency: "usd",
    charge: `ch_${crypto.randomUUID().slice(0, 12)}`,
  });
}

async function postStripe(contestId: string, payload: string, signature?: string) {
  return call("POST", `/api/webhooks/stripe/${contestId}`, {
    raw: payload,
    headers: signature === undefined ? {} : { "stripe-signature": signature },
  });
}

async function sendStripe(contestId: string, payload: string) {
  return postStripe(contestId, payload, await stripeHeader(payload));
}

/** A Stripe contest where ada earned 50 points for a 49.99 USD checkout paid by `pi`. */
async function stripePurchase() {
  const app = await TestApp.create({ stripeWebhookSecret: STRIPE_SECRET });
  const ada = await app.addEntry("ada@example.com");
  const pi = `pi_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const checkout = await sendStripe(app.contestId, checkoutCompleted({ client_reference_id: ada.referralCode, payment_intent: pi }));
  expect(checkout.status, JSON.stringify(checkout.body)).toBe(200);
  expect(checkout.body).toMatchObject({ received: true, creditedEntryId: ada.id, pointsAwarded: 50, alreadyExists: false });
  const purchaseId = checkout.body.purchaseId as string;
  expect((await app.entry(ada.id)).totalPoints).toBe(50);
  return { app, ada, pi, purchaseId };
}

/** ada refers friend (ada +10), friend buys for 99.99 through the v1 API (ada +100). */
async function referredPurchase() {
  const app = await TestApp.create();
  const ada = await app.addEntry("ada@example.com");
  const friend = await app.addEntry("friend@example.com", { referralCode: ada.referralCode });
  const bought = await app.post(`/api/v1/contests/${app.contestId}/purchases`, {
    email: "friend@example.com",
    orderId: "order-1",
    amount: 99.99,
    currency: "USD",
  });
  expect(bought.status, JSON.stringify(bought.body)).toBe(201);
  expect(bought.body.data).toMatchObject({ creditedEntryId: ada.id, pointsAwarded: 100, status: "confirmed", purchaseStatus: "verified" });
  expect((await app.entry(ada.id)).totalPoints).toBe(110);
  return { app, ada, friend, purchaseId: bought.body.data.purchaseId as string };
}

function refundUrl(purchaseId: string) {
  return `/api/v1/purchases/${purchaseId}/refund`;
}

/** A refund with no body at all: refunds the rest. */
function refundAll(app: TestApp, purchaseId: string, headers: Record<string, string> = {}) {
  return call("POST", refundUrl(purchaseId), { key: app.privateKey, headers });
}

function refundsOf(purchaseId: string) {
  return count("SELECT COUNT(*) AS n FROM refunds WHERE purchase_id = ?", purchaseId);
}

/** The `purchase_refund` rows of an entry, with their status. */
async function reversalsOf(entryId: string) {
  const { results } = await env.DB.prepare(
    "SELECT delta, status, ref_id FROM ledger WHERE entry_id = ? AND reason = 'purchase_refund' ORDER BY id",
  )
    .bind(entryId)
    .all<{ delta: number; status: string; ref_id: string }>();
  return results;
}

async function purchaseAward(entryId: string) {
  return env.DB.prepare("SELECT delta, status, hold FROM ledger WHERE entry_id = ? AND reason = 'purchase' ORDER BY id")
    .bind(entryId)
    .all<{ delta: number; status: string; hold: string | null }>()
    .then((r) => r.results);
}

describe("POST /api/v1/purchases/:purchaseId/refund", () => {
  it("refunds a verified purchase in full: reverses its award once, then 409", async () => {
    const { app, ada, friend, purchaseId } = await referredPurchase();
    const r = await refundAll(app, purchaseId);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.success).toBe(true);
    expect(r.body.data).toMatchObject({
      refundId: expect.any(String),
      amount: 99.99,
      pointsReversed: 100,
      alreadyApplied: false,
      purchase: {
        id: purchaseId,
        contestId: app.contestId,
        orderId: "order-1",
        email: "friend@example.com",
        entryId: friend.id,
        creditedEntryId: ada.id,
        amount: 99.99,
        currency: "USD",
        refundedAmount: 99.99,
        pointsAwarded: 100,
        source: "api",
        status: "refunded",
        createdAt: expect.any(String),
      },
    });
    expect(r.body.data.purchase.verifiedAt).toEqual(expect.any(String));

    // Only the referral's 10 points are left.
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 10, pendingPoints: 0 });
    expect(await confirmedPoints(ada.id)).toBe(10);
    expect(await reversalsOf(ada.id)).toEqual([{ delta: -100, status: "confirmed", ref_id: r.body.data.refundId }]);
    expect((await ledgerOf(ada.id)).filter((row) => row.reason === "purchase_refund")).toEqual([
      { delta: -100, reason: "purchase_refund", ref_id: r.body.data.refundId },
    ]);
    // The friend's own points are untouched.
    expect((await app.entry(friend.id)).totalPoints).toBe(5);

    expectError(await refundAll(app, purchaseId), 409, "Purchase is already fully refunded");
    expectError(await app.post(refundUrl(purchaseId), { amount: 1 }), 409, "Purchase is already fully refunded");
    expect(await refundsOf(purchaseId)).toBe(1);
    expect((await app.entry(ada.id)).totalPoints).toBe(10);

    const list = await app.get(`/api/v1/contests/${app.contestId}/purchases?status=refunded`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: any) => p.id)).toEqual([purchaseId]);
    await expectLedgerConsistent(app.contestId);
  });

  it("partial refunds in three parts take back exactly the award, never more", async () => {
    const { app, ada, purchaseId } = await referredPurchase();
    const url = refundUrl(purchaseId);

    const first = await app.post(url, { amount: 33.33 });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.data).toMatchObject({ amount: 33.33, alreadyApplied: false, purchase: { status: "verified" } });
    expect(first.body.data.purchase.refundedAmount).toBeCloseTo(33.33, 6);

    // More than what remains (66.66) is refused and writes nothing.
    expectError(await app.post(url, { amount: 70 }), 409, /amount/);
    expect(await refundsOf(purchaseId)).toBe(1);

    const second = await app.post(url, { amount: "33.33" });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.data.purchase.status).toBe("verified");
    expect(second.body.data.purchase.refundedAmount).toBeCloseTo(66.66, 6);

    const third = await app.post(url, { amount: 33.33 });
    expect(third.status, JSON.stringify(third.body)).toBe(201);
    expect(third.body.data.purchase.status).toBe("refunded");
    expect(third.body.data.purchase.refundedAmount).toBeCloseTo(99.99, 6);

    const reversed = [first, second, third].map((r) => r.body.data.pointsReversed as number);
    for (const p of reversed) expect(p).toBeGreaterThan(0);
    expect(reversed.reduce((a, b) => a + b, 0)).toBe(100);
    // Computed on the cumulative share: round(33.33%) = 33, round(66.66%) = 67, then 100.
    expect(reversed).toEqual([33, 34, 33]);

    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 10, pendingPoints: 0 });
    const rows = await reversalsOf(ada.id);
    expect(rows.map((r) => r.delta)).toEqual([-33, -34, -33]);
    expect(rows.every((r) => r.status === "confirmed")).toBe(true);
    expect(await refundsOf(purchaseId)).toBe(3);

    expectError(await app.post(url, { amount: 0.01 }), 409, "Purchase is already fully refunded");
    expect(await refundsOf(purchaseId)).toBe(3);
    await expectLedgerConsistent(app.contestId);
  });

  it("refuses a bad amount (400) or one over what remains (409) and writes nothing", async () => {
    const { app, ada, purchaseId } = await referredPurchase();
    const url = refundUrl(purchaseId);
    expectError(await app.post(url, { amount: 0 }), 400, "Amount must be positive");
    expectError(await app.post(url, { amount: -5 }), 400, "Amount must be positive");
    expectError(await app.post(url, { amount: "abc" }), 400, /Invalid request body/);
    expectError(await app.post(url, { amount: 1e9 + 1 }), 400, "Amount must be at most 1000000000");
    expectError(await app.post(url, { amount: 5e12 }), 400, "Amount must be at most 1000000000");
    expectError(await app.post(url, { amount: 100 }), 409, /amount/);
    expectError(await app.post(url, { amount: 10, extra: true }), 400, /Invalid request body/);
    expect(await refundsOf(purchaseId)).toBe(0);
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 110 });
    expect(await reversalsOf(ada.id)).toEqual([]);
  });

  it("a keyed retry of a refund larger than what now remains is its replay, not a 409", async () => {
    const { app, purchaseId } = await referredPurchase();
    const headers = { "idempotency-key": "refund-order-1-big" };
    const first = await app.post(refundUrl(purchaseId), { amount: 60 }, app.privateKey, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // 39.99 remains; the retry still asks for 60, and is answered as what it was.
    const retry = await app.post(refundUrl(purchaseId), { amount: 60 }, app.privateKey, headers);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.data).toMatchObject({ refundId: first.body.data.refundId, amount: 60, alreadyApplied: true, pointsReversed: 0 });
    // A new request for more than remains is still refused.
    expectError(await app.post(refundUrl(purchaseId), { amount: 60 }), 409, /amount/);
    expect(await refundsOf(purchaseId)).toBe(1);
  });

  it("an Idempotency-Key applies once: a retry is 200 alreadyApplied with 0 points", async () => {
    const { app, ada, purchaseId } = await referredPurchase();
    const url = refundUrl(purchaseId);
    const headers = { "idempotency-key": "refund-order-1-a" };
    const first = await app.post(url, { amount: 10 }, app.privateKey, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.data).toMatchObject({ amount: 10, pointsReversed: 10, alreadyApplied: false });

    const retry = await app.post(url, { amount: 10 }, app.privateKey, headers);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.data).toMatchObject({
      refundId: first.body.data.refundId,
      amount: 10,
      pointsReversed: 0,
      alreadyApplied: true,
    });
    expect(retry.body.data.purchase.refundedAmount).toBe(10);
    expect(await refundsOf(purchaseId)).toBe(1);
    expect((await app.entry(ada.id)).totalPoints).toBe(100);

    // Without the key the same request is a new refund.
    const another = await app.post(url, { amount: 10 });
    expect(another.status).toBe(201);
    expect(another.body.data.refundId).not.toBe(first.body.data.refundId);
    expect(await refundsOf(purchaseId)).toBe(2);
    expect((await app.entry(ada.id)).totalPoints).toBe(90);
    await expectLedgerConsistent(app.contestId);
  });

  it("concurrent requests with one Idempotency-Key apply once", async () => {
    const { app, ada, purchaseId } = await referredPurchase();
    const headers = { "idempotency-key": "refund-race" };
    const replies = await Promise.all([1, 2, 3, 4].map(() => refundAll(app, purchaseId, headers)));
    for (const r of replies) expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    const created = replies.filter((r) => r.status === 201);
    const replays = replies.filter((r) => r.status === 200);
    expect(created).toHaveLength(1);
    expect(replays).toHaveLength(3);
    expect(created[0].body.data).toMatchObject({ pointsReversed: 100, alreadyApplied: false });
    for (const r of replays) {
      expect(r.body.data).toMatchObject({ refundId: created[0].body.data.refundId, pointsReversed: 0, alreadyApplied: true });
    }
    expect(await refundsOf(purchaseId)).toBe(1);
    expect(await reversalsOf(ada.id)).toHaveLength(1);
    expect((await app.entry(ada.id)).totalPoints).toBe(10);
    await expectLedgerConsistent(app.contestId);
  });

  it("concurrent partial refunds without a key: only what remains is refunded, exactly as asked", async () => {
    const { app, ada, purchaseId } = await referredPurchase();
    const replies = await Promise.all([1, 2, 3, 4].map(() => app.post(refundUrl(purchaseId), { amount: 40 })));
    // 99.99 holds two refunds of 40; the others are refused, never trimmed.
    const created = replies.filter((r) => r.status === 201);
    expect(created).toHaveLength(2);
    for (const r of replies) expect([201, 400, 409], JSON.stringify(r.body)).toContain(r.status);
    for (const r of created) expect(r.body.data.amount).toBe(40);
    const reversed = created.reduce((sum, r) => sum + r.body.data.pointsReversed, 0);
    expect(reversed).toBe(80); // round(100 x 80 / 99.99), on the cumulative refund
    expect((await app.entry(ada.id)).totalPoints).toBe(110 - 80);
    const refunded = await env.DB.prepare("SELECT refunded_amount AS r FROM purchases WHERE id = ?").bind(purchaseId).first<{ r: number }>();
    expect(refunded!.r).toBe(80);
    expect(await refundsOf(purchaseId)).toBe(2);
    await expectLedgerConsistent(app.contestId);
  });

  it("needs the private key of the purchase's own account", async () => {
    const { app, ada, purchaseId } = await referredPurchase();
    expectError(await call("POST", refundUrl(purchaseId), { key: app.publicKey }), 403, "Private key required");
    expectError(await call("POST", refundUrl(purchaseId)), 401);

    const other = await TestApp.create();
    expectError(await call("POST", refundUrl(purchaseId), { key: other.privateKey }), 404, "Purchase not found");
    expectError(await refundAll(app, "pu_does_not_exist"), 404, "Purchase not found");

    expect(await refundsOf(purchaseId)).toBe(0);
    expect((await app.entry(ada.id)).totalPoints).toBe(110);
  });

  it("a browser-only purchase: its pending award shrinks, then is rejected; no confirmed point moves", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const tracked = await call("POST", "/api/referral/track-purchase", {
      body: { email: "walkin@example.com", contestId: app.contestId, orderId: "web-1", amount: 100, currency: "USD", referralCode: ada.referralCode },
    });
    expect(tracked.status, JSON.stringify(tracked.body)).toBe(200);
    expect(tracked.body.data).toMatchObject({ creditedEntryId: ada.id, pointsAwarded: 0, status: "pending", purchaseStatus: "unverified" });
    const purchaseId = tracked.body.data.purchaseId as string;
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 0, pendingPoints: 100 });

    const half = await app.post(refundUrl(purchaseId), { amount: 50 });
    expect(half.status, JSON.stringify(half.body)).toBe(201);
    expect(half.body.data).toMatchObject({
      amount: 50,
      pointsReversed: 0,
      alreadyApplied: false,
      purchase: { status: "unverified", refundedAmount: 50, awardStatus: "pending", source: "tracker" },
    });
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 0, pendingPoints: 50 });
    expect(await purchaseAward(ada.id)).toEqual([{ delta: 50, status: "pending", hold: "unverified_purchase" }]);

    const rest = await refundAll(app, purchaseId);
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body.data).toMatchObject({
      amount: 50,
      pointsReversed: 0,
      purchase: { status: "refunded", refundedAmount: 100, awardStatus: "rejected" },
    });
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 0, pendingPoints: 0 });
    const award = await purchaseAward(ada.id);
    expect(award).toHaveLength(1);
    expect(award[0].status).toBe("rejected");
    expect(await reversalsOf(ada.id)).toEqual([]);
    expect(await confirmedPoints(ada.id)).toBe(0);
    expect(await refundsOf(purchaseId)).toBe(2);
    await expectLedgerConsistent(app.contestId);
  });
});

describe("Stripe charge.refunded and charge.dispute.created", () => {
  it("charge.refunded reverses in proportion to the cumulative refund; replays and older events change nothing", async () => {
    const { app, ada, pi, purchaseId } = await stripePurchase();
    const charge = `ch_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;

    const partial = chargeRefunded(charge, pi, 2000);
    const r1 = await sendStripe(app.contestId, partial);
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    expect(r1.body).toMatchObject({
      received: true,
      purchaseId,
      refundId: expect.any(String),
      pointsReversed: 20,
      alreadyApplied: false,
      purchaseStatus: "verified",
    });
    expect((await app.entry(ada.id)).totalPoints).toBe(30);

    // Stripe retries the very same event.
    const replay = await sendStripe(app.contestId, partial);
    expect(replay.status).toBe(200);
    expect(replay.body.received).toBe(true);
    expect(replay.body.alreadyApplied === true || replay.body.ignored === true, JSON.stringify(replay.body)).toBe(true);
    expect(replay.body.pointsReversed ?? 0).toBe(0);
    expect((await app.entry(ada.id)).totalPoints).toBe(30);
    expect(await refundsOf(purchaseId)).toBe(1);

    const full = await sendStripe(app.contestId, chargeRefunded(charge, pi, 4999));
    expect(full.status, JSON.stringify(full.body)).toBe(200);
    expect(full.body).toMatchObject({ received: true, purchaseId, pointsReversed: 30, alreadyApplied: false, purchaseStatus: "refunded" });
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 0, pendingPoints: 0 });

    // The older state arrives late: nothing moves.
    const late = await sendStripe(app.contestId, chargeRefunded(charge, pi, 2000));
    expect(late.status).toBe(200);
    expect(late.body.received).toBe(true);
    expect(late.body.alreadyApplied === true || late.body.ignored === true, JSON.stringify(late.body)).toBe(true);
    expect(late.body.pointsReversed ?? 0).toBe(0);
    // A brand-new charge state for a refunded purchase is ignored too.
    const beyond = await sendStripe(app.contestId, chargeRefunded(charge, pi, 3000));
    expect(beyond.status).toBe(200);
    expect(beyond.body.alreadyApplied === true || beyond.body.ignored === true, JSON.stringify(beyond.body)).toBe(true);

    expect((await app.entry(ada.id)).totalPoints).toBe(0);
    expect(await refundsOf(purchaseId)).toBe(2);
    expect((await reversalsOf(ada.id)).map((r) => r.delta)).toEqual([-20, -30]);

    const list = await app.get(`/api/v1/contests/${app.contestId}/purchases`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ id: purchaseId, source: "stripe", status: "refunded", amount: 49.99, refundedAmount: 49.99 });
    await expectLedgerConsistent(app.contestId);
  });

  it("charge.refunded events that arrive out of order still take back exactly the award", async () => {
    const { app, ada, pi, purchaseId } = await stripePurchase();
    const charge = `ch_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const full = await sendStripe(app.contestId, chargeRefunded(charge, pi, 4999));
    expect(full.body).toMatchObject({ pointsReversed: 50, purchaseStatus: "refunded" });
    const older = await sendStripe(app.contestId, chargeRefunded(charge, pi, 2000));
    expect(older.status).toBe(200);
    expect(older.body.pointsReversed ?? 0).toBe(0);
    expect((await app.entry(ada.id)).totalPoints).toBe(0);
    expect(await refundsOf(purchaseId)).toBe(1);
  });

  it("charge.dispute.created reverses the whole award once; a replay changes nothing", async () => {
    const { app, ada, pi, purchaseId } = await stripePurchase();
    const dispute = disputeCreated(`dp_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`, pi);
    const r = await sendStripe(app.contestId, dispute);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ received: true, purchaseId, pointsReversed: 50, alreadyApplied: false, purchaseStatus: "refunded" });
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: 0, pendingPoints: 0 });
    expect(await count("SELECT COUNT(*) AS n FROM refunds WHERE purchase_id = ? AND kind = 'dispute'", purchaseId)).toBe(1);

    const replay = await sendStripe(app.contestId, dispute);
    expect(replay.status).toBe(200);
    expect(replay.body.received).toBe(true);
    expect(replay.body.alreadyApplied === true || replay.body.ignored === true, JSON.stringify(replay.body)).toBe(true);
    expect(replay.body.pointsReversed ?? 0).toBe(0);

    // A refund event for the already disputed charge takes nothing more.
    const refund = await sendStripe(app.contestId, chargeRefunded("ch_after_dispute", pi, 4999));
    expect(refund.status).toBe(200);
    expect(refund.body.pointsReversed ?? 0).toBe(0);

    expect((await app.entry(ada.id)).totalPoints).toBe(0);
    // The refund is recorded (refunds and disputes are tracked apart, so a won
    // dispute later still leaves it taken back) but reverses no point.
    expect(await refundsOf(purchaseId)).toBe(2);
    expect((await reversalsOf(ada.id)).map((row) => row.delta)).toEqual([-50]);
    // The owner's API agrees the purchase is gone.
    expectError(await refundAll(app, purchaseId), 409, "Purchase is already fully refunded");
    await expectLedgerConsistent(app.contestId);
  });

  it("ignores refunds and disputes of an unknown payment intent, writing nothing", async () => {
    const { app, ada, purchaseId } = await stripePurchase();
    const refund = await sendStripe(app.contestId, chargeRefunded("ch_unknown", "pi_unknown_payment", 4999));
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    expect(refund.body).toMatchObject({ received: true, ignored: true });
    const dispute = await sendStripe(app.contestId, disputeCreated("dp_unknown", "pi_unknown_payment"));
    expect(dispute.status, JSON.stringify(dispute.body)).toBe(200);
    expect(dispute.body).toMatchObject({ received: true, ignored: true });
    const noIntent = await sendStripe(app.contestId, stripeEvent("charge.refunded", { id: "ch_x", object: "charge", amount: 4999, amount_refunded: 4999, currency: "usd" }));
    expect(noIntent.status, JSON.stringify(noIntent.body)).toBe(200);
    expect(noIntent.body).toMatchObject({ received: true, ignored: true });

    expect(await count("SELECT COUNT(*) AS n FROM refunds WHERE contest_id = ?", app.contestId)).toBe(0);
    expect(await refundsOf(purchaseId)).toBe(0);
    expect((await app.entry(ada.id)).totalPoints).toBe(50);
  });

  it("a payment intent of another contest is not this contest's purchase", async () => {
    const { pi } = await stripePurchase();
    const { app: otherApp, ada, purchaseId } = await stripePurchase();
    const r = await sendStripe(otherApp.contestId, chargeRefunded("ch_cross", pi, 4999));
    expect(r.body).toMatchObject({ received: true, ignored: true });
    expect(await refundsOf(purchaseId)).toBe(0);
    expect((await otherApp.entry(ada.id)).totalPoints).toBe(50);
  });

  it("a refund or dispute with a bad signature is 401 and writes nothing", async () => {
    const { app, ada, pi, purchaseId } = await stripePurchase();
    const refund = chargeRefunded("ch_forged", pi, 4999);
    expectError(await postStripe(app.contestId, refund, await stripeHeader(refund, "whsec_wrong")), 401, "Invalid Stripe signature");
    const header = await stripeHeader(refund);
    expectError(await postStripe(app.contestId, refund.replace('"amount_refunded":4999', '"amount_refunded":4000'), header), 401, "Invalid Stripe signature");
    expectError(await postStripe(app.contestId, refund), 401, "Missing Stripe-Signature header");
    const dispute = disputeCreated("dp_forged", pi);
    expectError(await postStripe(app.contestId, dispute, await stripeHeader(dispute, "whsec_wrong")), 401, "Invalid Stripe signature");

    expect(await refundsOf(purchaseId)).toBe(0);
    expect(await reversalsOf(ada.id)).toEqual([]);
    expect((await app.entry(ada.id)).totalPoints).toBe(50);
    const purchase = await env.DB.prepare("SELECT status, refunded_amount AS refunded FROM purchases WHERE id = ?")
      .bind(purchaseId)
      .first<{ status: string; refunded: number }>();
    expect(purchase).toEqual({ status: "verified", refunded: 0 });
  });
});
