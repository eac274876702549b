// Prizes (issue 24): the prize object, its code pool and the awards'
// lifecycle. Milestones are earned by triggers (migrations/0020) in the batch
// that moves the entry's confirmed totals, so each path that moves them is
// driven here; codes are handed out once, quantity never exceeded, reversals
// void or mark for clawback.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { call, count, expectError, type Json, TestApp } from "./app";
import {
  addPrize,
  asParticipant,
  awardsOf,
  codesHeld,
  prizeRewards,
  referFriends,
  referralsMilestone,
  tokenOf,
  uploadCodes,
} from "./prize-helpers";
import { RECEIVER } from "./receiver";
import { stripeSignature } from "./stripe";

describe("prizes: create, read, update, delete", () => {
  it("a milestone code prize round-trips; the list shows no code and the pool size to private keys only", async () => {
    const app = await TestApp.create();
    const prize = await addPrize(app, {
      name: "20% off",
      description: "For 3 friends",
      imageUrl: "https://cdn.example/p.png",
      kind: "milestone",
      threshold: { referrals: 3 },
      fulfilment: { type: "code" },
      quantity: 100,
    });
    expect(prize).toMatchObject({
      id: expect.stringMatching(/^prz_/),
      contestId: app.contestId,
      name: "20% off",
      kind: "milestone",
      threshold: { referrals: 3 },
      ranks: null,
      fulfilment: { type: "code" },
      quantity: 100,
      earnedCount: 0,
      codesAvailable: 0,
    });
    await uploadCodes(app, prize.id, ["A1", "A2"]);
    expect((await app.get(`/api/v1/prizes/${prize.id}`)).body.data.codesAvailable).toBe(2);
    const privateList = (await app.get(`/api/v1/contests/${app.contestId}/prizes`)).body.data;
    expect(privateList).toHaveLength(1);
    expect(privateList[0].codesAvailable).toBe(2);
    const publicList = await app.get(`/api/v1/contests/${app.contestId}/prizes`, app.publicKey);
    expect(publicList.status).toBe(200);
    expect(publicList.body.data[0]).not.toHaveProperty("codesAvailable");
    expect(JSON.stringify(publicList.body)).not.toContain("A1");

    const patched = await app.patch(`/api/v1/prizes/${prize.id}`, { name: "25% off", threshold: { points: 100 }, quantity: null });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.data).toMatchObject({ name: "25% off", threshold: { points: 100 }, quantity: null, description: "For 3 friends" });
    const toRank = await app.patch(`/api/v1/prizes/${prize.id}`, { kind: "rank", ranks: { from: 1, to: 3 } });
    expect(toRank.body.data).toMatchObject({ kind: "rank", ranks: { from: 1, to: 3 }, threshold: null });
    // A rule the body breaks is a 400; one the stored prize alone breaks a 409.
    expectError(await app.patch(`/api/v1/prizes/${prize.id}`, { ranks: { from: 0, to: 2 } }), 400, /ranks/);
    expectError(await app.patch(`/api/v1/prizes/${prize.id}`, { kind: "milestone" }), 409, /threshold/);

    const gone = await app.del(`/api/v1/prizes/${prize.id}`);
    expect(gone.body.data).toEqual({ id: prize.id, deleted: true });
    expectError(await app.get(`/api/v1/prizes/${prize.id}`), 404);
    expect(await count("SELECT COUNT(*) AS n FROM prize_codes WHERE prize_id = ?", prize.id)).toBe(0);
  });

  it("participant tokens read their contest's prizes; another contest's token gets 404, a public key cannot write", async () => {
    const app = await TestApp.create();
    await referralsMilestone(app, 3);
    const ada = await app.addEntry("ada@example.com");
    const token = await tokenOf(app, ada.id);
    const mine = await asParticipant(`/api/v1/contests/${app.contestId}/prizes`, token);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toHaveLength(1);
    const other = await TestApp.create();
    const theirs = await other.addEntry("bob@example.com");
    expectError(await asParticipant(`/api/v1/contests/${app.contestId}/prizes`, await tokenOf(other, theirs.id)), 404);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/prizes`, { name: "x" }, app.publicKey), 403);
    expectError(await other.get(`/api/v1/contests/${app.contestId}/prizes`), 404);
  });

  it("validates name, imageUrl, kind and its rule, fulfilment and quantity", async () => {
    const app = await TestApp.create({ rewardCurrency: "EUR" });
    const post = (body: Json) => app.post(`/api/v1/contests/${app.contestId}/prizes`, body);
    const ok = { name: "P", kind: "milestone", threshold: { referrals: 1 }, fulfilment: { type: "manual" } };
    expectError(await post({ ...ok, name: undefined }), 400, /name is required/);
    expectError(await post({ ...ok, name: "  " }), 400, /name is required/);
    expectError(await post({ ...ok, imageUrl: "http://cdn.example/p.png" }), 400, /imageUrl must be an https URL/);
    expectError(await post({ ...ok, kind: "lottery" }), 400, /kind/);
    // A draw (issue 25) takes no threshold.
    expectError(await post({ ...ok, kind: "draw", winners: 1 }), 400, /threshold does not apply to a draw/);
    expectError(await post({ ...ok, threshold: undefined }), 400, /threshold/);
    expectError(await post({ ...ok, threshold: { referrals: 1, points: 5 } }), 400, /threshold/);
    expectError(await post({ ...ok, threshold: { referrals: 0 } }), 400, /threshold/);
    const reversed = await post({ ...ok, kind: "rank", ranks: { from: 3, to: 1 } });
    expect(reversed.body.data.ranks).toEqual({ from: 1, to: 3 });
    expectError(await post({ ...ok, fulfilment: { type: "cash" } }), 400, /fulfilment/);
    expectError(await post({ ...ok, fulfilment: { type: "code", amount: 5 } }), 400, /credit only/);
    expectError(await post({ ...ok, fulfilment: { type: "credit", amount: 0, currency: "EUR" } }), 400, /fulfilment/);
    // The contest's setting decides: a 409, as a schema-valid body is never a 400.
    expectError(await post({ ...ok, fulfilment: { type: "credit", amount: 5, currency: "USD" } }), 409, /rewardCurrency/);
    expectError(await post({ ...ok, quantity: 0 }), 400, /quantity/);
    expectError(await post({ ...ok, colour: "red" }), 400);
    const credit = await post({ ...ok, fulfilment: { type: "credit", amount: 5, currency: "EUR" } });
    expect(credit.status).toBe(201);
    expect(credit.body.data.fulfilment).toEqual({ type: "credit", amount: 5, currency: "EUR" });
    expectError(await app.post(`/api/v1/prizes/${credit.body.data.id}/codes`, { codes: ["X"] }), 409, /code prize/);
    expect(await count("SELECT COUNT(*) AS n FROM prizes WHERE contest_id = ?", app.contestId)).toBe(2);
  });
});

describe("a milestone is earned in the batch that crosses its threshold, on every path, once", () => {
  it("v1 referrals: the third confirmed referral earns it; the entry shows it and its next milestone", async () => {
    const app = await TestApp.create();
    const three = await referralsMilestone(app, 3, { fulfilment: { type: "code" } });
    const five = await referralsMilestone(app, 5);
    await uploadCodes(app, three.id, ["CODE-1"]);
    const ada = await app.addEntry("ada@example.com");
    await referFriends(app, ada, 2);
    expect(await awardsOf(app)).toEqual([]);
    let view = await app.entry(ada.id);
    expect(view.prizes).toEqual([]);
    expect(view.nextMilestone).toEqual({ prizeId: three.id, name: "3 referrals", threshold: { referrals: 3 }, progress: 2 });
    await referFriends(app, ada, 1, "third");
    const [award] = await awardsOf(app);
    expect(award).toMatchObject({ prizeId: three.id, entryId: ada.id, email: "ada@example.com", status: "earned", code: "CODE-1", clawback: false });
    view = await app.entry(ada.id);
    expect(view.prizes).toEqual([{ id: award.id, prizeId: three.id, name: "3 referrals", status: "earned", code: "CODE-1", rank: null, earnedAt: award.earnedAt }]);
    expect(view.nextMilestone).toMatchObject({ prizeId: five.id, progress: 3 });
    // The entry's own token sees its code, a public key does not.
    const own = await asParticipant(`/api/v1/entries/${ada.id}`, await tokenOf(app, ada.id));
    expect(own.body.data.prizes[0].code).toBe("CODE-1");
    const pub = await app.get(`/api/v1/entries/${ada.id}`, app.publicKey);
    expect(pub.body.data.prizes[0].code).toBeNull();
    // Once per entry and prize.
    await referFriends(app, ada, 1, "fourth");
    expect((await awardsOf(app, `&prizeId=${three.id}`)).length).toBe(1);
    expect(await count("SELECT confirmed_referrals AS n FROM entries WHERE id = ?", ada.id)).toBe(4);
  });

  it("tracker signups held for review earn it when the owner confirms the award", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const prize = await referralsMilestone(app, 1);
    const ada = await app.addEntry("ada@example.com");
    const signup = await call("POST", "/api/referral/track-signup", {
      body: { email: "friend@example.com", contestId: app.contestId, referralCode: ada.referralCode },
      headers: { "CF-Connecting-IP": "203.0.113.90" },
    });
    expect(signup.body.data.status).toBe("pending");
    expect(await awardsOf(app)).toEqual([]);
    const held = (await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`)).body.data;
    const advocates = held.filter((a: Json) => a.entryId === ada.id);
    expect(advocates).toHaveLength(1);
    expect((await app.post(`/api/v1/awards/${advocates[0].id}/confirm`)).status).toBe(200);
    expect(await awardsOf(app)).toMatchObject([{ prizeId: prize.id, entryId: ada.id, status: "earned" }]);
  });

  it("the inbound signup webhook earns it", async () => {
    const app = await TestApp.create();
    const prize = await referralsMilestone(app, 1);
    const ada = await app.addEntry("ada@example.com");
    const r = await call("POST", `/api/webhooks/signup/${app.contestId}`, {
      body: { email: "f@example.com", referralCode: ada.referralCode },
      headers: { "x-webhook-secret": app.contest.webhookSecret },
    });
    expect(r.status).toBe(200);
    expect(await awardsOf(app)).toMatchObject([{ prizeId: prize.id, entryId: ada.id, status: "earned" }]);
  });

  it("a Stripe checkout's purchase points earn a points milestone", async () => {
    const secret = "whsec_prizes";
    const app = await TestApp.create({ stripeWebhookSecret: secret });
    const prize = await addPrize(app, { kind: "milestone", threshold: { points: 50 } });
    const ada = await app.addEntry("ada@example.com");
    const payload = JSON.stringify({
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
          client_reference_id: ada.referralCode,
        },
      },
    });
    const r = await call("POST", `/api/webhooks/stripe/${app.contestId}`, {
      raw: payload,
      headers: { "stripe-signature": await stripeSignature(payload, secret) },
    });
    expect(r.body).toMatchObject({ creditedEntryId: ada.id, pointsAwarded: 50 });
    expect(await awardsOf(app)).toMatchObject([{ prizeId: prize.id, entryId: ada.id, status: "earned" }]);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE id = ? AND points_reached_at IS NOT NULL", ada.id)).toBe(1);
  });

  it("the holdDays sweep that confirms a held referral earns it", async () => {
    const app = await TestApp.create({ referralAwards: "review", holdDays: 1 });
    const prize = await referralsMilestone(app, 1);
    const ada = await app.addEntry("ada@example.com");
    const signup = await call("POST", "/api/referral/track-signup", {
      body: { email: "friend@example.com", contestId: app.contestId, referralCode: ada.referralCode },
      headers: { "CF-Connecting-IP": "203.0.113.91" },
    });
    expect(signup.body.data.status).toBe("pending");
    const past = new Date(Date.now() - 60_000).toISOString();
    await env.DB.prepare("UPDATE ledger SET confirm_after = ? WHERE contest_id = ? AND status = 'pending'").bind(past, app.contestId).run();
    await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
    expect(await awardsOf(app)).toMatchObject([{ prizeId: prize.id, entryId: ada.id, status: "earned" }]);
  });
});

