// Referral Rocket's campaign and participant API, on the same engine as contests.
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Json, TestApp } from "./app";

const CAMPAIGN = {
  name: "Q4 Growth Program",
  campaignUrl: "https://shop.example/campaign?id=q4",
  rewardHeader: "Refer a friend and win",
  rewardDescription: "Give friends $20 off their first order, and you'll get $20 when they make a purchase.",
  shareWidgetHeader: "Refer a friend and win",
  shareWidgetDescription: "Use your unique link to give friends $20 off.",
  referrerReward: 20,
  refereeReward: 20,
  rewardType: "Monetary",
};

async function campaignApp(extra = {}) {
  const app = await TestApp.create({ ...CAMPAIGN, ...extra });
  const add = (body: Record<string, unknown>) => app.post("/api/v1/addParticipant", { id: app.contestId, ...body });
  const get = (email: string) => app.get(`/api/v1/getParticipant?id=${app.contestId}&email=${encodeURIComponent(email)}`);
  return { app, add, get };
}

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

describe("getCampaign", () => {
  it("answers every field of the seed", async () => {
    const { app, add } = await campaignApp({ endsAt: "2099-10-11T00:36:27.753Z" });
    await add({ email: "john@example.com" });
    const r = await app.get(`/api/v1/getCampaign?id=${app.contestId}`, app.publicKey);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: app.contestId,
      name: "Q4 Growth Program",
      status: "Active",
      createdAt: expect.stringMatching(TIME),
      endDate: "2099-10-11T00:36:27.753+00:00",
      campaignUrl: "https://shop.example/campaign?id=q4",
      paused: false,
      ended: false,
      rewardHeader: CAMPAIGN.rewardHeader,
      rewardDescription: CAMPAIGN.rewardDescription,
      shareWidgetHeader: CAMPAIGN.shareWidgetHeader,
      shareWidgetDescription: CAMPAIGN.shareWidgetDescription,
      referrerRewardValue: 20,
      refereeRewardValue: 20,
      rewardType: "Monetary",
      totalParticipants: 1,
    });
    await app.setContest({ status: "paused" });
    const paused = await app.get(`/api/v1/getCampaign?id=${app.contestId}`);
    expect(paused.body).toMatchObject({ status: "Pause", paused: true, ended: false });
    await app.setContest({ status: "ended" });
    expect((await app.get(`/api/v1/getCampaign?id=${app.contestId}`)).body).toMatchObject({ status: "End", ended: true });
  });

  it("unknown or another account's campaign is a 404; no id is a 400; no key a 401", async () => {
    const { app } = await campaignApp();
    const other = await TestApp.create();
    expectError(await app.get("/api/v1/getCampaign?id=ct_nope"), 404, "Campaign not found");
    expectError(await other.get(`/api/v1/getCampaign?id=${app.contestId}`), 404, "Campaign not found");
    expectError(await other.post("/api/v1/addParticipant", { id: app.contestId, email: "x@example.com" }), 404, "Campaign not found");
    expectError(await app.get("/api/v1/getCampaign"), 400, "Missing campaign id");
    expectError(await call("GET", `/api/v1/getCampaign?id=${app.contestId}`), 401);
  });
});

