import { env, SELF } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";

const BASE = "https://rocket.test";

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
    const res = await SELF.fetch(`${BASE}/api/referral/validate-code?code=REF-XYZ789&contestId=${ct}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual({
      valid: true,
      referrerEmail: "Jane@Example.com",
      referrerName: "Jane Doe",
      contestId: ct,
    });
  });

  it("answers valid:false for an unknown code, another contest's code, or a disqualified advocate", async () => {
    for (const q of [`code=NOPE&contestId=${ct}`, "code=REF-XYZ789&contestId=ct_other", `code=%3Cx%3E&contestId=${ct}`]) {
      const res = await SELF.fetch(`${BASE}/api/referral/validate-code?${q}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ valid: false });
    }
    await env.DB.prepare("UPDATE entries SET disqualified = 1 WHERE id = ?").bind(en).run();
    const res = await SELF.fetch(`${BASE}/api/referral/validate-code?code=REF-XYZ789&contestId=${ct}`);
    expect(await res.json()).toEqual({ valid: false });
  });

  it("is a 400 JSON error without code or contestId", async () => {
    for (const q of ["", "code=REF-XYZ789", `contestId=${ct}`, `code=&contestId=${ct}`]) {
      const res = await SELF.fetch(`${BASE}/api/referral/validate-code?${q}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ success: false, error: "Missing code or contestId" });
    }
  });

  it("answers a CORS preflight from any origin", async () => {
    const res = await SELF.fetch(`${BASE}/api/referral/validate-code`, {
      method: "OPTIONS",
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("routing", () => {
  it("is a JSON 404 for an unknown API route", async () => {
    const res = await SELF.fetch(`${BASE}/api/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ success: false, error: "Not found" });
  });

  it("is a JSON 405 with Allow for a wrong method", async () => {
    const res = await SELF.fetch(`${BASE}/api/referral/validate-code`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(await res.json()).toEqual({ success: false, error: "Method not allowed" });
  });

  it("serves the OpenAPI document", async () => {
    const res = await SELF.fetch(`${BASE}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/referral/validate-code"]).toBeDefined();
  });
});
