// The getting-started checklist (issue 27): GET .../checklist says which
// parts of a setup the contest has seen: the tracker (a referred visit), the
// widget (its join form, a join, a participant's read of the contest), Stripe
// (a signing secret, or a Stripe purchase) and a referral. And a points-only
// contest is not shown in money (`hasMonetaryReward`, the reward type's default).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, settled, TestApp } from "./app";
import { browser, checklistOf } from "./first-hour-helpers";
import { stripeEvent, stripeSignature } from "./stripe";

const NOTHING = { trackerSeen: false, widgetSeen: false, stripeSeen: false, referralSeen: false, done: false };

const widgetMark = async (app: TestApp) =>
  (await env.DB.prepare("SELECT widget_seen_at AS at FROM contests WHERE id = ?").bind(app.contestId).first<{ at: string | null }>())?.at ?? null;

describe("GET /api/v1/contests/{id}/checklist", () => {
  it("a new contest has seen nothing; each step is ticked by what it sees", async () => {
    const app = await TestApp.create();
    expect(await checklistOf(app)).toEqual({ contestId: app.contestId, ...NOTHING });

    // The owner's own entry is no referral, and an owner's read is not the widget.
    const ada = await app.addEntry("ada@example.com");
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).status).toBe(200);
    expect(await checklistOf(app)).toMatchObject(NOTHING);

    // The tracker: a visit through Ada's link (written by the visits queue).
    const v = await call("POST", "/api/referral/track-visit", {
      body: { referralCode: ada.referralCode, contestId: app.contestId },
      headers: { "CF-Connecting-IP": "198.18.27.9" },
    });
    expect(v.status).toBe(200);
    expect(await settled(async () => (await checklistOf(app)).trackerSeen, true)).toBe(true);

    // The widget: its join form's first read.
    expect((await call("GET", `/api/referral/join?contestId=${app.contestId}`)).status).toBe(200);
    expect(await checklistOf(app)).toMatchObject({ trackerSeen: true, widgetSeen: true, stripeSeen: false, referralSeen: false });

    // Stripe: a signing secret set.
    await app.setContest({ stripeWebhookSecret: "whsec_checklist_test" });
    expect(await checklistOf(app)).toMatchObject({ stripeSeen: true, referralSeen: false, done: false });

    // A referral: a friend joins through Ada's code. Everything is done.
    await app.addEntry("ben@example.com", { referralCode: ada.referralCode });
    expect(await checklistOf(app)).toEqual({
      contestId: app.contestId,
      trackerSeen: true,
      widgetSeen: true,
      stripeSeen: true,
      referralSeen: true,
      done: true,
    });
  }, 30_000);

  it("the widget is seen once: the first call writes the time, later ones leave it", async () => {
    const app = await TestApp.create();
    expect(await widgetMark(app)).toBeNull();
    expect((await call("GET", `/api/referral/join?contestId=${app.contestId}`)).status).toBe(200);
    const first = await widgetMark(app);
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT/);
    await new Promise((r) => setTimeout(r, 5));
    expect((await call("GET", `/api/referral/join?contestId=${app.contestId}`)).status).toBe(200);
    expect(await widgetMark(app)).toBe(first);
  });

  it("a participant token's read of the contest (the widget with a token) ticks the widget", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const minted = await app.post(`/api/v1/entries/${ada.id}/token`, {});
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    // A public key's read is not the widget.
    expect((await app.get(`/api/v1/contests/${app.contestId}`, app.publicKey)).status).toBe(200);
    expect((await checklistOf(app)).widgetSeen).toBe(false);
    const read = await call("GET", `/api/v1/contests/${app.contestId}`, { headers: { authorization: `Bearer ${minted.body.data.token}` } });
    expect(read.status).toBe(200);
    expect((await checklistOf(app)).widgetSeen).toBe(true);
  });

  it("the widget's join ticks the widget and, through a code, the referral", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const joined = await browser("/api/referral/join", { contestId: app.contestId, email: "ben@example.com", referralCode: ada.referralCode });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(await checklistOf(app)).toMatchObject({ widgetSeen: true, referralSeen: true, trackerSeen: false, stripeSeen: false });
  });

  it("a purchase Stripe reported ticks Stripe even once the secret is cleared", async () => {
    const secret = "whsec_checklist_stripe";
    const app = await TestApp.create({ stripeWebhookSecret: secret });
    expect((await checklistOf(app)).stripeSeen).toBe(true);
    const ada = await app.addEntry("ada@example.com");
    const payload = stripeEvent("checkout.session.completed", {
      id: `cs_test_${crypto.randomUUID().slice(0, 12)}`,
      object: "checkout.session",
      amount_total: 4999,
      currency: "usd",
      payment_status: "paid",
      customer_details: { email: "buyer@example.com" },
      client_reference_id: ada.referralCode,
    });
    const sent = await call("POST", `/api/webhooks/stripe/${app.contestId}`, {
      raw: payload,
      headers: { "stripe-signature": await stripeSignature(payload, secret) },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await app.setContest({ stripeWebhookSecret: null });
    expect((await checklistOf(app)).stripeSeen).toBe(true);
    // Without either, Stripe is not seen.
    const plain = await TestApp.create();
    expect((await checklistOf(plain)).stripeSeen).toBe(false);
  });

  it("needs a private key of the contest's account", async () => {
    const app = await TestApp.create();
    const other = await TestApp.create();
    expectError(await app.get(`/api/v1/contests/${app.contestId}/checklist`, app.publicKey), 403);
    expectError(await other.get(`/api/v1/contests/${app.contestId}/checklist`), 404, "Contest not found");
  });
});

describe("money only when the contest rewards in money", () => {
  it("a new contest without reward values is points-only: rewardType Points, hasMonetaryReward false", async () => {
    const app = await TestApp.create();
    expect(app.contest).toMatchObject({ rewardType: "Points", referrerReward: 0, refereeReward: 0, hasMonetaryReward: false });
  });

  it("reward values make the default monetary; a named type is kept", async () => {
    const money = await TestApp.create({ referrerReward: 20 });
    expect(money.contest).toMatchObject({ rewardType: "Monetary", hasMonetaryReward: true });
    const points = await TestApp.create({ refereeReward: 5, rewardType: "Points" });
    expect(points.contest).toMatchObject({ rewardType: "Points", hasMonetaryReward: false });
    const named = await TestApp.create({ rewardType: "Monetary" });
    expect(named.contest).toMatchObject({ rewardType: "Monetary", hasMonetaryReward: false });
  });

  it("follows the settings: a PATCH to monetary with a value shows money, and the widget's read (a participant token) says so", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const after = await app.setContest({ rewardType: "Monetary", refereeReward: 5 });
    expect(after.hasMonetaryReward).toBe(true);
    const minted = await app.post(`/api/v1/entries/${ada.id}/token`, {});
    const read = await call("GET", `/api/v1/contests/${app.contestId}`, { headers: { authorization: `Bearer ${minted.body.data.token}` } });
    expect(read.body.data.hasMonetaryReward).toBe(true);
    expect((await app.setContest({ refereeReward: 0 })).hasMonetaryReward).toBe(false);
  });
});
