// Issue 25, the public record besides the draws: the final standings as
// bytes at an open URL with their SHA-256 (`standingsHash`, published at
// finalize), the audit list on the open results (adjustments,
// disqualifications, rejections; never referrals, purchases or bonus
// actions), and the entry's own final place (`finalStanding`, the widget's).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, call, expectError, type Json, TestApp } from "./app";
import { linesOf, sha256Hex, standingsText } from "./record-helpers";
import { adjust, allStandings, endContest, finalize, finalizedAt, results, seedEntries } from "./standings-helpers";

async function storedHash(contestId: string) {
  const row = await env.DB.prepare("SELECT standings_hash FROM contests WHERE id = ?").bind(contestId).first<Json>();
  return row?.standings_hash ?? null;
}

describe("the final standings' bytes and standingsHash", () => {
  it("409 before finalize, then the exact lines by rank, their hash published once", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const grace = await app.addEntry("grace@example.com", { name: "Grace Hopper" });
    const bob = await app.addEntry("bob@example.com", { name: "Bob Marley" });
    // Ada's referral (confirmed at once through the v1 API) is stored with her place.
    await app.addEntry("friend@example.com", { referralCode: ada.referralCode });
    await adjust(app, grace.id, 25);
    await adjust(app, bob.id, 40);
    await app.post(`/api/v1/entries/${bob.id}/disqualify`, { reason: "Self-referrals" });
    // More places than a read of the bytes (five finalize pages: 50 in tests):
    // the standings are written, hashed and served in several pages.
    await seedEntries(app, 60);

    const before = await results(app.contestId);
    expect(before.body.data).toMatchObject({ finalizedAt: null, standingsHash: null, standingsUrl: null });
    expectError(await standingsText(app.contestId), 409, /not finalized/);

    await endContest(app);
    await finalize(app);
    await finalizedAt(app);
    const after = (await results(app.contestId)).body.data;
    expect(after.standingsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(after.standingsUrl).toBe(`${BASE}/api/referral/results/${app.contestId}/standings`);
    expect(await storedHash(app.contestId)).toBe(after.standingsHash);

    const r = await standingsText(app.contestId);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const text = r.body as string;
    expect(typeof text).toBe("string");
    // Exactly the places the v1 standings list, in rank order, nothing else.
    const rows = await allStandings(app);
    expect(rows.length).toBe(63);
    expect(text).toBe(linesOf(rows));
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(`1\t${grace.id}\t25\t${rows[0].reachedAt}`);
    expect(lines[1]!.startsWith(`2\t${ada.id}\t10\t`)).toBe(true);
    expect(text).not.toContain(bob.id);
    expect(text).not.toContain("@");
    expect(await sha256Hex(text)).toBe(after.standingsHash);

    // The confirmed referrals each place was ranked with (a draw's minReferrals).
    const refs = await env.DB.prepare("SELECT entry_id, referrals FROM standings WHERE contest_id = ? AND referrals > 0")
      .bind(app.contestId)
      .all<Json>();
    expect(refs.results).toEqual([{ entry_id: ada.id, referrals: 1 }]);

    // Finalizing again publishes nothing new; the same URL gives the same bytes.
    expect((await finalize(app)).status).toBe(200);
    expect((await results(app.contestId)).body.data.standingsHash).toBe(after.standingsHash);
    expect((await standingsText(app.contestId)).body).toBe(text);
  });

  it("a contest with no ranked entry has empty standings and the hash of nothing", async () => {
    const app = await TestApp.create();
    await endContest(app);
    expect((await finalize(app)).status).toBe(200);
    const r = await standingsText(app.contestId);
    expect(r.status).toBe(200);
    expect(r.body).toBe("");
    expect((await results(app.contestId)).body.data.standingsHash).toBe(await sha256Hex(""));
  });

  it("read first-party (under /rt on the site's domain), the standings' URL is there too", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await adjust(app, ada.id, 5);
    await endContest(app);
    expect((await finalize(app)).status).toBe(200);
    // A same-origin GET may carry no Origin header: the path alone says first-party.
    const res = await SELF.fetch(`https://www.shop.test/rt/api/referral/results?contestId=${app.contestId}`);
    const data = ((await res.json()) as Json).data;
    expect(data.standingsUrl).toBe(`https://www.shop.test/rt/api/referral/results/${app.contestId}/standings`);
    const text = await (await SELF.fetch(data.standingsUrl)).text();
    expect(text).toBe((await standingsText(app.contestId)).body);
    expect(await sha256Hex(text)).toBe(data.standingsHash);
  });

  it("404 for an unknown contest", async () => {
    expectError(await standingsText("ct_nope"), 404, "Contest not found");
  });
});

