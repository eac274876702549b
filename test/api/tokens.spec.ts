// Participant tokens: a site's server mints one (private key) for its logged-in
// user; with `Authorization: Bearer <token>` a browser reads that one entry and
// completes its bonus actions, nothing else. Failed authentications count
// against the caller's address, so every test calls from its own addresses
// (198.18.40-59.x).
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Json, ledgerOf, type Reply, TestApp } from "./app";

const DAY = 86_400;
const INVALID_TOKEN = "Invalid or expired participant token";
const OTHER_ENTRY = "This participant token is for another entry";
const READ_ONLY = "A public key is read-only: completing a bonus action needs a private key or the entry's participant token";
const TOKEN_SHAPE = /^rtp_([^.]+)\.(\d+)\.([0-9a-f]{64})$/;

/** Calls as the bearer of `token`, from `ip` (no API key). */
function bearer(token: string, ip: string) {
  const headers = { authorization: `Bearer ${token}`, "CF-Connecting-IP": ip };
  return {
    get: (path: string) => call("GET", path, { headers }),
    post: (path: string, body: unknown = {}) => call("POST", path, { headers, body }),
    patch: (path: string, body: unknown) => call("PATCH", path, { headers, body }),
    del: (path: string) => call("DELETE", path, { headers }),
  };
}

/** An API-key call from `ip`. */
function keyed(method: string, path: string, key: string, ip: string, body?: unknown): Promise<Reply> {
  return call(method, path, { key, body, headers: { "CF-Connecting-IP": ip } });
}

async function mint(app: TestApp, entryId: string, body?: Json): Promise<Reply> {
  return call("POST", `/api/v1/entries/${entryId}/token`, { key: app.privateKey, body });
}

