// The participant widget's API: a participant token reads its own entry's
// contest (the public view) and leaderboard (emails masked), nothing of another
// contest; `POST /api/referral/join` adds an email with no key and answers the
// new entry's token, or only `alreadyIn` for an email that already has one.
// Failed authentications and the open endpoints' limits count per address, so
// every test calls from its own addresses (198.18.80-99.x).
import { describe, expect, it } from "vitest";
import { call, count, expectError, expectLedgerConsistent, type Json, type Reply, TestApp } from "./app";
import { TURNSTILE } from "./turnstile-secrets";

const TOO_MANY = "Too many requests: try again in a minute";
const WINDOW_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls as the bearer of `token`, from `ip` (no API key). */
function bearer(token: string, ip: string) {
  const headers = { authorization: `Bearer ${token}`, "CF-Connecting-IP": ip };
  return { get: (path: string) => call("GET", path, { headers }) };
}

/** The widget's join form from `ip`: no key. */
function join(body: Json, ip: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call("POST", "/api/referral/join", { body, headers: { "CF-Connecting-IP": ip, ...headers } });
}

async function tokenFor(app: TestApp, entryId: string): Promise<string> {
  const r = await app.post(`/api/v1/entries/${entryId}/token`);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.token;
}

const WIDGET_TEXTS = {
  shareWidgetHeader: "Share and win",
  shareWidgetDescription: "Every friend who joins gives you 10 points",
  rewardHeader: "The prize",
  rewardDescription: "A year of coffee",
  campaignUrl: "https://shop.example/launch",
  endsAt: "2099-12-31T00:00:00.000Z",
};

/** A contest with the widget's texts, an advocate and a friend it referred. */
async function arena(settings: Json = {}) {
  const app = await TestApp.create({ ...WIDGET_TEXTS, ...settings });
  const jane = await app.addEntry("jane@example.com", { name: "Jane Doe" });
  const friend = await app.addEntry("friend@example.com", { name: "Friend", referralCode: jane.referralCode });
  return { app, jane, friend };
}

const entriesOf = (app: TestApp) => count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId);

describe("a participant token reads its own contest", () => {
  it("GET /contests/:id: exactly the public key's view, with the widget's texts and no secret", async () => {
    const { app, friend } = await arena();
    const token = await tokenFor(app, friend.id);
    const asToken = await bearer(token, "198.18.80.1").get(`/api/v1/contests/${app.contestId}`);
    expect(asToken.status, JSON.stringify(asToken.body)).toBe(200);
    const asPublic = await app.get(`/api/v1/contests/${app.contestId}`, app.publicKey);
    expect(asToken.body).toEqual(asPublic.body);
    expect(asToken.body.data).toMatchObject({ ...WIDGET_TEXTS, id: app.contestId, name: "Spring launch", status: "active" });
    expect(asToken.body.data).not.toHaveProperty("webhookSecret");
    const secret = (await app.get(`/api/v1/contests/${app.contestId}`)).body.data.webhookSecret;
    expect(typeof secret).toBe("string");
    expect(JSON.stringify(asToken.body)).not.toContain(secret);
  });

  it("GET /contests/:id/leaderboard: emails masked like a public key's, names masked too, limit honoured", async () => {
    const { app, friend } = await arena();
    await app.addEntry("grace@example.com", { name: "Grace Brewster Hopper" });
    await app.addEntry("mailer@example.com", { name: "mailer@example.com" });
    const token = await tokenFor(app, friend.id);
    const path = `/api/v1/contests/${app.contestId}/leaderboard`;
    const asToken = await bearer(token, "198.18.80.2").get(path);
    expect(asToken.status, JSON.stringify(asToken.body)).toBe(200);
    const asPublic = (await app.get(path, app.publicKey)).body.data;
    const withoutNames = (rows: Json[]) => rows.map(({ name: _, ...rest }) => rest);
    expect(withoutNames(asToken.body.data)).toEqual(withoutNames(asPublic));
    expect(asPublic.map((r: Json) => r.name)).toEqual(["Jane Doe", "Friend", "Grace Brewster Hopper", "mailer@example.com"]);
    expect(asToken.body.data.map((r: Json) => r.name)).toEqual(["Jane D.", "Friend", "Grace H.", "ma***@example.com"]);
    expect(asToken.body.data.map((r: Json) => r.email)).toEqual(["ja***@example.com", "fr***@example.com", "gr***@example.com", "ma***@example.com"]);
    expect(JSON.stringify(asToken.body)).not.toMatch(/jane@example\.com|Doe|Brewster|Hopper/);
    const one = await bearer(token, "198.18.80.2").get(`${path}?limit=1`);
    expect(one.body.data).toHaveLength(1);
  });

  it("another contest, of the same account or another, is 404 like one that does not exist", async () => {
    const { app, friend } = await arena();
    const token = await tokenFor(app, friend.id);
    const sibling = await app.post("/api/v1/contests", { name: "Summer" });
    expect(sibling.status).toBe(201);
    const stranger = await TestApp.create();
    const as = bearer(token, "198.18.80.3");
    for (const id of [sibling.body.data.id, stranger.contestId, "ct_nope"]) {
      for (const tail of ["", "/leaderboard"]) {
        expectError(await as.get(`/api/v1/contests/${id}${tail}`), 404, "Contest not found");
      }
    }
  });

  it("reaches no other contest route: stats, entries, bonus actions, settings are 401", async () => {
    const { app, friend } = await arena();
    const token = await tokenFor(app, friend.id);
    const as = bearer(token, "198.18.80.4");
    for (const tail of ["/stats", "/entries", "/bonus-actions", "/timeseries", "/awards", "/export/participants.csv"]) {
      expectError(await as.get(`/api/v1/contests/${app.contestId}${tail}`), 401, "Invalid API key");
    }
    expectError(await as.get("/api/v1/contests"), 401, "Invalid API key");
    const patched = await call("PATCH", `/api/v1/contests/${app.contestId}`, {
      body: { name: "Mine now" },
      headers: { authorization: `Bearer ${token}`, "CF-Connecting-IP": "198.18.80.4" },
    });
    expectError(patched, 401, "Invalid API key");
  });

  it("an erased entry's token or a forged one reads nothing: 401", async () => {
    const { app, jane, friend } = await arena();
    const token = await tokenFor(app, friend.id);
    expect((await app.del(`/api/v1/entries/${friend.id}`)).status).toBe(200);
    const path = `/api/v1/contests/${app.contestId}`;
    expectError(await bearer(token, "198.18.80.5").get(path), 401, "Invalid or expired participant token");
    const real = await tokenFor(app, jane.id);
    const forged = real.slice(0, -1) + (real.endsWith("0") ? "1" : "0");
    expectError(await bearer(forged, "198.18.80.5").get(`${path}/leaderboard`), 401, "Invalid or expired participant token");
  });
});

