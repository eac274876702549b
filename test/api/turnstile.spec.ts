// Cloudflare Turnstile on track-signup: a contest with a (write-only)
// `turnstileSecret` asks for a `turnstileToken` and checks it with siteverify.
// siteverify is mocked by vitest.config.ts (outboundService), keyed by secret.
// Each test uses its own contest and addresses (198.18.20-39.x).
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Json, TestApp } from "./app";
import { TURNSTILE } from "./turnstile-secrets";

const TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

async function protectedContest(secret: string) {
  const app = await TestApp.create({ turnstileSecret: secret });
  const advocate = await app.addEntry("advocate@example.com");
  return { app, advocate };
}

/** A tracker signup from `ip`, with `extra` fields (turnstileToken, ...). */
function signup(app: TestApp, advocate: Json, email: string, ip: string, extra: Json = {}) {
  return call("POST", "/api/referral/track-signup", {
    body: { email, contestId: app.contestId, referralCode: advocate.referralCode, ...extra },
    headers: { "CF-Connecting-IP": ip },
  });
}

const entriesOf = (app: TestApp) => count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId);

/** A refusal: 400 with the message, and nothing written (only the advocate's entry). */
async function expectRefused(app: TestApp, reply: Awaited<ReturnType<typeof call>>, message: string) {
  expectError(reply, 403, message);
  expect(await entriesOf(app)).toBe(1);
  expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?", app.contestId)).toBe(0);
}

describe("turnstileSecret on the contest", () => {
  it("shows turnstileEnabled and never the secret, to private and public keys", async () => {
    const { app } = await protectedContest(TURNSTILE.passes);
    expect(app.contest.turnstileEnabled).toBe(true);
    expect(JSON.stringify(app.contest)).not.toContain(TURNSTILE.passes);
    for (const key of [app.privateKey, app.publicKey]) {
      const r = await app.get(`/api/v1/contests/${app.contestId}`, key);
      expect(r.status).toBe(200);
      expect(r.body.data.turnstileEnabled).toBe(true);
      expect(r.body.data).not.toHaveProperty("turnstileSecret");
      expect(JSON.stringify(r.body)).not.toContain(TURNSTILE.passes);
      const list = await app.get("/api/v1/contests", key);
      expect(JSON.stringify(list.body)).not.toContain(TURNSTILE.passes);
    }
    const updated = await app.setContest({ name: "Renamed" });
    expect(updated.turnstileEnabled).toBe(true);
    expect(JSON.stringify(updated)).not.toContain(TURNSTILE.passes);
    // A contest without one says so.
    const plain = await TestApp.create();
    expect(plain.contest.turnstileEnabled).toBe(false);
  });

  it("a secret longer than 200 characters is a 400", async () => {
    const app = await TestApp.create();
    expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { turnstileSecret: "s".repeat(201) }), 400, /turnstileSecret/);
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.turnstileEnabled).toBe(false);
  });
});

