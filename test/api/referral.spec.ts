import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { call } from "./app";

// D1 state is shared by the tests of a run: each test makes its own rows.
let ct = "";
let en = "";
async function seedContestWithAdvocate() {
  const id = crypto.randomUUID().slice(0, 8);
  ct = `ct_${id}`;
  en = `en_${id}`;
  const now = "2026-01-01T00:00:00.000Z";
  await env.DB.batch([
    env.DB.prepare("INSERT INTO accounts (id, name, created_at) VALUES (?, 'T', ?)").bind(`acct_${id}`, now),
    env.DB.prepare("INSERT INTO contests (id, account_id, name, created_at) VALUES (?, ?, 'Spring', ?)").bind(
      ct,
      `acct_${id}`,
      now,
    ),
    env.DB.prepare(
      `INSERT INTO entries (id, contest_id, email, email_display, name, referral_code, created_at)
       VALUES (?, ?, 'jane@example.com', 'Jane@Example.com', 'Jane Doe', 'REF-XYZ789', ?)`,
    ).bind(en, ct, now),
  ]);
}

describe("GET /api/referral/validate-code", () => {
  beforeEach(seedContestWithAdvocate);

  it("answers the seed's shape for a live code", async () => {
    const res = await call("GET", `/api/referral/validate-code?code=REF-XYZ789&contestId=${ct}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    // The advocate's email is masked unless the contest exposes it.
    expect(res.body).toEqual({
      valid: true,
      referrerEmail: "Ja***@Example.com",
      referrerName: "Jane Doe",
      contestId: ct,
    });
    // The same answer for everyone: cached (and cacheable) for 10 seconds.
    expect(res.headers.get("cache-control")).toBe("public, max-age=10");
    await env.DB.prepare("UPDATE contests SET expose_referrer_email = 1 WHERE id = ?").bind(ct).run();
    const cached = await call("GET", `/api/referral/validate-code?code=REF-XYZ789&contestId=${ct}`);
    expect(cached.body.referrerEmail, "a change is seen within the TTL, not at once").toBe("Ja***@Example.com");
    // Asks again until the cached answer has expired (the TTL is the wait: no
    // signal ends it sooner), for at most the TTL and a few seconds.
    const deadline = Date.now() + 15_000;
    let exposed = cached;
    while (exposed.body.referrerEmail !== "Jane@Example.com" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      exposed = await call("GET", `/api/referral/validate-code?code=REF-XYZ789&contestId=${ct}`);
    }
    expect(exposed.body.referrerEmail).toBe("Jane@Example.com");
  }, 25_000);

  it("the owner's change of the advocate is seen at once: their name, their disqualification", async () => {
    const { TestApp } = await import("./app");
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada" });
    const check = () => call("GET", `/api/referral/validate-code?code=${ada.referralCode}&contestId=${app.contestId}`);
    expect((await check()).body.referrerName).toBe("Ada");
    expect((await app.patch(`/api/v1/entries/${ada.id}`, { name: "Ada L." })).status).toBe(200);
    expect((await check()).body.referrerName).toBe("Ada L.");
    expect((await app.post(`/api/v1/entries/${ada.id}/disqualify`, {})).status).toBe(200);
    expect((await check()).body).toEqual({ valid: false });
    const visit = () => call("POST", "/api/referral/track-visit", { body: { referralCode: ada.referralCode, contestId: app.contestId } });
    expect((await visit()).status).toBe(404);
    expect((await app.post(`/api/v1/entries/${ada.id}/reinstate`, {})).status).toBe(200);
    expect((await check()).body.valid).toBe(true);
    expect((await visit()).status).toBe(200);
  });

  it("answers valid:false for an unknown code, another contest's code, or a disqualified advocate", async () => {
    for (const q of [`code=NOPE&contestId=${ct}`, "code=REF-XYZ789&contestId=ct_other", `code=%3Cx%3E&contestId=${ct}`]) {
      const res = await call("GET", `/api/referral/validate-code?${q}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ valid: false });
    }
    await env.DB.prepare("UPDATE entries SET disqualified = 1 WHERE id = ?").bind(en).run();
    const res = await call("GET", `/api/referral/validate-code?code=REF-XYZ789&contestId=${ct}`);
    expect(res.body).toEqual({ valid: false });
  });

  it("is a 400 JSON error without code or contestId", async () => {
    for (const q of ["", "code=REF-XYZ789", `contestId=${ct}`, `code=&contestId=${ct}`]) {
      const res = await call("GET", `/api/referral/validate-code?${q}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ success: false, error: "Missing code or contestId" });
    }
  });

  it("answers a CORS preflight from any origin", async () => {
    const res = await call("OPTIONS", "/api/referral/validate-code", {
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("routing", () => {
  it("is a JSON 404 for an unknown API route", async () => {
    const res = await call("GET", "/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body).toEqual({ success: false, error: "Not found" });
  });

  it("is a JSON 405 with Allow for a wrong method", async () => {
    const res = await call("DELETE", "/api/referral/validate-code");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(res.body).toEqual({ success: false, error: "Method not allowed" });
  });

  it("answers a method it does not serve (QUERY, PURGE) with 405, never as a GET", async () => {
    const { TestApp } = await import("./app");
    const app = await TestApp.create();
    for (const method of ["QUERY", "PURGE"]) {
      const res = await call(method, "/api/v1/contests", { key: app.privateKey });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("POST, GET");
      expect(res.body).toEqual({ success: false, error: "Method not allowed" });
    }
  });

  it("serves the OpenAPI document", async () => {
    const res = await call("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/referral/validate-code"]).toBeDefined();
  });
});

describe("POST /api/referral/track-visit, track-signup, track-purchase (no key)", () => {
  it("replays the seed's flow: visit, signup (advocate 10, friend 5), purchase (99.99 -> 100, pending until the owner reports it)", async () => {
    const { TestApp, call, count, expectLedgerConsistent, settled } = await import("./app");
    const app = await TestApp.create();
    const adv = await app.addEntry("advocate@example.com", { name: "Jane Doe" });
    const origin = { origin: "https://yoursite.com" };

    const visit = await call("POST", "/api/referral/track-visit", {
      body: { referralCode: adv.referralCode, contestId: app.contestId, url: "https://yoursite.com/landing-page" },
      headers: origin,
    });
    expect(visit.status).toBe(200);
    expect(visit.body).toEqual({ success: true });
    expect(visit.headers.get("access-control-allow-origin")).toBe("*");
    const visits = () => count("SELECT COUNT(*) AS n FROM visits WHERE entry_id = ? AND url = 'https://yoursite.com/landing-page'", adv.id);
    expect(await settled(visits, 1)).toBe(1);

    const signup = await call("POST", "/api/referral/track-signup", {
      body: { email: "newuser@example.com", contestId: app.contestId, referralCode: adv.referralCode, name: "New User" },
    });
    expect(signup.status).toBe(200);
    expect(signup.body).toEqual({
      success: true,
      data: {
        entryId: expect.stringMatching(/^en_/),
        referralCode: expect.any(String),
        isReferred: true,
        alreadyExists: false,
        pointsAwarded: { advocate: 10, friend: 5 },
        status: "confirmed",
        participant: { contestId: app.contestId, token: expect.stringMatching(/^rtp_en_/), expiresAt: expect.any(String) },
      },
    });
    const again = await call("POST", "/api/referral/track-signup", {
      body: { email: "newuser@example.com", contestId: app.contestId, referralCode: adv.referralCode },
    });
    // Nothing about an existing entry goes to whoever typed its email.
    expect(again.body.data).toEqual({ alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 }, status: "none" });

    const purchase = await call("POST", "/api/referral/track-purchase", {
      body: { email: "newuser@example.com", contestId: app.contestId, orderId: "order-12345", amount: 99.99, currency: "USD", referralCode: adv.referralCode },
    });
    expect(purchase.status).toBe(200);
    expect(purchase.body.data).toMatchObject({
      purchaseId: expect.stringMatching(/^pu_/),
      entryId: signup.body.data.entryId,
      creditedEntryId: adv.id,
      pointsAwarded: 0,
      alreadyExists: false,
      status: "pending",
      purchaseStatus: "unverified",
      message: "Purchase recorded successfully",
    });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 10, pendingPoints: 100 });
    // The owner's server reports the same order: verified, confirmed once.
    const trusted = await app.post(`/api/v1/contests/${app.contestId}/purchases`, {
      email: "newuser@example.com",
      orderId: "order-12345",
      amount: 99.99,
    });
    expect(trusted.status).toBe(201);
    expect(trusted.body.data).toMatchObject({ purchaseId: purchase.body.data.purchaseId, pointsAwarded: 100, status: "confirmed", purchaseStatus: "verified" });
    expect(await app.entry(adv.id)).toMatchObject({ totalPoints: 110, pendingPoints: 0 });
    await expectLedgerConsistent(app.contestId);
  });

  it("a purchase with an unknown or stale code is still recorded, credited to nobody else", async () => {
    const { TestApp, call, count } = await import("./app");
    const app = await TestApp.create();
    const r = await call("POST", "/api/referral/track-purchase", {
      body: { email: "walkin@example.com", contestId: app.contestId, orderId: "o-1", amount: 10, referralCode: "GONE0000" },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ entryId: null, creditedEntryId: null, pointsAwarded: 0 });
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?", app.contestId)).toBe(1);
  });

  it("errors: missing fields 400, unknown contest or code 404, paused contest 409", async () => {
    const { TestApp, call, expectError } = await import("./app");
    const app = await TestApp.create();
    const adv = await app.addEntry("advocate@example.com");
    expectError(await call("POST", "/api/referral/track-visit", { body: { contestId: app.contestId } }), 400, /referralCode is required/);
    expectError(await call("POST", "/api/referral/track-visit", { body: { referralCode: adv.referralCode, contestId: "ct_nope" } }), 404, "Contest not found");
    expectError(await call("POST", "/api/referral/track-visit", { body: { referralCode: "NOPE", contestId: app.contestId } }), 404, "Referral code not found");
    expectError(
      await call("POST", "/api/referral/track-visit", { body: { referralCode: adv.referralCode, contestId: app.contestId, url: "javascript:x" } }),
      400,
      /url/,
    );
    expectError(await call("POST", "/api/referral/track-signup", { body: { email: "x@example.com", contestId: app.contestId } }), 400, /referralCode is required/);
    expectError(await call("POST", "/api/referral/track-purchase", { body: { email: "x@example.com", contestId: app.contestId, orderId: "o" } }), 400, /amount is required/);
    await app.setContest({ status: "paused" });
    expectError(await call("POST", "/api/referral/track-visit", { body: { referralCode: adv.referralCode, contestId: app.contestId } }), 409, /paused/);
    expectError(
      await call("POST", "/api/referral/track-signup", { body: { email: "x@example.com", contestId: app.contestId, referralCode: adv.referralCode } }),
      409,
      /paused/,
    );
  });
});
