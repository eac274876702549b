// The award events on every path (issue 27): one `award.created` per new
// ledger row, sent at once, its data the row (README: "every new ledger row
// emits one"), and one `award.confirmed`/`award.rejected` per row moved to
// that status. Written by migration 0027's triggers on the ledger, so the
// paths below are the ones there are today and a new one cannot forget them.
// Each test watches one account's deliveries (test/api/award-event-helpers.ts)
// and says, step by step, how many rows the step wrote and how many it moved:
// the watch checks one signed `award.created` per new row, no more, and
// exactly that many other award events.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AwardWatch } from "./award-event-helpers";
import { call, count, type Json, TestApp } from "./app";
import { checkoutCompleted, stripeEvent, stripeSignature } from "./stripe";

const STRIPE_SECRET = "whsec_test_rocket_award_events";
const browser = { "CF-Connecting-IP": "198.18.127.1" };

async function sendStripe(contestId: string, payload: string) {
  const r = await call("POST", `/api/webhooks/stripe/${contestId}`, {
    raw: payload,
    headers: { "stripe-signature": await stripeSignature(payload, STRIPE_SECRET) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Json;
}

async function ok(reply: Promise<{ status: number; body: Json }>, status = 200) {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as Json;
}

async function runCron() {
  await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
}

describe("award.created: one per new ledger row, on every path", () => {
  it("tracker: track-signup (advocate and friend), the widget's join, track-purchase (a pending claim)", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    await ok(
      call("POST", "/api/referral/track-signup", {
        body: { contestId: app.contestId, email: "tracked@example.com", referralCode: ada.referralCode },
        headers: browser,
      }),
    );
    const signup = await watch.step(2);
    expect(signup.map((b) => b.data.reason)).toEqual(["referral_advocate", "referral_friend"]);
    await ok(
      call("POST", "/api/referral/join", {
        body: { contestId: app.contestId, email: "joined@example.com", referralCode: ada.referralCode },
        headers: browser,
      }),
      201,
    );
    await watch.step(2);
    await ok(
      call("POST", "/api/referral/track-purchase", {
        body: { contestId: app.contestId, email: "tracked@example.com", orderId: "web-1", amount: 30, referralCode: ada.referralCode },
        headers: browser,
      }),
    );
    const [claim] = await watch.step(1);
    expect(claim.data).toMatchObject({ reason: "purchase", entryId: ada.id, status: "pending", holdReason: "unverified_purchase" });
    // The same claim again writes nothing, and tells nothing.
    await ok(
      call("POST", "/api/referral/track-purchase", {
        body: { contestId: app.contestId, email: "tracked@example.com", orderId: "web-1", amount: 30, referralCode: ada.referralCode },
        headers: browser,
      }),
    );
    await watch.step(0);
  });

  it("v1: a referred entry, a purchase (trusted: confirmed at once), and verification of a claim (no new row: award.confirmed)", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    await watch.step(2);
    await ok(app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "bo@example.com", orderId: "v1-1", amount: 40 }), 201);
    const [bought] = await watch.step(1);
    expect(bought.data).toMatchObject({ reason: "purchase", entryId: ada.id, points: 40, status: "confirmed" });
    // A browser's claim, then the trusted report of the same order: the
    // claim's row is replaced (confirmed), no new row and no second event.
    await ok(
      call("POST", "/api/referral/track-purchase", {
        body: { contestId: app.contestId, email: "bo@example.com", orderId: "v1-2", amount: 25 },
        headers: browser,
      }),
    );
    await watch.step(1);
    await ok(app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "bo@example.com", orderId: "v1-2", amount: 25 }), 201);
    await watch.step(0, 1);
    expect(watch.all.at(-1)).toMatchObject({ type: "award.confirmed", data: { reason: "purchase", entryId: ada.id, status: "confirmed" } });
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND reason = 'purchase' AND status = 'confirmed'", app.contestId)).toBe(2);
  });

  it("inbound webhooks: the signup webhook, its take-over of a browser's signup naming another advocate, the purchase webhook", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const cy = await app.addEntry("cy@example.com");
    const secret = (await app.get(`/api/v1/contests/${app.contestId}`)).body.data.webhookSecret;
    const watch = await AwardWatch.start(app);
    await ok(call("POST", `/api/webhooks/signup/${app.contestId}`, { body: { email: "hooked@example.com", referralCode: ada.referralCode, secret } }));
    await watch.step(2);
    // The browser says ada referred dee; the shop's trusted report says cy did:
    // the browser's two awards are rejected (award.rejected), cy's and dee's
    // (from cy) written.
    await ok(
      call("POST", "/api/referral/track-signup", {
        body: { contestId: app.contestId, email: "dee@example.com", referralCode: ada.referralCode },
        headers: browser,
      }),
    );
    await watch.step(2);
    await ok(call("POST", `/api/webhooks/signup/${app.contestId}`, { body: { email: "dee@example.com", referralCode: cy.referralCode, secret } }));
    const tookOver = await watch.step(2, 2);
    expect(watch.all.filter((b) => b.type === "award.rejected").map((b) => b.data.reason).sort()).toEqual([
      "referral_advocate",
      "referral_friend",
    ]);
    expect(tookOver.map((b) => [b.data.reason, b.data.entryId === cy.id])).toEqual([
      ["referral_advocate", true],
      ["referral_friend", false],
    ]);
    await ok(call("POST", `/api/webhooks/purchase/${app.contestId}`, { body: { email: "hooked@example.com", orderId: "hook-1", amount: 20, secret } }));
    const [bought] = await watch.step(1);
    expect(bought.data).toMatchObject({ reason: "purchase", entryId: ada.id, points: 20, status: "confirmed" });
  });

  it("Stripe: checkout.session.completed awarding 50 confirmed points emits award.created (the issue's case), a replay nothing", async () => {
    const app = await TestApp.create({ stripeWebhookSecret: STRIPE_SECRET });
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    const payload = checkoutCompleted({ client_reference_id: ada.referralCode, payment_intent: "pi_award_events_1" });
    const answer = await sendStripe(app.contestId, payload);
    expect(answer).toMatchObject({ creditedEntryId: ada.id, pointsAwarded: 50, alreadyExists: false });
    const [award] = await watch.step(1);
    expect(award.data).toMatchObject({ reason: "purchase", entryId: ada.id, points: 50, status: "confirmed", holdReason: null });
    await sendStripe(app.contestId, payload);
    await watch.step(0);
    // A browser's claim of a Checkout Session, then Stripe's event for it: the
    // claim's row is confirmed (award.confirmed), no new row.
    const session = "cs_test_claimed_award_events";
    await ok(
      call("POST", "/api/referral/track-purchase", {
        body: { contestId: app.contestId, email: "buyer@example.com", orderId: session, amount: 49.99, referralCode: ada.referralCode },
        headers: browser,
      }),
    );
    const [claim] = await watch.step(1);
    expect(claim.data).toMatchObject({ status: "pending", holdReason: "unverified_purchase" });
    await sendStripe(app.contestId, checkoutCompleted({ id: session, client_reference_id: ada.referralCode }));
    await watch.step(0, 1);
    expect(watch.all.at(-1)).toMatchObject({ type: "award.confirmed", data: { id: claim.data.id, points: 50, status: "confirmed" } });
    // Stripe's refund: a negative row, told the same way.
    const refund = stripeEvent("charge.refunded", {
      id: "ch_award_events_1",
      object: "charge",
      payment_intent: "pi_award_events_1",
      amount: 4999,
      amount_refunded: 2000,
      currency: "usd",
      refunded: false,
    });
    await sendStripe(app.contestId, refund);
    const [reversal] = await watch.step(1);
    expect(reversal.data).toMatchObject({ reason: "purchase_refund", entryId: ada.id, points: -20, status: "confirmed" });
  });

  it("review: the owner's approval and rejection move rows (award.confirmed, award.rejected) and create none", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    const held = await watch.step(2);
    expect(held.map((b) => b.data.status)).toEqual(["pending", "pending"]);
    await ok(app.post(`/api/v1/awards/${held[0].data.id}/confirm`));
    await watch.step(0, 1);
    await ok(app.post(`/api/v1/awards/${held[1].data.id}/reject`));
    await watch.step(0, 1);
    expect(watch.all.slice(-2).map((b) => b.type)).toEqual(["award.confirmed", "award.rejected"]);
  });

  it("holds sweep (cron): confirming due holds creates no row", async () => {
    const app = await TestApp.create({ referralAwards: "review", holdDays: 2 });
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    const held = await watch.step(2);
    const past = new Date(Date.now() - 60_000).toISOString();
    for (const b of held) {
      await env.DB.prepare("UPDATE ledger SET confirm_after = ? WHERE id = ?").bind(past, b.data.id).run();
    }
    await runCron();
    await watch.step(0, 2);
    expect(watch.all.slice(-2).map((b) => b.type)).toEqual(["award.confirmed", "award.confirmed"]);
  });

  it("onPurchase: the friend's verified purchase writes its award and confirms the advocate's (award.confirmed)", async () => {
    const app = await TestApp.create({ referralAwards: "onPurchase" });
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    const signup = await watch.step(2);
    const advocates = signup.find((b) => b.data.reason === "referral_advocate");
    expect(advocates.data).toMatchObject({ status: "pending", holdReason: "on_purchase" });
    await ok(app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "bo@example.com", orderId: "op-1", amount: 10 }), 201);
    await watch.step(1, 1);
    expect(watch.all.find((b) => b.type === "award.confirmed")).toMatchObject({ data: { id: advocates.data.id, status: "confirmed" } });
  });

  it("bonus actions: a click completion, and a manual one on approval", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const click = await app.addBonusAction({ action: "follow", description: "Follow us", points: 3, confirmationType: "click" });
    const manual = await app.addBonusAction({ action: "post", description: "Post about us", points: 7, confirmationType: "manual" });
    const watch = await AwardWatch.start(app);
    await ok(app.post(`/api/v1/entries/${ada.id}/bonus-actions/${click.id}/complete`, {}));
    const [clicked] = await watch.step(1);
    expect(clicked.data).toMatchObject({ reason: "bonus_action", entryId: ada.id, points: 3 });
    await ok(app.post(`/api/v1/entries/${ada.id}/bonus-actions/${click.id}/complete`, {}));
    await watch.step(0);
    await ok(app.post(`/api/v1/entries/${ada.id}/bonus-actions/${manual.id}/complete`, { proof: "https://example.com/post/1" }));
    await watch.step(0);
    await ok(app.post(`/api/v1/entries/${ada.id}/bonus-actions/${manual.id}/approve`));
    const [approved] = await watch.step(1);
    expect(approved.data).toMatchObject({ reason: "bonus_action", entryId: ada.id, points: 7, status: "confirmed" });
  });

  it("adjustments: up and down, an Idempotency-Key replay writes nothing", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const watch = await AwardWatch.start(app);
    await ok(app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 7, reason: "goodwill" }), 201);
    await ok(app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: -2, reason: "typo" }, app.privateKey, { "idempotency-key": "adj-1" }), 201);
    const rows = await watch.step(2);
    expect(rows.map((b) => [b.data.reason, b.data.points])).toEqual([
      ["adjustment", 7],
      ["adjustment", -2],
    ]);
    await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: -2, reason: "typo" }, app.privateKey, { "idempotency-key": "adj-1" });
    await watch.step(0);
  });

  it("refunds (v1): a partial and the rest, each a negative row", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    const bought = await ok(app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "bo@example.com", orderId: "r-1", amount: 100 }), 201);
    const watch = await AwardWatch.start(app);
    await ok(app.post(`/api/v1/purchases/${bought.data.purchaseId}/refund`, { amount: 25 }), 201);
    const [partial] = await watch.step(1);
    expect(partial.data).toMatchObject({ reason: "purchase_refund", entryId: ada.id, points: -25 });
    await ok(app.post(`/api/v1/purchases/${bought.data.purchaseId}/refund`, {}), 201);
    const [rest] = await watch.step(1);
    expect(rest.data).toMatchObject({ reason: "purchase_refund", entryId: ada.id, points: -75 });
  });

  it("campaigns (Referral Rocket): addParticipant through a referral code", async () => {
    const app = await TestApp.create({ referrerReward: 20, refereeReward: 5, rewardType: "Monetary" });
    const john = await app.addEntry("john@example.com");
    const watch = await AwardWatch.start(app);
    await ok(app.post("/api/v1/addParticipant", { id: app.contestId, email: "amy@example.com", referredByCode: john.referralCode }));
    const rows = await watch.step(2);
    expect(rows.map((b) => b.data.reason)).toEqual(["referral_advocate", "referral_friend"]);
    // Qualifying moves the rewards ledger (reward.earned), not the points ledger.
    await ok(app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "amy@example.com", amount: 100 }));
    await watch.step(0);
  });

  it("written only when someone listens: no endpoint, no event row; the referral.confirmed email alone writes it", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    const events = () => count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ? AND type = 'award.created'", app.accountId);
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?", app.contestId)).toBe(2);
    expect(await events()).toBe(0);
    await env.DB.prepare(
      "INSERT INTO email_templates (contest_id, kind, enabled, updated_at) VALUES (?, 'referral.confirmed', 1, '2026-01-01T00:00:00Z')",
    )
      .bind(app.contestId)
      .run();
    await app.addEntry("cy@example.com", { referralCode: ada.referralCode });
    expect(await events()).toBe(2);
  });
});

describe("GET /api/v1/webhook-event-types: the worker's list, which the dashboard shows", () => {
  it("every subscribable type with when it is sent (a native test holds the list equal to the document's enum); no ping; each subscribable; private key only", async () => {
    const app = await TestApp.create();
    const r = await ok(app.get("/api/v1/webhook-event-types"));
    const types = r.data.map((t: Json) => t.type);
    expect(types).toContain("award.created");
    expect(types).toContain("reward.redeemed");
    expect(types).not.toContain("ping");
    expect(r.data.every((t: Json) => typeof t.description === "string" && t.description.length > 5)).toBe(true);
    expect(JSON.stringify(r.data)).not.toMatch(/not sent/i);
    // Every type listed is one an endpoint may subscribe to.
    const made = await app.post("/api/v1/webhook-endpoints", { url: "https://receiver.test/hooks/ok/types", events: types });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.data.events).toEqual(types);
    expect((await app.get("/api/v1/webhook-event-types", app.publicKey)).status).toBe(403);
    expect((await call("GET", "/api/v1/webhook-event-types")).status).toBe(401);
  });
});