async function tokenFor(app: TestApp, entryId: string, body?: Json): Promise<string> {
  const r = await mint(app, entryId, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.token;
}

/** A contest with two click bonus actions and an auto one, an advocate and a
 * friend it referred. */
async function arena() {
  const app = await TestApp.create();
  const follow = await app.addBonusAction({
    action: "follow_twitter",
    description: "Follow us on Twitter",
    points: 10,
    confirmationType: "click",
    destinationUrl: "https://twitter.com/blitzrocket",
    order: 1,
  });
  const visit = await app.addBonusAction({
    action: "visit_website",
    description: "Visit our product page",
    points: 5,
    confirmationType: "click",
    destinationUrl: "https://example.com/product",
    order: 2,
  });
  const subscribed = await app.addBonusAction({
    action: "subscribe",
    description: "Subscribe to the newsletter (the site confirms it)",
    points: 50,
    confirmationType: "auto",
    order: 3,
  });
  const jane = await app.addEntry("jane@example.com", { name: "Jane" });
  const friend = await app.addEntry("friend@example.com", { name: "Friend", referralCode: jane.referralCode });
  return { app, follow, visit, subscribed, jane, friend };
}

/** `token` with the character at `index` changed (hex stays hex). */
function flip(token: string, index: number) {
  const c = token[index];
  const other = c === "0" ? "1" : "0";
  return token.slice(0, index) + other + token.slice(index + 1);
}

describe("POST /api/v1/entries/:entryId/token", () => {
  it("mints a token for 30 days by default: 201 {entryId, token, expiresAt}", async () => {
    const { app, jane } = await arena();
    for (const body of [undefined, {}]) {
      const before = Date.now();
      const r = await mint(app, jane.id, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toEqual({ success: true, data: { entryId: jane.id, token: expect.any(String), expiresAt: expect.any(String) } });
      const { token, expiresAt } = r.body.data;
      expect(token.startsWith(`rtp_${jane.id}.`)).toBe(true);
      const [, entryId, expires] = token.match(TOKEN_SHAPE)!;
      expect(entryId).toBe(jane.id);
      expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
      expect(Date.parse(expiresAt)).toBe(Number(expires) * 1000);
      const ahead = Date.parse(expiresAt) - before;
      expect(ahead).toBeGreaterThan(30 * DAY * 1000 - 60_000);
      expect(ahead).toBeLessThan(30 * DAY * 1000 + 60_000);
    }
  });

  it("expiresInSeconds: 3600 is about an hour; 60 .. 31536000 accepted, anything else a 400", async () => {
    const { app, jane } = await arena();
    const hour = await mint(app, jane.id, { expiresInSeconds: 3600 });
    expect(hour.status).toBe(201);
    const ahead = Date.parse(hour.body.data.expiresAt) - Date.now();
    expect(ahead).toBeGreaterThan(3_540_000);
    expect(ahead).toBeLessThan(3_660_000);
    expect((await mint(app, jane.id, { expiresInSeconds: 60 })).status).toBe(201);
    const year = await mint(app, jane.id, { expiresInSeconds: 31_536_000 });
    expect(year.status).toBe(201);
    expect(Math.abs(Date.parse(year.body.data.expiresAt) - Date.now() - 365 * DAY * 1000)).toBeLessThan(60_000);
    for (const expiresInSeconds of [59, 0, -1, 31_536_001, 10 ** 12]) {
      expectError(await mint(app, jane.id, { expiresInSeconds }), 400, /expiresInSeconds/);
    }
    expectError(await mint(app, jane.id, { expiresInSeconds: "3600" }), 400);
  });

  it("needs a private key of the entry's account", async () => {
    const { app, jane } = await arena();
    const ip = "198.18.40.1";
    expectError(await keyed("POST", `/api/v1/entries/${jane.id}/token`, app.publicKey, ip, {}), 403, "Private key required");
    const stranger = await TestApp.create();
    expectError(await keyed("POST", `/api/v1/entries/${jane.id}/token`, stranger.privateKey, ip, {}), 404, "Entry not found");
    expectError(await keyed("GET", `/api/v1/entries/${jane.id}`, stranger.privateKey, ip), 404, "Entry not found");
    expectError(await keyed("POST", `/api/v1/entries/en_nope/token`, app.privateKey, ip, {}), 404, "Entry not found");
    expectError(await call("POST", `/api/v1/entries/${jane.id}/token`, { body: {}, headers: { "CF-Connecting-IP": ip } }), 401, "Invalid API key");
  });

  it("an erased entry gets no token: it is gone from the API (404)", async () => {
    const { app, friend } = await arena();
    expect((await app.del(`/api/v1/entries/${friend.id}`)).status).toBe(200);
    expectError(await mint(app, friend.id, {}), 404, "Entry not found");
  });
});

describe("Authorization: Bearer <participant token>", () => {
  it("reads its entry (rank, rewards, pendingPoints, email masked), its bonus actions and its ledger", async () => {
    const { app, jane, friend } = await arena();
    const as = bearer(await tokenFor(app, jane.id), "198.18.41.1");

    const entry = await as.get(`/api/v1/entries/${jane.id}`);
    expect(entry.status, JSON.stringify(entry.body)).toBe(200);
    expect(entry.body.data).toMatchObject({
      id: jane.id,
      contestId: app.contestId,
      email: "ja***@example.com",
      name: "Jane",
      referralCode: jane.referralCode,
      totalPoints: 10,
      pendingPoints: 0,
      referralCount: 1,
      rank: 1,
    });
    expect(entry.body.data.rewards).toEqual({
      referralEarned: expect.any(Number),
      referralBalance: expect.any(Number),
      refereeEarned: expect.any(Number),
      refereeBalance: expect.any(Number),
    });
    expect(JSON.stringify(entry.body)).not.toContain("jane@example.com");

    const actions = await as.get(`/api/v1/entries/${jane.id}/bonus-actions`);
    expect(actions.status, JSON.stringify(actions.body)).toBe(200);
    expect(actions.body.data).toMatchObject({ entryId: jane.id, email: "ja***@example.com", bonusActionsTotal: 3, bonusActionsCompleted: 0 });

    const ledger = await as.get(`/api/v1/entries/${jane.id}/ledger`);
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(200);
    expect(ledger.body.data).toMatchObject({ entryId: jane.id, totalPoints: 10, pendingPoints: 0 });
    expect(ledger.body.data.entries).toHaveLength(1);
    expect(ledger.body.data.entries[0]).toMatchObject({ points: 10, reason: "referral_advocate", status: "confirmed" });

    // The friend ranks after Jane (fewer points, or as many and later).
    const friendToken = await tokenFor(app, friend.id);
    const friendView = await bearer(friendToken, "198.18.41.1").get(`/api/v1/entries/${friend.id}`);
    expect(friendView.status).toBe(200);
    expect(friendView.body.data.rank).toBe(2);
    expect(friendView.body.data.email).toBe("fr***@example.com");
  });

  it("completes its entry's bonus actions: points awarded once", async () => {
    const { app, follow, visit, friend } = await arena();
    const as = bearer(await tokenFor(app, friend.id), "198.18.42.1");
    const before = (await app.entry(friend.id)).totalPoints;
    const r = await as.post(`/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({ alreadyCompleted: false, completionStatus: "verified", pointsAdded: 10, newTotalPoints: before + 10 });
    const again = await as.post(`/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ alreadyCompleted: true });
    const click = await as.post(`/api/v1/entries/${friend.id}/bonus-actions/${visit.id}/complete`);
    expect(click.body.data).toMatchObject({ pointsAdded: 5 });
    expect((await app.entry(friend.id)).totalPoints).toBe(before + 15);
    expect((await ledgerOf(friend.id)).filter((l) => l.reason === "bonus_action")).toEqual([
      { delta: 10, reason: "bonus_action", ref_id: follow.id },
      { delta: 5, reason: "bonus_action", ref_id: visit.id },
    ]);
    const listed = await as.get(`/api/v1/entries/${friend.id}/bonus-actions`);
    expect(listed.body.data).toMatchObject({ bonusActionsCompleted: 2, bonusPointsEarned: 15 });
  });

  it("an auto action is the site's to confirm: the token gets 403 and nothing is written; a private key completes it", async () => {
    const { app, subscribed, friend } = await arena();
    const as = bearer(await tokenFor(app, friend.id), "198.18.42.2");
    const before = (await app.entry(friend.id)).totalPoints;
    const path = `/api/v1/entries/${friend.id}/bonus-actions/${subscribed.id}/complete`;
    expectError(await as.post(path, {}), 403, "Auto bonus actions are completed by the site's server (private key)");
    expect(await count("SELECT COUNT(*) AS n FROM bonus_completions WHERE entry_id = ?", friend.id)).toBe(0);
    expect((await app.entry(friend.id)).totalPoints).toBe(before);
    const bySite = await app.post(path, {});
    expect(bySite.status, JSON.stringify(bySite.body)).toBe(200);
    expect(bySite.body.data).toMatchObject({ pointsAdded: 50, newTotalPoints: before + 50 });
  });

  it("another entry's routes: 403, nothing changes", async () => {
    const { app, follow, jane, friend } = await arena();
    const as = bearer(await tokenFor(app, friend.id), "198.18.43.1");
    expectError(await as.get(`/api/v1/entries/${jane.id}`), 403, OTHER_ENTRY);
    expectError(await as.get(`/api/v1/entries/${jane.id}/bonus-actions`), 403, OTHER_ENTRY);
    expectError(await as.get(`/api/v1/entries/${jane.id}/ledger`), 403, OTHER_ENTRY);
    expectError(await as.post(`/api/v1/entries/${jane.id}/bonus-actions/${follow.id}/complete`), 403, OTHER_ENTRY);
    expect((await app.entry(jane.id)).totalPoints).toBe(10);
    // Another account's entry is "another entry" as well.
    const stranger = await TestApp.create();
    const theirs = await stranger.addEntry("theirs@example.com");
    expectError(await as.get(`/api/v1/entries/${theirs.id}`), 403, OTHER_ENTRY);
  });

  it("every other route needs an API key: 401", async () => {
    const { app, friend } = await arena();
    const as = bearer(await tokenFor(app, friend.id), "198.18.44.1");
    // Its own contest's public view and leaderboard it may read (widget.spec.ts).
    const refused = [
      await as.get("/api/v1/contests"),
      await as.get(`/api/v1/contests/${app.contestId}/entries`),
      await as.get(`/api/v1/contests/${app.contestId}/bonus-actions`),
      await as.get(`/api/v1/entries/lookup/bonus-actions?email=friend%40example.com&contestId=${app.contestId}`),
      await as.post(`/api/v1/entries/${friend.id}/adjust-points`, { points: 1000, reason: "self-service" }),
      await as.patch(`/api/v1/entries/${friend.id}`, { name: "Renamed" }),
      await as.post(`/api/v1/entries/${friend.id}/token`, {}),
      await as.get(`/api/v1/entries/${friend.id}/export`),
      await as.del(`/api/v1/entries/${friend.id}`),
      await as.get(`/api/v1/getAllParticipants?id=${app.contestId}`),
    ];
    for (const r of refused) expectError(r, 401, "Invalid API key");
    const after = await app.entry(friend.id);
    expect(after).toMatchObject({ name: "Friend", email: "friend@example.com" });
    expect((await ledgerOf(friend.id)).some((l) => l.reason === "adjustment")).toBe(false);
  });

  it("a tampered token: 401 'Invalid or expired participant token'", async () => {
    const { app, follow, jane, friend } = await arena();
    const token = await tokenFor(app, friend.id);
    const ip = "198.18.45.1";
    const [, , expires] = token.match(TOKEN_SHAPE)!;
    const forged = [
      flip(token, token.length - 1), // the signature's last hex character
      flip(token, token.length - 64), // its first
      token.replace(`.${expires}.`, `.${Number(expires) + 1}.`), // a later expiry
      token.replace(`.${expires}.`, `.${Number(expires) + 365 * DAY}.`),
      token.slice(0, -1), // a shorter signature
      `${token}0`,
      token.replace(`.${expires}.`, "."), // no expiry
      `rtp_${friend.id}.${expires}.${"0".repeat(64)}`,
      "rtp_nope",
    ];
    for (const bad of forged) {
      expectError(await bearer(bad, ip).get(`/api/v1/entries/${friend.id}`), 401, INVALID_TOKEN);
    }
    // Someone else's entry id with this token's signature.
    const swapped = token.replace(`rtp_${friend.id}.`, `rtp_${jane.id}.`);
    expectError(await bearer(swapped, ip).get(`/api/v1/entries/${jane.id}`), 401, INVALID_TOKEN);
    expectError(await bearer(flip(token, token.length - 1), ip).post(`/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`), 401, INVALID_TOKEN);
    expect(await ledgerOf(friend.id)).not.toContainEqual(expect.objectContaining({ reason: "bonus_action" }));
    // The genuine one still works.
    expect((await bearer(token, ip).get(`/api/v1/entries/${friend.id}`)).status).toBe(200);
  });

  it("rotating the account's secret revokes every token minted before; new ones work", async () => {
    const { app, follow, jane, friend } = await arena();
    const ip = "198.18.46.1";
    const old = await tokenFor(app, friend.id);
    const oldJane = await tokenFor(app, jane.id);
    expect((await bearer(old, ip).get(`/api/v1/entries/${friend.id}`)).status).toBe(200);

    expectError(await keyed("POST", "/api/v1/participant-tokens/rotate-secret", app.publicKey, ip), 403, "Private key required");
    const rotated = await app.post("/api/v1/participant-tokens/rotate-secret");
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body).toEqual({ success: true, data: { rotated: true, rotatedAt: expect.any(String) } });
    expect(Math.abs(Date.parse(rotated.body.data.rotatedAt) - Date.now())).toBeLessThan(60_000);

    expectError(await bearer(old, ip).get(`/api/v1/entries/${friend.id}`), 401, INVALID_TOKEN);
    expectError(await bearer(oldJane, ip).get(`/api/v1/entries/${jane.id}/ledger`), 401, INVALID_TOKEN);
    expectError(await bearer(old, ip).post(`/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`), 401, INVALID_TOKEN);

    const fresh = await tokenFor(app, friend.id);
    expect(fresh).not.toBe(old);
    const r = await bearer(fresh, ip).post(`/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.pointsAdded).toBe(10);

    // Another account's tokens are not touched by this rotation.
    const stranger = await TestApp.create();
    const theirs = await stranger.addEntry("theirs@example.com");
    const theirToken = await tokenFor(stranger, theirs.id);
    expect((await app.post("/api/v1/participant-tokens/rotate-secret")).status).toBe(200);
    expect((await bearer(theirToken, ip).get(`/api/v1/entries/${theirs.id}`)).status).toBe(200);
    expectError(await bearer(fresh, ip).get(`/api/v1/entries/${friend.id}`), 401, INVALID_TOKEN);
  });
});

describe("public keys", () => {
  it("read the entry (masked) but may not complete a bonus action: 403 read-only", async () => {
    const { app, follow, friend } = await arena();
    const ip = "198.18.47.1";
    const read = await keyed("GET", `/api/v1/entries/${friend.id}`, app.publicKey, ip);
    expect(read.status).toBe(200);
    expect(read.body.data.email).toBe("fr***@example.com");
    expectError(await keyed("POST", `/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`, app.publicKey, ip, {}), 403, READ_ONLY);
    expect(await ledgerOf(friend.id)).not.toContainEqual(expect.objectContaining({ reason: "bonus_action" }));
    // A private key still completes it.
    const ok = await keyed("POST", `/api/v1/entries/${friend.id}/bonus-actions/${follow.id}/complete`, app.privateKey, ip, {});
    expect(ok.status).toBe(200);
    expect(ok.body.data.pointsAdded).toBe(10);
  });
});
