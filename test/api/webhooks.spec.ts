import { describe, expect, it } from "vitest";
import { call, count, expectError, expectLedgerConsistent, ledgerOf, TestApp } from "./app";
import { stripeSignature } from "./stripe";

const STRIPE_SECRET = "whsec_test_rocket_tracker";

const stripeHeader = (payload: string, secret = STRIPE_SECRET, timestamp?: number) => stripeSignature(payload, secret, timestamp);

function checkoutCompleted(session: Record<string, unknown>) {
  return JSON.stringify({
    id: `evt_${crypto.randomUUID().slice(0, 8)}`,
    object: "event",
    type: "checkout.session.completed",
    data: {
      object: {
        id: `cs_test_${crypto.randomUUID().slice(0, 12)}`,
        object: "checkout.session",
        amount_total: 4999,
        currency: "usd",
        payment_status: "paid",
        customer_details: { email: "buyer@example.com" },
        ...session,
      },
    },
  });
}

async function postStripe(contestId: string, payload: string, signature?: string) {
  return call("POST", `/api/webhooks/stripe/${contestId}`, {
    raw: payload,
    headers: signature === undefined ? {} : { "stripe-signature": signature },
  });
}

async function stripeApp() {
  const app = await TestApp.create({ stripeWebhookSecret: STRIPE_SECRET });
  const ada = await app.addEntry("ada@example.com");
  return { app, ada };
}

describe("POST /api/webhooks/stripe/:contestId", () => {
  it("records checkout.session.completed as a purchase referred by client_reference_id", async () => {
    const { app, ada } = await stripeApp();
    expect(app.contest.stripeConfigured).toBe(true);
    expect(JSON.stringify(app.contest)).not.toContain(STRIPE_SECRET);
    const payload = checkoutCompleted({ client_reference_id: ada.referralCode });
    const r = await postStripe(app.contestId, payload, await stripeHeader(payload));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ received: true, creditedEntryId: ada.id, pointsAwarded: 50, alreadyExists: false });
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ? AND source = 'stripe' AND amount = 49.99", app.contestId)).toBe(1);
    expect((await app.entry(ada.id)).totalPoints).toBe(50);
  });

  it("a replayed event (same session) awards nothing twice, even concurrently", async () => {
    const { app, ada } = await stripeApp();
    const payload = checkoutCompleted({ client_reference_id: ada.referralCode });
    const header = await stripeHeader(payload);
    const replies = await Promise.all([1, 2, 3, 4].map(() => postStripe(app.contestId, payload, header)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies.filter((r) => r.body.alreadyExists === false)).toHaveLength(1);
    expect(await ledgerOf(ada.id)).toHaveLength(1);
    expect((await app.entry(ada.id)).totalPoints).toBe(50);
    await expectLedgerConsistent(app.contestId);
  });

  it("rejects a wrong secret, a stale timestamp, a tampered body and a missing header, writing nothing", async () => {
    const { app, ada } = await stripeApp();
    const payload = checkoutCompleted({ client_reference_id: ada.referralCode });
    expectError(await postStripe(app.contestId, payload, await stripeHeader(payload, "whsec_wrong")), 401, "Invalid Stripe signature");
    const stale = await stripeHeader(payload, STRIPE_SECRET, Math.floor(Date.now() / 1000) - 600);
    expectError(await postStripe(app.contestId, payload, stale), 401, /tolerance/);
    const header = await stripeHeader(payload);
    expectError(await postStripe(app.contestId, payload.replace("4999", "999999"), header), 401, "Invalid Stripe signature");
    expectError(await postStripe(app.contestId, payload), 401, "Missing Stripe-Signature header");
    expectError(await postStripe(app.contestId, payload, "garbage"), 401, "Malformed Stripe-Signature header");
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?", app.contestId)).toBe(0);
  });

  it("reads zero-decimal currencies as whole units", async () => {
    const { app, ada } = await stripeApp();
    await app.setContest({ pointsCurrency: "JPY" });
    const payload = checkoutCompleted({ client_reference_id: ada.referralCode, amount_total: 5000, currency: "jpy" });
    const r = await postStripe(app.contestId, payload, await stripeHeader(payload));
    expect(r.body.pointsAwarded).toBe(5000);
    const stats = await app.get(`/api/v1/contests/${app.contestId}/stats`);
    expect(stats.body.data.revenue).toEqual({ JPY: 5000 });
  });

  it("credits the buyer's own referrer without client_reference_id; ignores other events and unpaid sessions", async () => {
    const { app, ada } = await stripeApp();
    await app.addEntry("buyer@example.com", { referralCode: ada.referralCode });
    const payload = checkoutCompleted({});
    const r = await postStripe(app.contestId, payload, await stripeHeader(payload));
    expect(r.body).toMatchObject({ creditedEntryId: ada.id, pointsAwarded: 50 });

    const other = JSON.stringify({ id: "evt_x", object: "event", type: "invoice.paid", data: { object: { id: "in_1" } } });
    const ignored = await postStripe(app.contestId, other, await stripeHeader(other));
    expect(ignored.body).toMatchObject({ received: true, ignored: true });
    const unpaid = checkoutCompleted({ payment_status: "unpaid" });
    expect((await postStripe(app.contestId, unpaid, await stripeHeader(unpaid))).body.ignored).toBe(true);
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?", app.contestId)).toBe(1);
  });

  it("refuses a contest without a Stripe secret and an unknown contest", async () => {
    const app = await TestApp.create();
    const payload = checkoutCompleted({});
    expectError(await postStripe(app.contestId, payload, await stripeHeader(payload)), 404, /Stripe is not configured/);
    expectError(await postStripe("ct_nope", payload, await stripeHeader(payload)), 404, "Contest not found");
  });
});