describe("the double-sided flow", () => {
  it("advocate, friend by code, friend by email, qualify, balances, redeem", async () => {
    const { app, add, get } = await campaignApp();
    const adv = await add({ email: "john@example.com", firstName: "john", lastName: "doe" });
    expect(adv.status).toBe(200);
    expect(adv.body).toEqual({
      email: "john@example.com",
      firstName: "john",
      lastName: "doe",
      referralCode: expect.any(String),
      referredByCode: null,
      joinedAt: expect.stringMatching(TIME),
      campaignId: app.contestId,
      referralLink: `https://shop.example/campaign?id=q4&referralCode=${adv.body.referralCode}`,
      totalReferrals: 0,
      referralRewardsEarned: 0,
      referralRewardsRedeemed: 0,
      referralBalance: 0,
      joiningRewardsEarned: 0,
      refereeRewardsRedeemed: 0,
      refereeBalance: 0,
      qualified: false,
      fraudScore: "",
      totalPoints: 0,
      pendingPoints: 0,
    });
    const code = adv.body.referralCode;

    const byCode = await add({ email: "amy@example.com", firstName: "Amy", referredByCode: code });
    expect(byCode.body).toMatchObject({ referredByCode: code, joiningRewardsEarned: 20, refereeBalance: 20, qualified: false });
    const byEmail = await add({ email: "ben@example.com", referredByEmail: "JOHN@example.com" });
    expect(byEmail.body).toMatchObject({ referredByCode: code, joiningRewardsEarned: 20 });
    expect((await get("john@example.com")).body).toMatchObject({ totalReferrals: 2, referralRewardsEarned: 0 });

    // The friend qualifies: the referrer's reward unlocks, once.
    const q = await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "amy@example.com", amount: "250" });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ email: "amy@example.com", qualified: true });
    const again = await Promise.all([1, 2, 3].map(() => app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "amy@example.com", amount: 250 })));
    expect(again.every((r) => r.status === 200 && r.body.qualified)).toBe(true);
    expect((await get("john@example.com")).body).toMatchObject({ referralRewardsEarned: 20, referralBalance: 20 });
    await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "ben@example.com", amount: 10 });
    expect((await get("john@example.com")).body).toMatchObject({ referralRewardsEarned: 40, referralBalance: 40 });

    // Payouts: part of a balance, never more than it; an Idempotency-Key counts once.
    const redeem = (amount: unknown, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
      app.post("/api/v1/redeemReward", { id: app.contestId, email: "john@example.com", amount, ...extra }, app.privateKey, headers);
    const r1 = await redeem(15, {}, { "idempotency-key": "payout-1" });
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({ referralRewardsRedeemed: 15, referralBalance: 25, redemption: { type: "referral", amount: 15, alreadyApplied: false } });
    const r1again = await redeem(15, {}, { "idempotency-key": "payout-1" });
    expect(r1again.status).toBe(200);
    expect(r1again.body).toMatchObject({ referralBalance: 25, redemption: { alreadyApplied: true } });
    expectError(await redeem(25.01), 409, "Amount exceeds the referral balance");
    expectError(await redeem(0), 400, "Amount must be positive");
    expectError(await redeem(5, {}, undefined).then(() => app.post("/api/v1/redeemReward", { id: app.contestId, email: "john@example.com", amount: 1 }, app.publicKey)), 403);
    const amyRedeem = await app.post("/api/v1/redeemReward", { id: app.contestId, email: "amy@example.com", amount: 20, type: "referee" });
    expect(amyRedeem.body).toMatchObject({ refereeRewardsRedeemed: 20, refereeBalance: 0 });
    expect((await get("john@example.com")).body).toMatchObject({ referralRewardsEarned: 40, referralRewardsRedeemed: 20, referralBalance: 20 });

    // Concurrent payouts never overdraw.
    const rush = await Promise.all([1, 2, 3, 4].map(() => redeem(8)));
    expect(rush.filter((r) => r.status === 201)).toHaveLength(2);
    expect((await get("john@example.com")).body.referralBalance).toBe(4);
  });

  it("only a referred participant can qualify; unknown participant is a 404", async () => {
    const { app, add } = await campaignApp();
    await add({ email: "solo@example.com" });
    expectError(
      await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "solo@example.com", amount: 5 }),
      409,
      "Only referred participants can complete a qualifying event",
    );
    expectError(await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "ghost@example.com", amount: 5 }), 404, "Participant not found");
    expectError(await app.get(`/api/v1/getParticipant?id=${app.contestId}&email=ghost@example.com`), 404, "Participant not found");
  });

  it("a paused or ended campaign accepts no participants or qualifications", async () => {
    const { app, add } = await campaignApp();
    const adv = await add({ email: "a@example.com" });
    await add({ email: "f@example.com", referredByCode: adv.body.referralCode });
    await app.setContest({ status: "paused" });
    expectError(await add({ email: "new@example.com" }), 409, /paused/);
    expectError(await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "f@example.com" }), 409, /paused/);
    await app.setContest({ status: "ended" });
    expectError(await add({ email: "new@example.com" }), 409, /ended/);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(2);
  });

  it("adding the same email twice answers the participant and rewards once", async () => {
    const { app, add } = await campaignApp();
    const adv = await add({ email: "a@example.com" });
    const first = await add({ email: "f@example.com", referredByCode: adv.body.referralCode });
    const replies = await Promise.all([1, 2, 3].map(() => add({ email: "F@example.com", referredByCode: adv.body.referralCode })));
    for (const r of replies) expect(r.body).toMatchObject({ referralCode: first.body.referralCode, joiningRewardsEarned: 20 });
    expect(await count("SELECT COUNT(*) AS n FROM rewards WHERE contest_id = ?", app.contestId)).toBe(1);
  });

  it("refuses unknown referrers, self-referral and bad emails", async () => {
    const { add } = await campaignApp();
    const adv = await add({ email: "a@example.com" });
    expectError(await add({ email: "f@example.com", referredByCode: "NOPE0000" }), 404, "Referral code not found");
    expectError(await add({ email: "f@example.com", referredByEmail: "nobody@example.com" }), 404, "Referrer not found");
    expectError(await add({ email: "A@example.com", referredByCode: adv.body.referralCode }), 409, "Self-referral is not allowed");
    expectError(await add({ email: "nope" }), 400, /email/);
  });
});

