// Issue 24: a Stripe dispute is a reversal like a refund: it takes the entry
// below the milestone, so the unfulfilled prize is void and its code goes back
// to the pool; the dispute won later gives the points back, not the prize (a
// void award is final: a prize is earned once per entry).
import { describe, expect, it } from "vitest";
import { call, TestApp } from "./app";
import { addPrize, awardsOf, uploadCodes } from "./prize-helpers";
import { stripeEvent, stripeSignature } from "./stripe";

const SECRET = "whsec_prize_reversals";

async function sendStripe(app: TestApp, payload: string) {
  const r = await call("POST", `/api/webhooks/stripe/${app.contestId}`, {
    raw: payload,
    headers: { "stripe-signature": await stripeSignature(payload, SECRET) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const dispute = (type: string, status: string) =>
  stripeEvent(type, { id: "dp_prize", object: "dispute", amount: 10000, currency: "usd", charge: "ch_prize", payment_intent: "pi_prize", status });

describe("a Stripe dispute reverses a milestone prize", () => {
  it("voids the unfulfilled award and frees its code; the won dispute restores the points, not the prize", async () => {
    const app = await TestApp.create({ stripeWebhookSecret: SECRET });
    const prize = await addPrize(app, { name: "100 points", kind: "milestone", threshold: { points: 100 }, fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["DISPUTED-1"]);
    const ada = await app.addEntry("ada@example.com");
    const bought = await sendStripe(
      app,
      stripeEvent("checkout.session.completed", {
        id: "cs_test_prize_dispute",
        object: "checkout.session",
        mode: "payment",
        amount_total: 10000,
        currency: "usd",
        payment_status: "paid",
        payment_intent: "pi_prize",
        client_reference_id: ada.referralCode,
        customer_details: { email: "buyer@example.com" },
      }),
    );
    expect(bought).toMatchObject({ pointsAwarded: 100, status: "confirmed" });
    expect(await awardsOf(app)).toMatchObject([{ entryId: ada.id, status: "earned", code: "DISPUTED-1" }]);

    expect(await sendStripe(app, dispute("charge.dispute.created", "needs_response"))).toMatchObject({ pointsReversed: 100 });
    const [voided] = await awardsOf(app);
    expect(voided).toMatchObject({ entryId: ada.id, status: "void", code: null, clawback: false });
    expect((await app.get(`/api/v1/prizes/${prize.id}`)).body.data.codesAvailable).toBe(1);

    expect(await sendStripe(app, dispute("charge.dispute.closed", "won"))).toMatchObject({ pointsReinstated: 100 });
    expect((await app.get(`/api/v1/entries/${ada.id}`)).body.data.totalPoints).toBe(100);
    expect(await awardsOf(app)).toMatchObject([{ id: voided.id, status: "void" }]);
    expect((await app.get(`/api/v1/prizes/${prize.id}`)).body.data.codesAvailable).toBe(1);
  });
});