describe("signup and purchase webhooks", () => {
  it("accept the contest's secret in a header or the body, refuse anything else", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const secret = app.contest.webhookSecret;
    const bad = await call("POST", `/api/webhooks/signup/${app.contestId}`, { body: { email: "f@example.com", secret: "nope" } });
    expectError(bad, 401, "Invalid webhook secret");
    expectError(await call("POST", `/api/webhooks/signup/${app.contestId}`, { body: { email: "f@example.com" } }), 401);

    const viaHeader = await call("POST", `/api/webhooks/signup/${app.contestId}`, {
      body: { email: "f@example.com", referralCode: ada.referralCode },
      headers: { "x-webhook-secret": secret },
    });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.data).toMatchObject({ isReferred: true, pointsAwarded: { advocate: 10, friend: 5 } });

    const purchase = await call("POST", `/api/webhooks/purchase/${app.contestId}`, {
      body: { email: "f@example.com", orderId: "shop-1", amount: 20, secret },
    });
    expect(purchase.body.data).toMatchObject({ creditedEntryId: ada.id, pointsAwarded: 20, alreadyExists: false });
    const again = await call("POST", `/api/webhooks/purchase/${app.contestId}`, {
      body: { email: "f@example.com", orderId: "shop-1", amount: 20, secret },
    });
    expect(again.body.data).toMatchObject({ pointsAwarded: 0, alreadyExists: true });
    expect((await app.entry(ada.id)).totalPoints).toBe(30);
    expectError(
      await call("POST", `/api/webhooks/purchase/${app.contestId}`, { body: { email: "f@example.com", orderId: "x", amount: 0, secret } }),
      400,
      "Amount must be positive",
    );
  });

  it("rotate-webhook-secret: a new secret works at once and the old one is refused; private key and own contest only", async () => {
    const app = await TestApp.create();
    const old = app.contest.webhookSecret as string;
    const signup = (email: string, secret: string) =>
      call("POST", `/api/webhooks/signup/${app.contestId}`, { body: { email }, headers: { "x-webhook-secret": secret } });
    expect((await signup("before@example.com", old)).status).toBe(200);

    const r = await app.post(`/api/v1/contests/${app.contestId}/rotate-webhook-secret`, undefined);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const fresh = r.body.data.webhookSecret as string;
    expect(fresh).toMatch(/^whk_[0-9a-f]{48}$/);
    expect(fresh).not.toBe(old);
    expect(r.body.data).toMatchObject({ id: app.contestId, name: app.contest.name });
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.webhookSecret).toBe(fresh);
    expectError(await signup("after-old@example.com", old), 401, "Invalid webhook secret");
    expect((await signup("after-new@example.com", fresh)).status).toBe(200);

    expectError(await app.post(`/api/v1/contests/${app.contestId}/rotate-webhook-secret`, undefined, app.publicKey), 403, "Private key required");
    const other = await TestApp.create();
    expectError(await other.post(`/api/v1/contests/${app.contestId}/rotate-webhook-secret`, undefined), 404, "Contest not found");
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.webhookSecret).toBe(fresh);
  });
});