describe("one engine", () => {
  it("a participant shows up in the contest's entries and validates; a tracker signup shows up as a participant", async () => {
    const { app, add, get } = await campaignApp();
    const adv = await add({ email: "a@example.com", firstName: "Ann", lastName: "Lee" });
    const entries = await app.get(`/api/v1/contests/${app.contestId}/entries`);
    expect(entries.body.data.map((e: any) => [e.email, e.name, e.referralCode])).toEqual([["a@example.com", "Ann Lee", adv.body.referralCode]]);
    const v1 = await call("GET", `/api/referral/validate-code?code=${adv.body.referralCode}&contestId=${app.contestId}`);
    expect(v1.body).toMatchObject({ valid: true, referrerEmail: "a***@example.com", referrerName: "Ann Lee" });
    const v2 = await app.get(`/api/v1/validateCode?campaignId=${app.contestId}&code=${adv.body.referralCode}`, app.publicKey);
    expect(v2.body).toEqual({ valid: true, campaignId: app.contestId, referralCode: adv.body.referralCode, email: "a***@example.com", firstName: "Ann", lastName: "Lee" });
    const v3 = await app.get(`/api/v1/validateCode?campaignId=${app.contestId}&code=${adv.body.referralCode}`);
    expect(v3.body.email).toBe("a@example.com");
    expect((await app.get(`/api/v1/validateCode?campaignId=${app.contestId}&code=NOPE`)).body).toEqual({ valid: false, campaignId: app.contestId });

    await call("POST", "/api/referral/track-signup", {
      body: { email: "visitor@example.com", contestId: app.contestId, referralCode: adv.body.referralCode, name: "Vi Sitor" },
      headers: { "cf-connecting-ip": "203.0.113.9" },
    });
    const p = await get("visitor@example.com");
    expect(p.body).toMatchObject({ firstName: "Vi", lastName: "Sitor", referredByCode: adv.body.referralCode, joiningRewardsEarned: 20, fraudScore: "Low" });
  });

  it("scores tracker signups: disposable domains, look-alike emails, bursts from one address", async () => {
    const { app, add, get } = await campaignApp();
    const adv = await add({ email: "john.doe@corp.example" });
    const signup = (email: string, ip: string) =>
      call("POST", "/api/referral/track-signup", {
        body: { email, contestId: app.contestId, referralCode: adv.body.referralCode },
        headers: { "cf-connecting-ip": ip },
      });
    await signup("x@mailinator.com", "198.51.100.1");
    expect((await get("x@mailinator.com")).body.fraudScore).toBe("Medium");
    await signup("johndoe2@corp.example", "198.51.100.2");
    expect((await get("johndoe2@corp.example")).body.fraudScore).toBe("Medium");
    for (const n of [1, 2, 3]) await signup(`burst${n}@example.com`, "198.51.100.3");
    expect((await get("burst3@example.com")).body.fraudScore).toBe("Low");
    await signup("burst4@yopmail.com", "198.51.100.3");
    expect((await get("burst4@yopmail.com")).body.fraudScore).toBe("High");
    const raw = await count("SELECT COUNT(*) AS n FROM entries WHERE signup_ip_hash LIKE '%198.51%'");
    expect(raw).toBe(0);

    // The v1 entry view carries the score to private keys only; the advocate,
    // made through the API, has none.
    const listed = (await app.get(`/api/v1/contests/${app.contestId}/entries?limit=100`)).body.data as Json[];
    const scoreOf = (email: string) => listed.find((e) => e.email === email)?.fraudScore;
    expect([scoreOf("burst4@yopmail.com"), scoreOf("x@mailinator.com"), scoreOf("burst1@example.com")]).toEqual(["High", "Medium", "Low"]);
    expect(scoreOf("john.doe@corp.example")).toBeNull();
    const high = listed.find((e) => e.email === "burst4@yopmail.com") as Json;
    expect((await app.get(`/api/v1/entries/${high.id}`)).body.data.fraudScore).toBe("High");
    const seenPublicly = await app.get(`/api/v1/entries/${high.id}`, app.publicKey);
    expect(seenPublicly.body.data).toMatchObject({ email: "bu***@yopmail.com", fraudScore: null });
  });
});

