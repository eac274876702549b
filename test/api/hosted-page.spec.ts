// Issue 27, the first hour of a participant:
// - the hosted page `/r/:contestId` reads the contest's name, description and
//   end, and who invited the visitor (the masked name of the `?ref=` code's
//   live advocate), from the open `GET /api/referral/join?contestId=&referralCode=`;
//   its prizes from the open results;
// - a signup through the site's own form (track-signup) that made the entry
//   answers that entry's participant token for the browser (the tracker keeps
//   it for the widget); an email already in never gets one.
// Every test calls from its own addresses (198.18.110-119.x): the open
// endpoints are limited per address.
import { describe, expect, it } from "vitest";
import { call, expectError, type Json, type Reply, TestApp } from "./app";
import { addPrize, referralsMilestone } from "./prize-helpers";

/** The join form's facts as the hosted page asks for them, from `ip`. */
function facts(contestId: string, code: string | null, ip: string): Promise<Reply> {
  const q = new URLSearchParams({ contestId, ...(code === null ? {} : { referralCode: code }) });
  return call("GET", `/api/referral/join?${q}`, { headers: { "CF-Connecting-IP": ip, Origin: "https://shop.example" } });
}

/** The tracker's signup from `ip`: no key. */
function trackSignup(body: Json, ip: string): Promise<Reply> {
  return call("POST", "/api/referral/track-signup", { body, headers: { "CF-Connecting-IP": ip } });
}

const CONTEST = {
  name: "Coffee for a year",
  description: "Refer friends to the roastery; the top three win a year of coffee.",
  endsAt: "2099-12-31T00:00:00.000Z",
};