describe("GET /api/referral/join?contestId=: the join form's facts, no key", () => {
  const form = (contestId: string, ip = "198.18.92.1") =>
    call("GET", `/api/referral/join?contestId=${encodeURIComponent(contestId)}`, { headers: { "CF-Connecting-IP": ip, Origin: "https://shop.example" } });

  it("answers accepting, the share texts and the Turnstile site key; nothing of entries", async () => {
    const { app } = await arena({ turnstileSecret: TURNSTILE.passes, turnstileSiteKey: "1x00000000000000000000AA" });
    const r = await form(app.contestId);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      success: true,
      data: {
        contestId: app.contestId,
        accepting: true,
        shareWidgetHeader: WIDGET_TEXTS.shareWidgetHeader,
        shareWidgetDescription: WIDGET_TEXTS.shareWidgetDescription,
        turnstileSiteKey: "1x00000000000000000000AA",
        name: "Spring launch",
        description: null,
        endsAt: WIDGET_TEXTS.endsAt,
        invitedBy: null,
      },
    });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    // The contest shows the site key (public) and never the secret.
    const contest = (await app.get(`/api/v1/contests/${app.contestId}`)).body.data;
    expect(contest).toMatchObject({ turnstileEnabled: true, turnstileSiteKey: "1x00000000000000000000AA" });
    expect(JSON.stringify(contest)).not.toContain(TURNSTILE.passes);
  });

  it("a contest without Turnstile or texts: nulls; paused or ended: accepting false", async () => {
    const app = await TestApp.create();
    expect((await form(app.contestId)).body.data).toEqual({
      contestId: app.contestId,
      accepting: true,
      shareWidgetHeader: null,
      shareWidgetDescription: null,
      turnstileSiteKey: null,
      name: "Spring launch",
      description: null,
      endsAt: null,
      invitedBy: null,
    });
    for (const status of ["paused", "ended"]) {
      await app.setContest({ status });
      expect((await form(app.contestId)).body.data.accepting).toBe(false);
    }
    await app.setContest({ status: "active", endsAt: "2020-01-01T00:00:00.000Z" });
    expect((await form(app.contestId)).body.data.accepting).toBe(false);
  });

  it("unknown contest 404, missing contestId 400", async () => {
    expectError(await form("ct_nope"), 404, "Contest not found");
    expectError(await call("GET", "/api/referral/join", { headers: { "CF-Connecting-IP": "198.18.92.2" } }), 400, /contestId/);
  });

  it("the site key is validated and cleared like the other settings", async () => {
    const app = await TestApp.create();
    expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { turnstileSiteKey: "0x4A\"><b>" }), 400, /turnstileSiteKey/);
    expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { turnstileSiteKey: "x".repeat(101) }), 400, /turnstileSiteKey/);
    await app.setContest({ turnstileSiteKey: "0x4AAAAAAABkMYinukE8nzY" });
    expect((await form(app.contestId)).body.data.turnstileSiteKey).toBe("0x4AAAAAAABkMYinukE8nzY");
    await app.setContest({ turnstileSiteKey: null });
    expect((await form(app.contestId)).body.data.turnstileSiteKey).toBeNull();
  });
});