describe("paging", () => {
  it("getAllParticipants: 20 by default, 0-based pages, last page, empty page, size clamped to 100, sort", async () => {
    const { app, add } = await campaignApp();
    for (let i = 0; i < 23; i++) await add({ email: `p${String(i).padStart(2, "0")}@example.com` });
    const url = (q: string) => app.get(`/api/v1/getAllParticipants?id=${app.contestId}${q}`);
    const first = await url("");
    expect(first.body).toMatchObject({ totalElements: 23, totalPages: 2, size: 20, number: 0, numberOfElements: 20, first: true, last: false, empty: false });
    expect(first.body.content[0].email).toBe("p00@example.com");
    // A public key pages the same participants, emails masked.
    const masked = await app.get(`/api/v1/getAllParticipants?id=${app.contestId}`, app.publicKey);
    expect(masked.body.content[0].email).toBe("p0***@example.com");
    const last = await url("&page=1");
    expect(last.body).toMatchObject({ number: 1, numberOfElements: 3, last: true });
    expect(last.body.content.map((p: any) => p.email)).toEqual(["p20@example.com", "p21@example.com", "p22@example.com"]);
    const beyond = await url("&page=5");
    expect(beyond.body).toMatchObject({ content: [], empty: true, numberOfElements: 0 });
    const big = await url("&size=500");
    expect(big.body).toMatchObject({ size: 100, totalPages: 1, numberOfElements: 23 });
    const desc = await url("&sort=email,desc&size=2");
    expect(desc.body.content.map((p: any) => p.email)).toEqual(["p22@example.com", "p21@example.com"]);
    expectError(await url("&sort=password"), 400, /sort/);
    expectError(await url("&page=-1"), 400, /page/);
  });

  it("getReferrals pages a participant's referrals; an empty campaign pages to nothing", async () => {
    const { app, add } = await campaignApp();
    const empty = await app.get(`/api/v1/getAllParticipants?id=${app.contestId}`);
    expect(empty.body).toMatchObject({ content: [], totalElements: 0, totalPages: 0, first: true, last: true, empty: true });
    const adv = await add({ email: "a@example.com" });
    for (let i = 0; i < 3; i++) await add({ email: `f${i}@example.com`, referredByCode: adv.body.referralCode });
    await add({ email: "unrelated@example.com" });
    const r = await app.get(`/api/v1/getReferrals?id=${app.contestId}&email=a@example.com&size=2`);
    expect(r.body).toMatchObject({ totalElements: 3, totalPages: 2, numberOfElements: 2 });
    expect(r.body.content.map((p: any) => p.email)).toEqual(["f0@example.com", "f1@example.com"]);
    const none = await app.get(`/api/v1/getReferrals?id=${app.contestId}&email=f0@example.com`);
    expect(none.body).toMatchObject({ totalElements: 0, empty: true });
  });
});