describe("quantity and codes hold under concurrency", () => {
  it("20 crossings at once with quantity 5: exactly 5 earn it", async () => {
    const app = await TestApp.create();
    const prize = await referralsMilestone(app, 1, { quantity: 5 });
    const advocates: Json[] = [];
    for (let i = 0; i < 20; i++) advocates.push(await app.addEntry(`adv${i}@example.com`));
    const replies = await Promise.all(
      advocates.map((a, i) => app.post(`/api/v1/contests/${app.contestId}/entries`, { email: `f${i}@example.com`, referralCode: a.referralCode })),
    );
    expect(replies.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    const awards = await awardsOf(app);
    expect(awards).toHaveLength(5);
    expect(new Set(awards.map((a) => a.entryId)).size).toBe(5);
    expect((await app.get(`/api/v1/prizes/${prize.id}`)).body.data.earnedCount).toBe(5);
  });

  it("a pool of 3 and 5 earners: 3 codes, 2 waiting; an upload serves them, each code once", async () => {
    const app = await TestApp.create();
    const prize = await referralsMilestone(app, 1, { fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["C1", "C2", "C3"]);
    const advocates: Json[] = [];
    for (let i = 0; i < 5; i++) advocates.push(await app.addEntry(`adv${i}@example.com`));
    await Promise.all(
      advocates.map((a, i) => app.post(`/api/v1/contests/${app.contestId}/entries`, { email: `f${i}@example.com`, referralCode: a.referralCode })),
    );
    const awards = await awardsOf(app);
    expect(awards.filter((a) => a.status === "earned").map((a) => a.code).sort()).toEqual(["C1", "C2", "C3"]);
    const waiting = awards.filter((a) => a.status === "waiting");
    expect(waiting).toHaveLength(2);
    expect(waiting.every((a) => a.code === null)).toBe(true);
    expectError(await app.post(`/api/v1/prize-awards/${waiting[0].id}/fulfil`), 409, /waiting/);

    const upload = await uploadCodes(app, prize.id, ["C3", " C4 ", "C5", "C6", "C4"]);
    expect(upload).toEqual({ added: 3, duplicates: 2, available: 1 });
    const after = await awardsOf(app);
    expect(after.every((a) => a.status === "earned")).toBe(true);
    const held = await codesHeld(prize.id);
    expect(held.map((c) => c.code).sort()).toEqual(["C1", "C2", "C3", "C4", "C5"]);
    expect(new Set(held.map((c) => c.award_id)).size).toBe(5);
    // The oldest waiting award got the first new code.
    const byId = new Map(after.map((a) => [a.id, a.code]));
    expect(byId.get(waiting[0].id)).toBe("C4");
    const available = (await app.get(`/api/v1/prizes/${prize.id}/codes?status=available`)).body;
    expect(available.data.map((c: Json) => c.code)).toEqual(["C6"]);
    expect(available.pagination.total).toBe(1);
    const assigned = (await app.get(`/api/v1/prizes/${prize.id}/codes?status=assigned&limit=2`)).body;
    expect(assigned.pagination.total).toBe(5);
    expect(assigned.data[0]).toMatchObject({ code: "C1", status: "assigned", awardId: expect.stringMatching(/^pa_/) });
  });
});

describe("a reversal below the threshold voids an unfulfilled award and flags a fulfilled one", () => {
  it("a refund takes a points milestone back: void, its code back in the pool", async () => {
    const app = await TestApp.create();
    const prize = await addPrize(app, { kind: "milestone", threshold: { points: 50 }, fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["R1"]);
    await app.addEntry("buyer@example.com");
    const bought = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "buyer@example.com", orderId: "o-1", amount: 60 });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    expect(await awardsOf(app)).toMatchObject([{ status: "earned", code: "R1" }]);
    const refund = await app.post(`/api/v1/purchases/${bought.body.data.purchaseId}/refund`, { amount: 30 });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const [award] = await awardsOf(app);
    expect(award).toMatchObject({ status: "void", voidReason: "below threshold", code: null, clawback: false });
    expect((await app.get(`/api/v1/prizes/${prize.id}`)).body.data).toMatchObject({ codesAvailable: 1, earnedCount: 0 });
    // A void award is final: crossing again earns nothing.
    await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "buyer@example.com", orderId: "o-2", amount: 60 });
    expect(await awardsOf(app)).toHaveLength(1);
  });

  it("disqualification voids an earned award and marks a fulfilled one for clawback", async () => {
    const app = await TestApp.create();
    const one = await referralsMilestone(app, 1);
    const two = await referralsMilestone(app, 2);
    const ada = await app.addEntry("ada@example.com");
    await referFriends(app, ada, 2);
    const first = (await awardsOf(app, `&prizeId=${one.id}`))[0];
    const fulfilled = await app.post(`/api/v1/prize-awards/${first.id}/fulfil`, { note: "shipped" });
    expect(fulfilled.body.data).toMatchObject({ status: "fulfilled", note: "shipped", fulfilledAt: expect.any(String) });
    await app.post(`/api/v1/entries/${ada.id}/disqualify`, { reason: "fraud" });
    expect((await awardsOf(app, `&prizeId=${one.id}`))[0]).toMatchObject({ status: "fulfilled", clawback: true });
    expect((await awardsOf(app, `&prizeId=${two.id}`))[0]).toMatchObject({ status: "void", voidReason: "disqualified" });
  });

  it("the owner's negative adjustment below a points threshold voids it", async () => {
    const app = await TestApp.create();
    await addPrize(app, { kind: "milestone", threshold: { points: 10 } });
    const ada = await app.addEntry("ada@example.com");
    await referFriends(app, ada, 1);
    expect((await awardsOf(app))[0].status).toBe("earned");
    const adjusted = await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: -5, reason: "correction" });
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(201);
    expect((await awardsOf(app))[0]).toMatchObject({ status: "void", voidReason: "below threshold" });
  });
});

