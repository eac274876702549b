// The open results of a contest (issue 24): GET /api/referral/results, no
// key, CORS-open, cached like validate-code; winners once finalized, masked
// as the widget's leaderboard masks names.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectError, TestApp } from "./app";
import { addPrize, adjust, endContest, finalize, results } from "./standings-helpers";

describe("GET /api/referral/results", () => {
  it("shows the prizes and their rules before the end, winners (masked) once finalized", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const grace = await app.addEntry("grace@example.com", { name: "Grace Brewster Hopper" });
    const nameless = await app.addEntry("anon@example.com");
    await adjust(app, ada.id, 30);
    await adjust(app, grace.id, 20);
    await adjust(app, nameless.id, 10);
    const milestone = await addPrize(app, { kind: "milestone", name: "20% off", referrals: 3 });
    const podium = await addPrize(app, { kind: "rank", name: "Top three", from: 1, to: 3 });
    // One milestone earned, one voided: only the first counts.
    for (const [entry, status] of [[ada.id, "earned"], [grace.id, "void"]]) {
      await env.DB.prepare(
        "INSERT INTO prize_awards (id, prize_id, contest_id, entry_id, status, earned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      )
        .bind(`pa_t${status}${app.contestId}`, milestone, app.contestId, entry, status, new Date().toISOString())
        .run();
    }
    const before = await results(app.contestId);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.headers.get("access-control-allow-origin")).toBe("*");
    expect(before.headers.get("cache-control")).toContain("max-age=10");
    expect(before.body.data).toEqual({
      contestId: app.contestId,
      name: "Spring launch",
      status: "active",
      endsAt: null,
      finalizedAt: null,
      prizes: [
        {
          id: milestone,
          name: "20% off",
          description: "A prize",
          imageUrl: "https://img.example/p.png",
          kind: "milestone",
          threshold: { referrals: 3 },
          earnedCount: 1,
        },
        {
          id: podium,
          name: "Top three",
          description: "A prize",
          imageUrl: "https://img.example/p.png",
          kind: "rank",
          ranks: { from: 1, to: 3 },
          earnedCount: 0,
        },
      ],
      standingsHash: null,
      standingsUrl: null,
      audit: [
        { at: expect.any(String), entryId: ada.id, name: "Ada L.", points: 30, kind: "adjustment", reason: "test" },
        { at: expect.any(String), entryId: grace.id, name: "Grace H.", points: 20, kind: "adjustment", reason: "test" },
        { at: expect.any(String), entryId: nameless.id, name: null, points: 10, kind: "adjustment", reason: "test" },
      ],
    });
    await endContest(app);
    const done = await finalize(app);
    const after = await results(app.contestId);
    expect(after.body.data).toMatchObject({ status: "ended", finalizedAt: done.body.data.finalizedAt });
    expect(after.body.data.prizes[1]).toMatchObject({
      kind: "rank",
      earnedCount: 3,
      winners: [
        { rank: 1, name: "Ada L." },
        { rank: 2, name: "Grace H." },
        { rank: 3, name: null },
      ],
    });
    expect(after.body.data.prizes[0].winners).toBeUndefined();
  });

  it("404 for an unknown contest (counted as a guess), 400 without contestId", async () => {
    expectError(await results("ct_nope"), 404, "Contest not found");
    const r = await results("");
    expectError(r, 400);
  });

  it("an unknown contest counts against the address as a failed authentication", async () => {
    const ip = { "CF-Connecting-IP": "198.51.100.77" };
    // 30 a (10-second) window: within 61 guesses one window is over its limit.
    let last = 0;
    let tries = 0;
    while (tries < 61 && last !== 429) last = (await results(`ct_guess${tries++}`, ip)).status;
    expect(last).toBe(429);
    expect(tries).toBeGreaterThan(30);
  });
});
