// The review list says what each award is about (issue 27): a held purchase
// its buyer and amount, a fraud hold which signals fired, a referral award
// the friend (or the advocate of a friend's award). Only on the list (a
// private key's) with `detail=true`.
import { describe, expect, it } from "vitest";
import { expectError, type Json, TestApp } from "./app";
import { browser, pendingAwards, trackPurchase } from "./first-hour-helpers";

const awardOf = (awards: Json[], reason: string, entryId: string) => {
  const found = awards.find((a) => a.reason === reason && a.entryId === entryId);
  expect(found, `${reason} of ${entryId} in ${JSON.stringify(awards)}`).toBeDefined();
  return found;
};

const signup = (app: TestApp, email: string, referralCode: string, ip: string, name?: string) =>
  browser("/api/referral/track-signup", { email, contestId: app.contestId, referralCode, ...(name ? { name } : {}) }, ip);

describe("the review list's details", () => {
  it("a held browser purchase shows its buyer, amount, order and who reported it", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await app.addEntry("Ben.Buyer@example.com", { referralCode: ada.referralCode });
    const claimed = await trackPurchase(app, { email: "ben.buyer@example.com", orderId: "order-69", amount: 69 });
    expect([200, 201], JSON.stringify(claimed.body)).toContain(claimed.status);
    const held = awardOf(await pendingAwards(app), "purchase", ada.id);
    expect(held.holdReason).toBe("unverified_purchase");
    expect(held.purchase).toEqual({
      orderId: "order-69",
      buyerEmail: expect.stringMatching(/^ben\.buyer@example\.com$/i),
      amount: 69,
      currency: "USD",
      status: "unverified",
      source: "tracker",
    });
    expect(held).not.toHaveProperty("friend");
    expect(held).not.toHaveProperty("fraudSignals");
  });

  it("a referral award names the friend; the friend's award names the advocate", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const joined = await signup(app, "nina@example.com", ada.referralCode, "198.51.100.41", "Nina Simone");
    expect([200, 201], JSON.stringify(joined.body)).toContain(joined.status);
    const nina = joined.body.data.entryId as string;
    const awards = await pendingAwards(app);
    const advocates = awardOf(awards, "referral_advocate", ada.id);
    expect(advocates.holdReason).toBe("review");
    expect(advocates.friend).toEqual({ entryId: nina, name: "Nina Simone", email: "nina@example.com" });
    expect(advocates).not.toHaveProperty("advocate");
    const friends = awardOf(awards, "referral_friend", nina);
    expect(friends.advocate).toEqual({ entryId: ada.id, name: "Ada Lovelace", email: "ada@example.com" });
    expect(friends).not.toHaveProperty("friend");
    expect(friends).not.toHaveProperty("fraudSignals");
  });

  it("a fraud hold names the signals that fired: a disposable address, the advocate's look-alike, a busy address", async () => {
    const app = await TestApp.create();
    const john = await app.addEntry("johndoe@shop.example");
    // A disposable domain.
    const shady = await signup(app, "x@mailinator.com", john.referralCode, "198.51.100.51");
    // The advocate's letters at the advocate's domain.
    const twin = await signup(app, "john.doe7@shop.example", john.referralCode, "198.51.100.52");
    // Three clean signups from one address, then a fourth: a busy address.
    for (const n of [1, 2, 3]) expect([200, 201]).toContain((await signup(app, `clean${n}@example.com`, john.referralCode, "198.51.100.53")).status);
    const busy = await signup(app, "clean4@example.com", john.referralCode, "198.51.100.53");
    const awards = await pendingAwards(app);
    const signalsOf = (entryId: string) => {
      const friends = awardOf(awards, "referral_friend", entryId);
      expect(friends.holdReason).toBe("fraud");
      const advocates = awards.find((a) => a.reason === "referral_advocate" && a.friend?.entryId === entryId);
      expect(advocates?.holdReason).toBe("fraud");
      // Both awards of one signup tell the same.
      expect(advocates.fraudSignals).toEqual(friends.fraudSignals);
      return friends.fraudSignals;
    };
    expect(signalsOf(shady.body.data.entryId)).toEqual(["disposable_email"]);
    expect(signalsOf(twin.body.data.entryId)).toEqual(["looks_like_advocate"]);
    expect(signalsOf(busy.body.data.entryId)).toEqual(["busy_address"]);
    // The clean ones were not held.
    expect(awards.filter((a) => a.holdReason === "fraud")).toHaveLength(6);
  }, 30_000);

  it("an adjustment carries none of the details, and the list needs a private key", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const adjusted = await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 7, reason: "welcome" });
    expect([200, 201], JSON.stringify(adjusted.body)).toContain(adjusted.status);
    const all = await app.get(`/api/v1/contests/${app.contestId}/awards?detail=true`);
    const row = awardOf(all.body.data, "adjustment", ada.id);
    for (const field of ["friend", "advocate", "purchase", "fraudSignals"]) expect(row).not.toHaveProperty(field);
    expectError(await app.get(`/api/v1/contests/${app.contestId}/awards?detail=true`, app.publicKey), 403);
  });

  it("without detail=true the list is the awards alone (as webhooks send them); another value is a 400", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await app.addEntry("nina@example.com", { referralCode: ada.referralCode });
    for (const query of ["?status=pending", "?status=pending&detail=false"]) {
      const plain = await app.get(`/api/v1/contests/${app.contestId}/awards${query}`);
      expect(plain.status).toBe(200);
      expect(plain.body.data).toHaveLength(2);
      for (const a of plain.body.data) for (const field of ["friend", "advocate", "purchase", "fraudSignals"]) expect(a).not.toHaveProperty(field);
    }
    const detailed = await pendingAwards(app);
    expect(detailed.find((a) => a.reason === "referral_advocate")?.friend?.email).toBe("nina@example.com");
    expectError(await app.get(`/api/v1/contests/${app.contestId}/awards?detail=yes`), 400, "detail must be true or false");
  });
});
