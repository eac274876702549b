import { describe, expect, it } from "vitest";
import { count, expectError, expectLedgerConsistent, ledgerOf, TestApp } from "./app";

describe("POST /api/v1/contests/:contestId/purchases", () => {
  it("replays the seed: 201 with 50 points for 49.99, then 200 alreadyExists with 0", async () => {
    const app = await TestApp.create();
    const buyer = await app.addEntry("customer@example.com");
    const body = { email: "customer@example.com", orderId: "order-12345", amount: 49.99, currency: "USD" };
    const first = await app.post(`/api/v1/contests/${app.contestId}/purchases`, body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      success: true,
      data: {
        purchaseId: expect.stringMatching(/^pu_/),
        entryId: buyer.id,
        creditedEntryId: buyer.id,
        pointsAwarded: 50,
        alreadyExists: false,
        status: "confirmed",
        purchaseStatus: "verified",
        message: "Purchase recorded successfully",
      },
    });
    const dup = await app.post(`/api/v1/contests/${app.contestId}/purchases`, body);
    expect(dup.status).toBe(200);
    expect(dup.body.data).toMatchObject({ purchaseId: first.body.data.purchaseId, pointsAwarded: 0, alreadyExists: true, message: "Purchase already recorded" });
    expect((await app.entry(buyer.id)).totalPoints).toBe(50);
  });

  it("concurrent duplicates of one orderId award exactly once", async () => {
    const app = await TestApp.create();
    const buyer = await app.addEntry("c@example.com");
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "c@example.com", orderId: "race", amount: 10 })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(7);
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ? AND order_id = 'race'", app.contestId)).toBe(1);
    expect(await ledgerOf(buyer.id)).toHaveLength(1);
    expect((await app.entry(buyer.id)).totalPoints).toBe(10);
  });

  it("a referred buyer's purchase points go to the advocate by default, to the buyer when configured", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const friend = await app.addEntry("friend@example.com", { referralCode: ada.referralCode });
    const r = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "friend@example.com", orderId: "o1", amount: 99.99 });
    expect(r.body.data).toMatchObject({ entryId: friend.id, creditedEntryId: ada.id, pointsAwarded: 100 });
    expect((await app.entry(ada.id)).totalPoints).toBe(110);
    await app.setContest({ purchasePointsTo: "buyer", purchasePointsPerUnit: 2 });
    const r2 = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "friend@example.com", orderId: "o2", amount: 10 });
    expect(r2.body.data).toMatchObject({ creditedEntryId: friend.id, pointsAwarded: 20 });
    expect((await app.entry(friend.id)).totalPoints).toBe(25);
    await expectLedgerConsistent(app.contestId);
  });

  it("the seed's error table", async () => {
    const app = await TestApp.create();
    await app.addEntry("c@example.com");
    const url = `/api/v1/contests/${app.contestId}/purchases`;
    expectError(await app.post(url, { email: "c@example.com", amount: 5 }), 400, /Invalid request body: orderId is required/);
    expectError(await app.post(url, { orderId: "x", amount: 5 }), 400, /Invalid request body: email is required/);
    expectError(await app.post(url, { email: "c@example.com", orderId: "x" }), 400, /Invalid request body: amount is required/);
    expectError(await app.post(url, { email: "c@example.com", orderId: "x", amount: "lots" }), 400, /Invalid request body/);
    expectError(await app.post(url, { email: "c@example.com", orderId: "x", amount: 0 }), 400, "Amount must be positive");
    expectError(await app.post(url, { email: "c@example.com", orderId: "x", amount: -3 }), 400, "Amount must be positive");
    expectError(await app.post(url, { email: "c@example.com", orderId: "x", amount: 3, currency: "dollars" }), 400, /currency/);
    expectError(await app.post(url, { email: "c@example.com", orderId: "x", amount: 5 }, app.publicKey), 403, "Private key required");
    expectError(await app.post(`/api/v1/contests/ct_nope/purchases`, { email: "c@example.com", orderId: "x", amount: 5 }), 404, "Contest not found");
    expectError(await app.post(url, { email: "stranger@example.com", orderId: "x", amount: 5 }), 409, "No entry for this email in this contest");
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?", app.contestId)).toBe(0);
  });

  it("currency defaults to USD and is stored upper-case", async () => {
    const app = await TestApp.create();
    await app.addEntry("c@example.com");
    await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "c@example.com", orderId: "a", amount: 1 });
    await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "c@example.com", orderId: "b", amount: 1, currency: "eur" });
    const stats = await app.get(`/api/v1/contests/${app.contestId}/stats`);
    expect(stats.body.data.revenue).toEqual({ EUR: 1, USD: 1 });
  });
});