describe("the owner fulfils and voids awards", () => {
  it("fulfil: earned -> fulfilled, then 409; void: final, the code back to the pool unless burned", async () => {
    const app = await TestApp.create();
    const prize = await referralsMilestone(app, 1, { fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["V1", "V2"]);
    const ada = await app.addEntry("ada@example.com");
    const bob = await app.addEntry("bob@example.com");
    await referFriends(app, ada, 1, "a");
    await referFriends(app, bob, 1, "b");
    const [first, second] = await awardsOf(app);
    expect((await app.post(`/api/v1/prize-awards/${first.id}/fulfil`)).body.data.status).toBe("fulfilled");
    expectError(await app.post(`/api/v1/prize-awards/${first.id}/fulfil`), 409);

    expectError(await app.post(`/api/v1/prize-awards/${second.id}/void`, {}), 400, /reason is required/);
    const voided = await app.post(`/api/v1/prize-awards/${second.id}/void`, { reason: "duplicate account" });
    expect(voided.body.data).toMatchObject({ status: "void", voidReason: "duplicate account", code: null });
    expectError(await app.post(`/api/v1/prize-awards/${second.id}/void`, { reason: "again" }), 409, /already void/);
    expectError(await app.post(`/api/v1/prize-awards/${second.id}/fulfil`), 409, /void/);
    expect((await app.get(`/api/v1/prizes/${prize.id}/codes?status=available`)).body.data.map((c: Json) => c.code)).toEqual([second.code]);

    const burned = await app.post(`/api/v1/prize-awards/${first.id}/void`, { reason: "leaked", burnCode: true });
    expect(burned.body.data).toMatchObject({ status: "void", code: first.code });
    expect((await app.get(`/api/v1/prizes/${prize.id}/codes?status=assigned`)).body.data).toMatchObject([{ code: first.code, status: "burned" }]);
    expectError(await app.post(`/api/v1/prize-awards/pa_nope/fulfil`), 404);
    const other = await TestApp.create();
    expectError(await other.post(`/api/v1/prize-awards/${first.id}/void`, { reason: "x" }), 404);
  });

  it("a voided code serves the oldest waiting award", async () => {
    const app = await TestApp.create();
    const prize = await referralsMilestone(app, 1, { fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["ONLY"]);
    const ada = await app.addEntry("ada@example.com");
    const bob = await app.addEntry("bob@example.com");
    await referFriends(app, ada, 1, "a");
    await referFriends(app, bob, 1, "b");
    const [first, second] = await awardsOf(app);
    expect([first.status, second.status]).toEqual(["earned", "waiting"]);
    await app.post(`/api/v1/prize-awards/${first.id}/void`, { reason: "returned" });
    expect((await awardsOf(app, "&status=earned"))).toMatchObject([{ id: second.id, code: "ONLY" }]);
  });

  it("DELETE is refused once anyone earned the prize", async () => {
    const app = await TestApp.create();
    const prize = await referralsMilestone(app, 1);
    const ada = await app.addEntry("ada@example.com");
    await referFriends(app, ada, 1);
    expectError(await app.del(`/api/v1/prizes/${prize.id}`), 409);
    const [award] = await awardsOf(app);
    await app.post(`/api/v1/prize-awards/${award.id}/void`, { reason: "test" });
    expectError(await app.del(`/api/v1/prizes/${prize.id}`), 409);
  });
});

describe("a credit prize adds to the entry's reward balance", () => {
  it("shows in the Referral Rocket balance, and a void takes it back", async () => {
    const app = await TestApp.create({ rewardCurrency: "EUR" });
    await referralsMilestone(app, 1, { fulfilment: { type: "credit", amount: 12.5, currency: "EUR" } });
    const ada = await app.addEntry("ada@example.com");
    await referFriends(app, ada, 1);
    const [award] = await awardsOf(app);
    expect((await app.entry(ada.id)).rewards).toMatchObject({ referralEarned: 12.5, referralBalance: 12.5 });
    const participant = await app.get(`/api/v1/getParticipant?id=${app.contestId}&email=ada%40example.com`);
    expect(JSON.stringify(participant.body)).toContain("12.5");
    await app.post(`/api/v1/prize-awards/${award.id}/void`, { reason: "mistake" });
    expect((await app.entry(ada.id)).rewards).toMatchObject({ referralBalance: 0 });
    expect(await prizeRewards(award.id)).toEqual([
      { kind: "earned", amount: 12.5, ref_id: `prize:${award.id}` },
      { kind: "redeemed", amount: -12.5, ref_id: `prize-void:${award.id}` },
    ]);
  });
});

describe("any award insert takes its code, credit and event (rank prizes from the finalize)", () => {
  it("a rank award written as the finalize writes it gets the next code, or waits", async () => {
    const app = await TestApp.create();
    const prize = await addPrize(app, { kind: "rank", ranks: { from: 1, to: 2 }, fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["TOP-1"]);
    const ada = await app.addEntry("ada@example.com");
    const bob = await app.addEntry("bob@example.com");
    const now = new Date().toISOString();
    const insert = env.DB.prepare(
      `INSERT INTO prize_awards (id, prize_id, contest_id, entry_id, status, rank, earned_at)
       VALUES ('pa_' || lower(hex(randomblob(8))), ?1, ?2, ?3, 'earned', ?4, ?5)`,
    );
    await env.DB.batch([insert.bind(prize.id, app.contestId, ada.id, 1, now), insert.bind(prize.id, app.contestId, bob.id, 2, now)]);
    const byRank = async () => (await awardsOf(app)).sort((a, b) => a.rank - b.rank);
    const awards = await byRank();
    expect(awards.map((a) => [a.entryId, a.rank, a.status, a.code])).toEqual([
      [ada.id, 1, "earned", "TOP-1"],
      [bob.id, 2, "waiting", null],
    ]);
    await uploadCodes(app, prize.id, ["TOP-2"]);
    expect((await byRank()).map((a) => a.code)).toEqual(["TOP-1", "TOP-2"]);
  });
});

describe("the recompute keeps confirmed referrals and when the confirmed total last moved", () => {
  it("points_reached_at moves with the confirmed total only", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const read = () =>
      env.DB.prepare("SELECT confirmed_referrals, points_reached_at FROM entries WHERE id = ?")
        .bind(ada.id)
        .first<{ confirmed_referrals: number; points_reached_at: string | null }>();
    expect(await read()).toEqual({ confirmed_referrals: 0, points_reached_at: null });
    await referFriends(app, ada, 1);
    const first = await read();
    expect(first?.confirmed_referrals).toBe(1);
    expect(first?.points_reached_at).toEqual(expect.any(String));
    // A browser's purchase claim: a pending award, the confirmed total unchanged.
    await call("POST", "/api/referral/track-purchase", {
      body: { contestId: app.contestId, email: "friend0@example.com", orderId: "claim-1", amount: 10, referralCode: ada.referralCode },
      headers: { "CF-Connecting-IP": "203.0.113.93" },
    });
    expect(await count("SELECT pending_points AS n FROM entries WHERE id = ?", ada.id)).toBeGreaterThan(0);
    expect(await read()).toEqual(first);
  });
});

describe("prize events reach the owner's webhook endpoints", () => {
  it("prize.earned and prize.fulfilled are delivered with the award", async () => {
    const app = await TestApp.create();
    const name = `prize${Date.now().toString(36)}`;
    const endpoint = await app.post("/api/v1/webhook-endpoints", {
      url: `${RECEIVER}/hooks/ok/${name}`,
      events: ["prize.earned", "prize.fulfilled", "prize.voided"],
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const prize = await referralsMilestone(app, 1, { fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["HOOK-1"]);
    const ada = await app.addEntry("ada@example.com");
    await referFriends(app, ada, 1);
    const [award] = await awardsOf(app);
    await app.post(`/api/v1/prize-awards/${award.id}/fulfil`);
    const bodies = await vi.waitFor(
      async () => {
        const got: { body: string }[] = await (await fetch(`${RECEIVER}/log/${name}`)).json();
        expect(got.length).toBeGreaterThanOrEqual(2);
        return got.map((g) => JSON.parse(g.body));
      },
      { timeout: 10_000, interval: 50 },
    );
    const earned = bodies.find((b) => b.type === "prize.earned");
    expect(earned.data).toMatchObject({ id: award.id, prizeId: prize.id, entryId: ada.id, code: "HOOK-1" });
    expect(bodies.find((b) => b.type === "prize.fulfilled").data).toMatchObject({ id: award.id, status: "fulfilled" });
  });

  it("a reversal's prize.voided goes out with the refund's batch", async () => {
    const app = await TestApp.create();
    const name = `void${Date.now().toString(36)}`;
    await app.post("/api/v1/webhook-endpoints", { url: `${RECEIVER}/hooks/ok/${name}`, events: ["prize.voided"] });
    await addPrize(app, { kind: "milestone", threshold: { points: 50 } });
    await app.addEntry("buyer@example.com");
    const bought = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "buyer@example.com", orderId: "v-1", amount: 60 });
    await app.post(`/api/v1/purchases/${bought.body.data.purchaseId}/refund`, {});
    const [award] = await awardsOf(app);
    expect(award.status).toBe("void");
    const got = await vi.waitFor(
      async () => {
        const received: { body: string }[] = await (await fetch(`${RECEIVER}/log/${name}`)).json();
        expect(received.length).toBe(1);
        return JSON.parse(received[0].body);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(got).toMatchObject({ type: "prize.voided", data: { id: award.id, status: "void", voidReason: "below threshold" } });
  });
});