describe("POST /api/referral/track-signup with a bot check", () => {
  it("without a token: 400 and nothing written", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.passes);
    const ip = "198.18.20.1";
    await expectRefused(app, await signup(app, advocate, "bot@example.com", ip), "Bot check failed: turnstileToken is required");
    await expectRefused(app, await signup(app, advocate, "bot@example.com", ip, { turnstileToken: "   " }), "Bot check failed: turnstileToken is required");
    // A token longer than any Turnstile issues is malformed input: 400.
    const long = await signup(app, advocate, "bot@example.com", ip, { turnstileToken: "x".repeat(2049) });
    expectError(long, 400, "Invalid request body: turnstileToken is longer than 2048 characters");
    expect(await entriesOf(app)).toBe(1);
  });

  it("a token siteverify accepts: 200 and the entry is created", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.passes);
    const r = await signup(app, advocate, "human@example.com", "198.18.21.1", { turnstileToken: TOKEN });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({ alreadyExists: false, isReferred: true, entryId: expect.any(String) });
    expect(await entriesOf(app)).toBe(2);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ? AND email = 'human@example.com'", app.contestId)).toBe(1);
  });

  it("a token siteverify refuses: 400 'the token was not accepted', nothing written", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.fails);
    await expectRefused(
      app,
      await signup(app, advocate, "bot@example.com", "198.18.22.1", { turnstileToken: TOKEN }),
      "Bot check failed: the token was not accepted",
    );
  });

  it("a spent token: 400 'the token expired or was already used', nothing written", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.spent);
    await expectRefused(
      app,
      await signup(app, advocate, "bot@example.com", "198.18.23.1", { turnstileToken: TOKEN }),
      "Bot check failed: the token expired or was already used",
    );
  });

  it("siteverify answering an error: 400 'the check answered with an error', nothing written", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.errors);
    await expectRefused(
      app,
      await signup(app, advocate, "bot@example.com", "198.18.24.1", { turnstileToken: TOKEN }),
      "Bot check failed: the check answered with an error",
    );
  });

  it(
    "siteverify never answering: 400 'the check timed out' after about 5 s, nothing written",
    async () => {
      const { app, advocate } = await protectedContest(TURNSTILE.hangs);
      const started = Date.now();
      const r = await signup(app, advocate, "bot@example.com", "198.18.25.1", { turnstileToken: TOKEN });
      const took = Date.now() - started;
      await expectRefused(app, r, "Bot check failed: the check timed out");
      expect(took).toBeGreaterThanOrEqual(4_500);
      expect(took).toBeLessThan(15_000);
    },
    20_000,
  );

  it("sends the visitor's address as remoteip", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.needsAddress);
    await expectRefused(
      app,
      await signup(app, advocate, "elsewhere@example.com", "198.18.26.1", { turnstileToken: TOKEN }),
      "Bot check failed: the token was not accepted",
    );
    const r = await signup(app, advocate, "visitor@example.com", "203.0.113.9", { turnstileToken: TOKEN });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.alreadyExists).toBe(false);
    expect(await entriesOf(app)).toBe(2);
  });

  it("body validation comes first: an invalid email is the usual 400, not a bot check", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.fails);
    const r = await signup(app, advocate, "not-an-email", "198.18.27.1");
    expectError(r, 400, /^Invalid request body: email/);
    expect(await entriesOf(app)).toBe(1);
  });

  it("clearing the secret (null) turns the check off: no token needed", async () => {
    const { app, advocate } = await protectedContest(TURNSTILE.fails);
    const ip = "198.18.28.1";
    await expectRefused(app, await signup(app, advocate, "later@example.com", ip), "Bot check failed: turnstileToken is required");
    const updated = await app.setContest({ turnstileSecret: null });
    expect(updated.turnstileEnabled).toBe(false);
    expect((await app.get(`/api/v1/contests/${app.contestId}`, app.publicKey)).body.data.turnstileEnabled).toBe(false);
    const r = await signup(app, advocate, "later@example.com", ip);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.alreadyExists).toBe(false);
    expect(await entriesOf(app)).toBe(2);
  });

  it("a contest without a secret ignores turnstileToken", async () => {
    const app = await TestApp.create();
    const advocate = await app.addEntry("advocate@example.com");
    const ip = "198.18.29.1";
    const withToken = await signup(app, advocate, "a@example.com", ip, { turnstileToken: TOKEN });
    expect(withToken.status, JSON.stringify(withToken.body)).toBe(200);
    const garbage = await signup(app, advocate, "b@example.com", ip, { turnstileToken: "anything at all" });
    expect(garbage.status, JSON.stringify(garbage.body)).toBe(200);
    const without = await signup(app, advocate, "c@example.com", ip);
    expect(without.status, JSON.stringify(without.body)).toBe(200);
    expect(await entriesOf(app)).toBe(4);
  });
});
