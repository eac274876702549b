// The overview's funnel (issue 27): one population throughout, referred
// visits -> referred signups -> those signups' (verified) purchases, so a
// signup nobody referred or a purchase of an unreferred buyer is not in it.
import { describe, expect, it } from "vitest";
import { call, settled, TestApp } from "./app";
import { serverPurchase, statsOf, trackPurchase } from "./first-hour-helpers";

const visit = (app: TestApp, code: string, ip: string) =>
  call("POST", "/api/referral/track-visit", { body: { referralCode: code, contestId: app.contestId }, headers: { "CF-Connecting-IP": ip } });

describe("the referral funnel of the stats", () => {
  it("counts referred visits, referred signups, the ones of them who bought and their verified purchases", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    // Two visitors through Ada's link; one came back the same day (counted once).
    for (const ip of ["198.18.27.1", "198.18.27.2", "198.18.27.1"]) expect((await visit(app, ada.referralCode, ip)).status).toBe(200);
    // Two referred signups, and three signups nobody referred (Ada among them).
    await app.addEntry("ben@example.com", { referralCode: ada.referralCode });
    await app.addEntry("cy@example.com", { referralCode: ada.referralCode });
    await app.addEntry("dee@example.com");
    await app.addEntry("eve@example.com");
    // Ben buys twice (verified), Cy only claims in the browser (unverified),
    // Dee (not referred) buys too.
    await serverPurchase(app, "ben@example.com", "o-1", 30);
    await serverPurchase(app, "ben@example.com", "o-2", 20);
    expect([200, 201]).toContain((await trackPurchase(app, { email: "cy@example.com", orderId: "o-3", amount: 15 })).status);
    await serverPurchase(app, "dee@example.com", "o-4", 50);

    const read = async () => (await statsOf(app)).funnel.visits;
    expect(await settled(read, 2)).toBe(2);
    const stats = await statsOf(app);
    expect(stats.signups).toBe(5);
    expect(stats.referredSignups).toBe(2);
    expect(stats.purchases).toBe(3);
    expect(stats.funnel).toEqual({ visits: 2, signups: 2, buyers: 1, purchases: 2 });

    // A trusted report verifies Cy's claim: Cy is a buyer now.
    await serverPurchase(app, "cy@example.com", "o-3", 15);
    expect((await statsOf(app)).funnel).toEqual({ visits: 2, signups: 2, buyers: 2, purchases: 3 });
    // A public key reads the same funnel.
    expect((await statsOf(app, app.publicKey)).funnel).toEqual({ visits: 2, signups: 2, buyers: 2, purchases: 3 });
  }, 30_000);

  it("a new contest's funnel is all zeros", async () => {
    const app = await TestApp.create();
    expect((await statsOf(app)).funnel).toEqual({ visits: 0, signups: 0, buyers: 0, purchases: 0 });
  });

  it("another contest's purchases by the same people stay out", async () => {
    const one = await TestApp.create();
    const two = await TestApp.create();
    const ada = await one.addEntry("ada@example.com");
    await one.addEntry("ben@example.com", { referralCode: ada.referralCode });
    const adaTwo = await two.addEntry("ada@example.com");
    await two.addEntry("ben@example.com", { referralCode: adaTwo.referralCode });
    await serverPurchase(two, "ben@example.com", "o-1", 10);
    expect((await statsOf(one)).funnel).toEqual({ visits: 0, signups: 1, buyers: 0, purchases: 0 });
    expect((await statsOf(two)).funnel).toEqual({ visits: 0, signups: 1, buyers: 1, purchases: 1 });
  });
});
