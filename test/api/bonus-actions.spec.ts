import { describe, expect, it } from "vitest";
import { expectError, expectLedgerConsistent, ledgerOf, TestApp } from "./app";

async function appWithActions() {
  const app = await TestApp.create();
  const follow = await app.addBonusAction({
    action: "follow_twitter",
    description: "Follow us on Twitter",
    icon: "twitter",
    iconColor: "#1DA1F2",
    points: 10,
    confirmationType: "auto",
    destinationUrl: "https://twitter.com/blitzrocket",
    order: 1,
  });
  const share = await app.addBonusAction({ action: "share_referral", description: "Share your referral link", icon: "share", iconColor: "#10B981", points: 20, confirmationType: "manual", order: 2 });
  const visit = await app.addBonusAction({ action: "visit_website", description: "Visit our product page", icon: "link", iconColor: "#6366F1", points: 5, confirmationType: "click", destinationUrl: "https://example.com/product", order: 3 });
  const quiz = await app.addBonusAction({ action: "quiz", description: "What do we sell?", points: 15, confirmationType: "quiz", correctAnswer: "Rockets", order: 4 });
  const entry = await app.addEntry("user@example.com");
  return { app, follow, share, visit, quiz, entry };
}

describe("GET /api/v1/entries/:entryId/bonus-actions", () => {
  it("answers the seed's shape, ordered, with completion status", async () => {
    const { app, follow, share, visit, entry } = await appWithActions();
    await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${follow.id}/complete`, {});
    const r = await app.get(`/api/v1/entries/${entry.id}/bonus-actions`, app.publicKey);
    expect(r.status).toBe(200);
    const d = r.body.data;
    // A public key never sees a full email.
    expect(d).toMatchObject({ entryId: entry.id, email: "us***@example.com", totalPoints: 10, bonusActionsCompleted: 1, bonusActionsTotal: 4, bonusPointsEarned: 10 });
    expect((await app.get(`/api/v1/entries/${entry.id}/bonus-actions`)).body.data.email).toBe("user@example.com");
    expect(d.actions.map((a: any) => a.id)).toEqual([follow.id, share.id, visit.id, expect.any(String)]);
    expect(d.actions[0]).toEqual({
      id: follow.id,
      action: "follow_twitter",
      description: "Follow us on Twitter",
      icon: "twitter",
      iconColor: "#1DA1F2",
      points: 10,
      confirmationType: "auto",
      destinationUrl: "https://twitter.com/blitzrocket",
      order: 1,
      completed: true,
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      completionStatus: "verified",
    });
    expect(d.actions[2]).toMatchObject({ completed: false, completedAt: null, completionStatus: null, destinationUrl: "https://example.com/product" });
    expect(JSON.stringify(d)).not.toContain("Rockets");
  });

  it("finds the entry by email with the lookup form", async () => {
    const { app, entry } = await appWithActions();
    const r = await app.get(`/api/v1/entries/lookup/bonus-actions?email=USER%40example.com&contestId=${app.contestId}`, app.publicKey);
    expect(r.status).toBe(200);
    expect(r.body.data.entryId).toBe(entry.id);
    expectError(await app.get(`/api/v1/entries/lookup/bonus-actions?contestId=${app.contestId}`), 400, /Missing email/);
    expectError(await app.get(`/api/v1/entries/lookup/bonus-actions?email=no@example.com&contestId=${app.contestId}`), 404, "Entry or bonus action not found");
  });
});

describe("POST .../bonus-actions/:bonusActionId/complete", () => {
  it("auto and click complete at once and award points (seed response), a second time awards nothing", async () => {
    const { app, visit, entry } = await appWithActions();
    const r = await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${visit.id}/complete`, {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      success: true,
      data: {
        alreadyCompleted: false,
        completedAt: expect.any(String),
        completionStatus: "verified",
        pointsAdded: 5,
        newTotalPoints: 5,
        message: "Bonus action completed successfully.",
      },
    });
    const again = await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${visit.id}/complete`, {});
    expect(again.body.data).toMatchObject({ alreadyCompleted: true, completedAt: r.body.data.completedAt, message: "This bonus action has already been completed." });
    expect((await app.entry(entry.id)).totalPoints).toBe(5);
  });

  it("concurrent completions award exactly once", async () => {
    const { app, follow, entry } = await appWithActions();
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => app.post(`/api/v1/entries/${entry.id}/bonus-actions/${follow.id}/complete`, {})),
    );
    expect(replies.filter((r) => r.body.data.alreadyCompleted === false)).toHaveLength(1);
    expect(await ledgerOf(entry.id)).toEqual([{ delta: 10, reason: "bonus_action", ref_id: follow.id }]);
    expect((await app.entry(entry.id)).totalPoints).toBe(10);
  });

  it("manual ones become pending and award on approval, once; rejection awards nothing", async () => {
    const { app, share, entry } = await appWithActions();
    const other = await app.addEntry("other@example.com");
    const r = await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${share.id}/complete`, { proof: "https://x.com/post/1" });
    expect(r.body.data).toMatchObject({ alreadyCompleted: false, completionStatus: "pending", pointsAdded: 0, newTotalPoints: 0 });
    expectError(await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${share.id}/approve`, {}, app.publicKey), 403);
    const approvals = await Promise.all([1, 2, 3].map(() => app.post(`/api/v1/entries/${entry.id}/bonus-actions/${share.id}/approve`)));
    expect(approvals.filter((a) => a.status === 200)).toHaveLength(1);
    expect(approvals.filter((a) => a.status === 409)).toHaveLength(2);
    expect((await app.entry(entry.id)).totalPoints).toBe(20);
    const listed = await app.get(`/api/v1/entries/${entry.id}/bonus-actions`);
    expect(listed.body.data.actions[1]).toMatchObject({ completed: true, completionStatus: "verified" });

    await app.post(`/api/v1/entries/${other.id}/bonus-actions/${share.id}/complete`, {});
    const rejected = await app.post(`/api/v1/entries/${other.id}/bonus-actions/${share.id}/reject`);
    expect(rejected.body.data).toMatchObject({ completionStatus: "rejected", pointsAdded: 0 });
    expect((await app.entry(other.id)).totalPoints).toBe(0);
    const retry = await app.post(`/api/v1/entries/${other.id}/bonus-actions/${share.id}/complete`, {});
    expect(retry.body.data).toMatchObject({ alreadyCompleted: true, completionStatus: "rejected" });
    await expectLedgerConsistent(app.contestId);
  });

  it("quiz ones check the answer", async () => {
    const { app, quiz, entry } = await appWithActions();
    expectError(await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${quiz.id}/complete`, {}), 400, /answer is required/);
    expectError(await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${quiz.id}/complete`, { answer: "boats" }), 400, "Incorrect answer");
    const ok = await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${quiz.id}/complete`, { answer: " rockets " });
    expect(ok.body.data).toMatchObject({ alreadyCompleted: false, pointsAdded: 15 });
  });

  it("the seed's error table: 401 and 404", async () => {
    const { app, follow, entry } = await appWithActions();
    const other = await TestApp.create();
    expectError(await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${follow.id}/complete`, {}, "bad"), 401, "Invalid API key");
    expectError(await app.post(`/api/v1/entries/en_nope/bonus-actions/${follow.id}/complete`), 404, "Entry or bonus action not found");
    expectError(await app.post(`/api/v1/entries/${entry.id}/bonus-actions/ba_nope/complete`), 404, "Entry or bonus action not found");
    expectError(await other.post(`/api/v1/entries/${entry.id}/bonus-actions/${follow.id}/complete`), 404, "Entry or bonus action not found");
    expectError(await app.post(`/api/v1/entries/%20/bonus-actions/${follow.id}/complete`), 404, "Entry or bonus action not found");
  });
});

describe("managing bonus actions", () => {
  it("creates (201, data.id), lists, updates and deletes; validation is a 400", async () => {
    const { app, follow, entry } = await appWithActions();
    expect(follow.id).toMatch(/^ba_/);
    const upd = await app.patch(`/api/v1/contests/${app.contestId}/bonus-actions/${follow.id}`, { points: 12, icon: null });
    expect(upd.body.data).toMatchObject({ points: 12, icon: null, action: "follow_twitter" });
    await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${follow.id}/complete`, {});
    const del = await app.del(`/api/v1/contests/${app.contestId}/bonus-actions/${follow.id}`);
    expect(del.status).toBe(200);
    const list = await app.get(`/api/v1/contests/${app.contestId}/bonus-actions`, app.publicKey);
    expect(list.body.data.map((a: any) => a.id)).not.toContain(follow.id);
    expect((await app.entry(entry.id)).totalPoints).toBe(12);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/bonus-actions`, { action: "x", description: "y", points: 1 }), 400, /confirmationType/);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/bonus-actions`, { action: "x", description: "y", points: 1, confirmationType: "magic" }), 400, /confirmationType/);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/bonus-actions`, { action: "x", description: "y", points: 1, confirmationType: "quiz" }), 400, /correctAnswer/);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/bonus-actions`, { action: "x", description: "y", points: -1, confirmationType: "auto" }), 400, /points/);
    expectError(await app.del(`/api/v1/contests/${app.contestId}/bonus-actions/ba_nope`), 404, "Bonus action not found");
  });
});