describe("POST /api/referral/join", () => {
  it("a new email: 201 {entry, token, expiresAt}; the token reads the entry and its contest", async () => {
    const { app } = await arena();
    const before = Date.now();
    const r = await join({ contestId: app.contestId, email: "New.Person@Example.com", name: "New" }, "198.18.81.1");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const { entry, token, expiresAt } = r.body.data;
    expect(Object.keys(r.body.data).sort()).toEqual(["emailConfirmation", "entry", "expiresAt", "token"]);
    expect(r.body.data.emailConfirmation).toBeNull();
    expect(entry).toMatchObject({
      contestId: app.contestId,
      email: "Ne***@Example.com",
      name: "New",
      referredBy: null,
      totalPoints: 0,
      source: "tracker",
      fraudScore: null,
    });
    expect(token).toMatch(new RegExp(`^rtp_${entry.id}\\.\\d+\\.[0-9a-f]{64}$`));
    // The default lifetime of a minted token: 30 days.
    const ttl = (Date.parse(expiresAt) - before) / 1000;
    expect(ttl).toBeGreaterThan(30 * 86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(30 * 86_400 + 60);
    const as = bearer(token, "198.18.81.1");
    const read = await as.get(`/api/v1/entries/${entry.id}`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.data).toMatchObject({ id: entry.id, referralCode: entry.referralCode, email: "Ne***@Example.com" });
    expect((await as.get(`/api/v1/contests/${app.contestId}`)).status).toBe(200);
    expect((await as.get(`/api/v1/entries/${entry.id}/ledger`)).status).toBe(200);
    // The owner sees the whole email and the screening.
    const owned = await app.entry(entry.id);
    expect(owned).toMatchObject({ email: "New.Person@Example.com", fraudScore: "Low", source: "tracker" });
  });

  it("an email that already has an entry: 200 {alreadyIn: true} and nothing else, however it is spelled", async () => {
    const { app, jane } = await arena();
    for (const email of ["jane@example.com", "JANE@example.com", " jane@EXAMPLE.com "]) {
      const r = await join({ contestId: app.contestId, email, name: "Someone else" }, "198.18.82.1");
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toEqual({ success: true, data: { alreadyIn: true } });
      const text = JSON.stringify(r.body);
      for (const secret of [jane.id, jane.referralCode, "rtp_"]) expect(text).not.toContain(secret);
    }
    // Nothing changed and nothing was awarded.
    expect(await entriesOf(app)).toBe(2);
    expect((await app.entry(jane.id)).name).toBe("Jane Doe");
    // Through a referral code too: the existing entry gains no referrer.
    const other = await app.addEntry("other@example.com");
    const r = await join({ contestId: app.contestId, email: "jane@example.com", referralCode: other.referralCode }, "198.18.82.1");
    expect(r.body).toEqual({ success: true, data: { alreadyIn: true } });
    expect((await app.entry(jane.id)).referredBy).toBeNull();
    expect((await app.entry(other.id)).totalPoints).toBe(0);
  });

  it("concurrent joins of one email make one entry: one 201, the rest alreadyIn", async () => {
    const app = await TestApp.create();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => join({ contestId: app.contestId, email: "race@example.com" }, `198.18.83.${i + 1}`)),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    for (const r of replies.filter((r) => r.status === 200)) expect(r.body).toEqual({ success: true, data: { alreadyIn: true } });
    expect(await entriesOf(app)).toBe(1);
  });

  it("a referral code credits the advocate as track-signup does: both awards, confirmed when clean", async () => {
    const { app, jane } = await arena();
    const r = await join({ contestId: app.contestId, email: "pal@example.com", referralCode: jane.referralCode }, "198.18.84.1");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.data.entry).toMatchObject({ referredBy: jane.id, referredByCode: jane.referralCode, totalPoints: 5 });
    const advocate = await app.entry(jane.id);
    // 10 for the v1 friend, 10 for this one.
    expect(advocate).toMatchObject({ totalPoints: 20, pendingPoints: 0, referralCount: 2 });
    await expectLedgerConsistent(app.contestId);
  });

  it("with its holds: a Medium fraud score holds both awards; review mode holds both", async () => {
    const { app, jane } = await arena();
    const held = await join({ contestId: app.contestId, email: "x@mailinator.com", referralCode: jane.referralCode }, "198.18.85.1");
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.body.data.entry).toMatchObject({ totalPoints: 0, pendingPoints: 5, fraudScore: null });
    expect(await app.entry(held.body.data.entry.id)).toMatchObject({ fraudScore: "Medium" });
    const pending = await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`);
    expect(pending.body.data.map((a: Json) => [a.reason, a.holdReason]).sort()).toEqual([
      ["referral_advocate", "fraud"],
      ["referral_friend", "fraud"],
    ]);
    await app.setContest({ referralAwards: "review" });
    const reviewed = await join({ contestId: app.contestId, email: "calm@example.com", referralCode: jane.referralCode }, "198.18.85.2");
    expect(reviewed.status).toBe(201);
    expect(reviewed.body.data.entry).toMatchObject({ totalPoints: 0, pendingPoints: 5 });
    expect((await app.entry(jane.id)).pendingPoints).toBe(20);
    await expectLedgerConsistent(app.contestId);
  });

  it("refusals as track-signup's: unknown code or contest 404, disabled referrals 409, nothing written", async () => {
    const { app, jane } = await arena();
    const ip = "198.18.86.1";
    expectError(await join({ contestId: app.contestId, email: "a@example.com", referralCode: "NOPE123" }, ip), 404, "Referral code not found");
    expectError(await join({ contestId: "ct_nope", email: "a@example.com" }, ip), 404, "Contest not found");
    await app.setContest({ referralEnabled: false });
    expectError(await join({ contestId: app.contestId, email: "a@example.com", referralCode: jane.referralCode }, ip), 409, /disabled/);
    expect(await entriesOf(app)).toBe(2);
  });

  it("tells nothing of who owns a code: the owner's own email is alreadyIn, a disqualified owner's code unknown (join and track-signup)", async () => {
    const { app, jane, friend } = await arena();
    const ip = "198.18.86.2";
    const signup = (body: Json) =>
      call("POST", "/api/referral/track-signup", { body: { contestId: app.contestId, ...body }, headers: { "CF-Connecting-IP": ip } });
    // Jane's own email through Jane's code: the answer of any email already in.
    const own = { email: "Jane@Example.com", referralCode: jane.referralCode };
    expect(await join({ contestId: app.contestId, ...own }, ip)).toMatchObject({ status: 200, body: { success: true, data: { alreadyIn: true } } });
    const ownSignup = await signup(own);
    expect(ownSignup.status).toBe(200);
    expect(ownSignup.body).toEqual((await signup({ email: "friend@example.com", referralCode: jane.referralCode })).body);
    expect(ownSignup.body.data).toMatchObject({ alreadyExists: true });
    // A disqualified advocate's code answers as a code that does not exist.
    expect((await app.post(`/api/v1/entries/${friend.id}/disqualify`, { reason: "fraud" })).status).toBe(200);
    const through = { email: "newcomer@example.com", referralCode: friend.referralCode };
    expectError(await join({ contestId: app.contestId, ...through }, ip), 404, "Referral code not found");
    expectError(await signup(through), 404, "Referral code not found");
    expectError(await signup({ email: "newcomer@example.com", referralCode: "NOPE123" }), 404, "Referral code not found");
    expect(await entriesOf(app)).toBe(2);
    expect((await app.entry(jane.id)).totalPoints).toBe(10);
    // The owner's own server (private key) still learns why.
    const trusted = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "jane@example.com", referralCode: jane.referralCode });
    expectError(trusted, 409, "Self-referral is not allowed");
  });

  it("a paused or ended contest refuses with 409, as track-signup does", async () => {
    const { app, jane } = await arena();
    for (const [status, message] of [
      ["paused", /paused/],
      ["ended", /ended/],
    ] as const) {
      await app.setContest({ status });
      const r = await join({ contestId: app.contestId, email: `late-${status}@example.com` }, "198.18.87.1");
      expectError(r, 409, message);
      const signup = await call("POST", "/api/referral/track-signup", {
        body: { contestId: app.contestId, email: `late-${status}@example.com`, referralCode: jane.referralCode },
        headers: { "CF-Connecting-IP": "198.18.87.1" },
      });
      expect([signup.status, signup.body.error]).toEqual([r.status, r.body.error]);
    }
    await app.setContest({ status: "active", endsAt: "2020-01-01T00:00:00.000Z" });
    expectError(await join({ contestId: app.contestId, email: "past@example.com" }, "198.18.87.1"), 409, /ended/);
    expect(await entriesOf(app)).toBe(2);
  });

  it("bad input is a 400 JSON error naming the field", async () => {
    const app = await TestApp.create();
    const ip = "198.18.88.1";
    expectError(await join({ contestId: app.contestId }, ip), 400, /email/);
    expectError(await join({ contestId: app.contestId, email: "not-an-email" }, ip), 400, /email/);
    expectError(await join({ email: "a@example.com" }, ip), 400, /contestId/);
    expectError(await join({ contestId: app.contestId, email: "a@example.com", name: "x".repeat(201) }, ip), 400, /name/);
    expectError(await join({ contestId: app.contestId, email: "a@example.com", name: "a\u202eb" }, ip), 400, /name/);
    expectError(await join({ contestId: app.contestId, email: 5 }, ip), 400);
    const raw = await call("POST", "/api/referral/join", { raw: "{nope", headers: { "CF-Connecting-IP": ip } });
    expectError(raw, 400);
    expect(await entriesOf(app)).toBe(0);
  });

  it("Turnstile: required and checked when the contest has a secret, before anything is written", async () => {
    const app = await TestApp.create({ turnstileSecret: TURNSTILE.passes });
    const ip = "198.18.89.1";
    expectError(await join({ contestId: app.contestId, email: "bot@example.com" }, ip), 403, /Bot check failed: turnstileToken is required/);
    expect(await entriesOf(app)).toBe(0);
    const ok = await join({ contestId: app.contestId, email: "human@example.com", turnstileToken: "XXXX.DUMMY.TOKEN.XXXX" }, ip);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const refusing = await TestApp.create({ turnstileSecret: TURNSTILE.fails });
    const refused = await join({ contestId: refusing.contestId, email: "bot@example.com", turnstileToken: "XXXX.DUMMY.TOKEN.XXXX" }, ip);
    expectError(refused, 403, /Bot check failed/);
    expect(await entriesOf(refusing)).toBe(0);
  });

  it("the open write limit applies: 20 a window per address and contest, shared with track-signup", async () => {
    const app = await TestApp.create();
    const advocate = await app.addEntry("advocate@example.com");
    // The local limiter's windows follow the wall clock: start with room in one
    // (a fixed wait on purpose: nothing signals when the next window starts).
    const left = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (left < 6_000) await sleep(left + 100);
    const ip = "198.18.90.1";
    const signups = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call("POST", "/api/referral/track-signup", {
          body: { contestId: app.contestId, email: `s${i}@example.com`, referralCode: advocate.referralCode },
          headers: { "CF-Connecting-IP": ip },
        }),
      ),
    );
    expect(signups.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const joins = await Promise.all(Array.from({ length: 17 }, (_, i) => join({ contestId: app.contestId, email: `j${i}@example.com` }, ip)));
    const limited = joins.filter((r) => r.status === 429);
    expect(joins.filter((r) => r.status === 201)).toHaveLength(15);
    expect(limited).toHaveLength(2);
    for (const r of limited) {
      expectError(r, 429, TOO_MANY);
      expect(r.headers.get("Retry-After")).toBe("60");
    }
    expect(await entriesOf(app)).toBe(21);
    // Another address is not limited.
    expect((await join({ contestId: app.contestId, email: "elsewhere@example.com" }, "198.18.90.2")).status).toBe(201);
  }, 30_000);

  it("an erased entry's email joins again as a new entry, as track-signup treats it", async () => {
    const { app, friend } = await arena();
    expect((await app.del(`/api/v1/entries/${friend.id}`)).status).toBe(200);
    const r = await join({ contestId: app.contestId, email: "friend@example.com" }, "198.18.91.1");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.data.entry.id).not.toBe(friend.id);
    expect(r.body.data.entry.referredBy).toBeNull();
  });

  it("answers a preflight from any origin", async () => {
    const r = await call("OPTIONS", "/api/referral/join", {
      headers: { Origin: "https://customer.example", "Access-Control-Request-Method": "POST" },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
  });
});