describe("the audit list on the open results", () => {
  it("lists adjustments, disqualifications and rejections with masked names and reasons, oldest first; nothing else", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const grace = await app.addEntry("grace@example.com", { name: "Grace Hopper" });
    const bob = await app.addEntry("bob@example.com", { name: "Bob Marley" });
    // Points by a purchase and a bonus action: not in the audit.
    const bought = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "bob@example.com", orderId: "o-1", amount: 40 });
    expect([200, 201], JSON.stringify(bought.body)).toContain(bought.status);
    const click = await app.addBonusAction({ action: "Follow us", description: "d", points: 4, confirmationType: "click" });
    const done = await app.post(`/api/v1/entries/${grace.id}/bonus-actions/${click.id}/complete`, {});
    expect([200, 201], JSON.stringify(done.body)).toContain(done.status);
    // Two referrals of Ada's, held for review: one confirmed (not in the audit), one rejected.
    for (const email of ["f1@example.com", "f2@example.com"]) {
      const r = await call("POST", "/api/referral/track-signup", { body: { contestId: app.contestId, email, referralCode: ada.referralCode } });
      expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    }
    const held = (await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending&limit=100`)).body.data;
    const advocate = held.filter((a: Json) => a.reason === "referral_advocate");
    expect(advocate.length).toBe(2);
    expect((await app.post(`/api/v1/awards/${advocate[0].id}/confirm`)).status).toBe(200);
    expect((await app.post(`/api/v1/awards/${advocate[1].id}/reject`)).status).toBe(200);
    // The owner's adjustments, one of them negative, then a disqualification.
    expect((await app.post(`/api/v1/entries/${grace.id}/adjust-points`, { points: 7, reason: "Meetup talk" })).status).toBe(201);
    expect((await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: -3, reason: "Duplicate share" })).status).toBe(201);
    expect((await app.post(`/api/v1/entries/${bob.id}/disqualify`, { reason: "Self-referrals" })).status).toBe(200);

    const r = await results(app.contestId);
    expect(r.status).toBe(200);
    const audit: Json[] = r.body.data.audit;
    const rejectedAt = await env.DB.prepare("SELECT reviewed_at FROM ledger WHERE id = ?").bind(advocate[1].id).first<Json>();
    expect(audit).toEqual([
      {
        at: rejectedAt!.reviewed_at,
        entryId: ada.id,
        name: "Ada L.",
        points: -advocate[1].points,
        kind: "rejection",
        reason: "Referral award: held for the owner's review, then rejected",
      },
      { at: expect.any(String), entryId: grace.id, name: "Grace H.", points: 7, kind: "adjustment", reason: "Meetup talk" },
      { at: expect.any(String), entryId: ada.id, name: "Ada L.", points: -3, kind: "adjustment", reason: "Duplicate share" },
      { at: expect.any(String), entryId: bob.id, name: "Bob M.", points: -40, kind: "disqualification", reason: "Self-referrals" },
    ]);
    expect(advocate[1].points).toBeGreaterThan(0);
    const times = audit.map((l) => l.at);
    expect([...times].sort()).toEqual(times);
    expect(JSON.stringify(r.body)).not.toContain("@example.com");
  });

  it("lists what the rules rejected: a browser purchase claim a full refund emptied", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const tracked = await call("POST", "/api/referral/track-purchase", {
      body: { email: "walkin@example.com", contestId: app.contestId, orderId: "web-1", amount: 100, currency: "USD", referralCode: ada.referralCode },
    });
    expect(tracked.body.data).toMatchObject({ creditedEntryId: ada.id, status: "pending", purchaseStatus: "unverified" });
    // (The results are read once: they are cached for 10 s.)
    expect(await env.DB.prepare("SELECT status FROM ledger WHERE entry_id = ?").bind(ada.id).first<Json>()).toEqual({ status: "pending" });
    const refunded = await call("POST", `/api/v1/purchases/${tracked.body.data.purchaseId}/refund`, { key: app.privateKey });
    expect(refunded.body.data?.purchase).toMatchObject({ awardStatus: "rejected" });
    expect((await results(app.contestId)).body.data.audit).toEqual([
      {
        at: expect.any(String),
        entryId: ada.id,
        name: "Ada L.",
        // The refund left the claim nothing before rejecting it.
        points: 0,
        kind: "rejection",
        reason: "Purchase award: an unverified purchase claim, rejected",
      },
    ]);
  });

  it("an erased person's lines keep their points, without name or the owner's reasons", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    expect((await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 9, reason: "Ada's talk" })).status).toBe(201);
    expect((await app.post(`/api/v1/entries/${ada.id}/disqualify`, { reason: "Ada's second account" })).status).toBe(200);
    expect((await app.del(`/api/v1/entries/${ada.id}`)).status).toBe(200);
    const audit: Json[] = (await results(app.contestId)).body.data.audit;
    expect(audit).toEqual([
      { at: expect.any(String), entryId: ada.id, name: null, points: 9, kind: "adjustment", reason: null },
      { at: expect.any(String), entryId: ada.id, name: null, points: -9, kind: "disqualification", reason: null },
    ]);
  });

  it("is empty for a contest with none", async () => {
    const app = await TestApp.create();
    await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    expect((await results(app.contestId)).body.data.audit).toEqual([]);
  });
});

describe("finalStanding on the entry", () => {
  it("null until finalized, then the entry's own rank and points (its token sees it); null for an entry not ranked", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const grace = await app.addEntry("grace@example.com", { name: "Grace Hopper" });
    const bob = await app.addEntry("bob@example.com", { name: "Bob Marley" });
    await adjust(app, ada.id, 120);
    await adjust(app, grace.id, 300);
    await app.post(`/api/v1/entries/${bob.id}/disqualify`, { reason: "Fake" });
    const token = (await app.post(`/api/v1/entries/${ada.id}/token`, {})).body.data.token;
    const asAda = () => call("GET", `/api/v1/entries/${ada.id}`, { headers: { authorization: `Bearer ${token}` } });

    expect((await asAda()).body.data.finalStanding).toBeNull();
    await endContest(app);
    expect((await asAda()).body.data.finalStanding).toBeNull();
    expect((await finalize(app)).status).toBe(200);

    const mine = await asAda();
    expect(mine.status).toBe(200);
    expect(mine.body.data.finalStanding).toEqual({ rank: 2, points: 120 });
    expect((await app.entry(grace.id)).finalStanding).toEqual({ rank: 1, points: 300 });
    expect((await app.entry(bob.id)).finalStanding).toBeNull();
  });
});