describe("GET /api/v1/contests/:contestId/bonus-completions", () => {
  it("is the owner's review queue: pending manual completions, oldest first, with who, what and the proof", async () => {
    const { app, share, follow, entry } = await appWithActions();
    const other = await app.addEntry("other@example.com");
    const url = `/api/v1/contests/${app.contestId}/bonus-completions`;
    expect((await app.get(url)).body).toMatchObject({ data: [], pagination: { total: 0 } });
    await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${share.id}/complete`, { proof: "https://x.com/user/status/1" });
    await app.post(`/api/v1/entries/${other.id}/bonus-actions/${share.id}/complete`, { proof: "<img src=x onerror=alert(1)>" });
    await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${follow.id}/complete`, {});
    const pending = await app.get(url);
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    expect(pending.body.pagination).toMatchObject({ total: 2 });
    expect(pending.body.data).toMatchObject([
      { entryId: entry.id, email: "user@example.com", bonusActionId: share.id, action: "share_referral", status: "pending", proof: "https://x.com/user/status/1", points: 20, completedAt: null },
      { entryId: other.id, email: "other@example.com", proof: "<img src=x onerror=alert(1)>" },
    ]);
    const verified = await app.get(`${url}?status=verified`);
    expect(verified.body.data.map((c: any) => c.bonusActionId)).toEqual([follow.id]);

    await app.post(`/api/v1/entries/${entry.id}/bonus-actions/${share.id}/approve`);
    await app.post(`/api/v1/entries/${other.id}/bonus-actions/${share.id}/reject`);
    expect((await app.get(url)).body.data).toEqual([]);
    expect((await app.get(`${url}?status=rejected`)).body.data.map((c: any) => c.entryId)).toEqual([other.id]);
    expect((await app.get(`${url}?status=verified&limit=1&page=2`)).body.pagination).toMatchObject({ total: 2, page: 2 });

    expectError(await app.get(`${url}?status=done`), 400, /status/);
    expectError(await app.get(url, app.publicKey), 403);
    const stranger = await TestApp.create();
    expectError(await stranger.get(url), 404, "Contest not found");
  });
});