describe("GET /api/referral/join: the hosted page's facts", () => {
  it("names the contest, its description and end, and who invited the visitor, masked as the results mask names", async () => {
    const app = await TestApp.create(CONTEST);
    const ada = await app.addEntry("ada@example.com", { name: "Ada King Lovelace" });
    const r = await facts(app.contestId, ada.referralCode, "198.18.110.1");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      success: true,
      data: {
        contestId: app.contestId,
        accepting: true,
        shareWidgetHeader: null,
        shareWidgetDescription: null,
        turnstileSiteKey: null,
        name: CONTEST.name,
        description: CONTEST.description,
        endsAt: CONTEST.endsAt,
        invitedBy: { name: "Ada L." },
      },
    });
    // Nothing else of the advocate: no email, no surname, no id.
    expect(JSON.stringify(r.body)).not.toMatch(/ada@example|Lovelace|King|en_/);
  });

  it("an advocate without a name: invitedBy with a null name, never their email", async () => {
    const app = await TestApp.create(CONTEST);
    const anon = await app.addEntry("nameless@example.com");
    const r = await facts(app.contestId, anon.referralCode, "198.18.110.2");
    expect(r.body.data.invitedBy).toEqual({ name: null });
    expect(JSON.stringify(r.body)).not.toContain("nameless");
  });

  it("no code, an unknown or malformed one, another contest's, a disqualified advocate's, referrals off: invitedBy null", async () => {
    const app = await TestApp.create(CONTEST);
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const other = await TestApp.create();
    const stranger = await other.addEntry("grace@example.com", { name: "Grace Hopper" });
    const ip = "198.18.110.3";
    for (const code of [null, "", "NOPE123", "bad code!", stranger.referralCode]) {
      const r = await facts(app.contestId, code, ip);
      expect(r.status, `${code}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.data.invitedBy, String(code)).toBeNull();
      expect(r.body.data.name).toBe(CONTEST.name);
    }
    expect((await facts(app.contestId, ada.referralCode, ip)).body.data.invitedBy).toEqual({ name: "Ada L." });
    await app.setContest({ referralEnabled: false });
    expect((await facts(app.contestId, ada.referralCode, ip)).body.data.invitedBy).toBeNull();
    await app.setContest({ referralEnabled: true });
    expect((await app.post(`/api/v1/entries/${ada.id}/disqualify`, {})).status).toBe(200);
    expect((await facts(app.contestId, ada.referralCode, ip)).body.data.invitedBy).toBeNull();
  });

  it("a contest without description or end: nulls; an ended one: not accepting, its end as set", async () => {
    const app = await TestApp.create();
    const r = await facts(app.contestId, null, "198.18.110.4");
    expect(r.body.data).toMatchObject({ name: "Spring launch", description: null, endsAt: null, invitedBy: null, accepting: true });
    await app.setContest({ endsAt: "2020-01-01T00:00:00.000Z" });
    expect((await facts(app.contestId, null, "198.18.110.4")).body.data).toMatchObject({
      accepting: false,
      endsAt: "2020-01-01T00:00:00.000Z",
    });
  });

  it("unknown contest: 404, whatever the code", async () => {
    expectError(await facts("ct_nope", "ADA", "198.18.110.5"), 404, "Contest not found");
  });

  it("its prizes: the open results list them for the page", async () => {
    const app = await TestApp.create(CONTEST);
    await referralsMilestone(app, 3, { name: "Free bag of beans" });
    await addPrize(app, { name: "A year of coffee", kind: "rank", ranks: { from: 1, to: 3 } });
    const r = await call("GET", `/api/referral/results?contestId=${app.contestId}`, { headers: { "CF-Connecting-IP": "198.18.110.6" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({ name: CONTEST.name, endsAt: CONTEST.endsAt });
    expect(r.body.data.prizes.map((p: Json) => p.name).sort()).toEqual(["A year of coffee", "Free bag of beans"]);
  });
});

describe("track-signup: the new entry's participant token for this browser", () => {
  it("a signup that made the entry answers its token, which reads that entry and nothing else", async () => {
    const app = await TestApp.create(CONTEST);
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    const r = await trackSignup({ email: "Newcomer@Example.com", contestId: app.contestId, referralCode: ada.referralCode }, "198.18.111.1");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const data = r.body.data;
    expect(data).toMatchObject({ alreadyExists: false, isReferred: true });
    expect(data.participant).toEqual({
      contestId: app.contestId,
      token: expect.stringMatching(new RegExp(`^rtp_${data.entryId}\\.\\d+\\.[0-9a-f]+$`)),
      expiresAt: expect.any(String),
    });
    // 30 days, as join's.
    const days = (Date.parse(data.participant.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const headers = { authorization: `Bearer ${data.participant.token}`, "CF-Connecting-IP": "198.18.111.1" };
    const own = await call("GET", `/api/v1/entries/${data.entryId}`, { headers });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.data).toMatchObject({ id: data.entryId, contestId: app.contestId, referralCode: data.referralCode });
    expectError(await call("GET", `/api/v1/entries/${ada.id}`, { headers }), 403);
  });

  it("an email already in (any spelling) gets no token: nobody takes over an entry by typing its email", async () => {
    const app = await TestApp.create(CONTEST);
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await app.addEntry("bob@example.com", { name: "Bob" });
    const ip = "198.18.111.2";
    for (const email of ["bob@example.com", "BOB@example.com", "ada@example.com"]) {
      const r = await trackSignup({ email, contestId: app.contestId, referralCode: ada.referralCode }, ip);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.data).toEqual({ alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 }, status: "none" });
      expect(JSON.stringify(r.body)).not.toContain("rtp_");
    }
    // The same browser's second signup of its own new email: no second token.
    const first = await trackSignup({ email: "carol@example.com", contestId: app.contestId, referralCode: ada.referralCode }, ip);
    expect(first.body.data.participant.token).toMatch(/^rtp_/);
    const again = await trackSignup({ email: "carol@example.com", contestId: app.contestId, referralCode: ada.referralCode }, ip);
    expect(again.body.data).not.toHaveProperty("participant");
  });

  it("the account's first token is made by the signup; the owner's signup webhook answers no token", async () => {
    const app = await TestApp.create(CONTEST);
    const ada = await app.addEntry("ada@example.com");
    // No participant token minted yet for this account: the signup makes the secret.
    const r = await trackSignup({ email: "first@example.com", contestId: app.contestId, referralCode: ada.referralCode }, "198.18.111.3");
    const token = r.body.data.participant.token;
    const own = await call("GET", `/api/v1/entries/${r.body.data.entryId}`, { headers: { authorization: `Bearer ${token}`, "CF-Connecting-IP": "198.18.111.3" } });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    // A second token of the same account verifies against the same secret.
    const next = await trackSignup({ email: "second@example.com", contestId: app.contestId, referralCode: ada.referralCode }, "198.18.111.3");
    const second = await call("GET", `/api/v1/entries/${next.body.data.entryId}`, {
      headers: { authorization: `Bearer ${next.body.data.participant.token}`, "CF-Connecting-IP": "198.18.111.3" },
    });
    expect(second.status).toBe(200);
    expect(token).not.toBe(next.body.data.participant.token);
  });

  it("a trusted signup of the same email takes the entry over: the browser's token stops working", async () => {
    const app = await TestApp.create(CONTEST);
    const ada = await app.addEntry("ada@example.com");
    const r = await trackSignup({ email: "claimed@example.com", contestId: app.contestId, referralCode: ada.referralCode }, "198.18.111.4");
    const token = r.body.data.participant.token;
    await app.addEntry("claimed@example.com", { name: "The real one" });
    const after = await call("GET", `/api/v1/entries/${r.body.data.entryId}`, { headers: { authorization: `Bearer ${token}`, "CF-Connecting-IP": "198.18.111.4" } });
    expectError(after, 401);
  });
});
