import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, count, expectError, newAccount, TestApp } from "./app";

describe("POST /api/admin/accounts", () => {
  it("creates an account with a public and a private key, stored only as hashes", async () => {
    const a = await newAccount("Acme");
    expect(a.id).toMatch(/^acct_/);
    expect(a.publicKey).toMatch(/^rt_pk_/);
    expect(a.privateKey).toMatch(/^rt_sk_/);
    const stored = await env.DB.prepare("SELECT key_hash FROM api_keys WHERE account_id = ?").bind(a.id).all<{ key_hash: string }>();
    expect(stored.results).toHaveLength(2);
    for (const { key_hash } of stored.results) {
      expect(key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect([a.publicKey, a.privateKey]).not.toContain(key_hash);
    }
  });

  it("refuses a missing or wrong admin token, and writes nothing", async () => {
    // Other spec files create accounts meanwhile: count only this test's name.
    const name = `refused-${crypto.randomUUID()}`;
    for (const authorization of [undefined, "Bearer nope", `Basic ${ADMIN_TOKEN}`]) {
      const r = await call("POST", "/api/admin/accounts", {
        headers: authorization ? { authorization } : {},
        body: { name },
      });
      expectError(r, 401, "Invalid admin token");
    }
    expect(await count("SELECT COUNT(*) AS n FROM accounts WHERE name = ?", name)).toBe(0);
  });

  it("requires a name", async () => {
    const r = await call("POST", "/api/admin/accounts", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: {} });
    expectError(r, 400, /name is required/);
  });
});

describe("API key auth", () => {
  it("401 without a key or with an unknown one", async () => {
    expectError(await call("GET", "/api/v1/contests"), 401, "Invalid API key");
    expectError(await call("GET", "/api/v1/contests", { key: "rt_sk_unknown" }), 401, "Invalid API key");
  });

  it("accepts the key as ?apiKey= too", async () => {
    const app = await TestApp.create();
    const r = await call("GET", `/api/v1/contests/${app.contestId}?apiKey=${app.publicKey}`);
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(app.contestId);
  });

  it("public keys read; private operations answer 403 Private key required", async () => {
    const app = await TestApp.create();
    expect((await app.get(`/api/v1/contests/${app.contestId}`, app.publicKey)).status).toBe(200);
    expectError(await app.post("/api/v1/contests", { name: "x" }, app.publicKey), 403, "Private key required");
    expectError(
      await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "a@b.co" }, app.publicKey),
      403,
      "Private key required",
    );
    expectError(await app.get("/api/v1/api-keys", app.publicKey), 403, "Private key required");
  });

  it("public keys never see the contest's webhook secret", async () => {
    const app = await TestApp.create();
    expect(app.contest.webhookSecret).toMatch(/^whk_/);
    const r = await app.get(`/api/v1/contests/${app.contestId}`, app.publicKey);
    expect(r.body.data.webhookSecret).toBeUndefined();
  });
});

describe("/api/v1/api-keys", () => {
  it("lists keys without secrets, creates one shown once, rotates and revokes", async () => {
    const app = await TestApp.create();
    const list = await app.get("/api/v1/api-keys");
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(app.privateKey);

    const created = await app.post("/api/v1/api-keys", { type: "public" });
    expect(created.status).toBe(201);
    const extra = created.body.data;
    expect(extra.key).toMatch(/^rt_pk_/);
    expect((await app.get(`/api/v1/contests/${app.contestId}`, extra.key)).status).toBe(200);

    const revoked = await app.del(`/api/v1/api-keys/${extra.id}`);
    expect(revoked.status).toBe(200);
    expectError(await app.get(`/api/v1/contests/${app.contestId}`, extra.key), 401);
    expectError(await app.del(`/api/v1/api-keys/${extra.id}`), 409, "API key is already revoked");

    const privateId = list.body.data.find((k: any) => k.type === "private").id;
    const rotated = await app.post(`/api/v1/api-keys/${privateId}/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.data.replaces).toBe(privateId);
    expectError(await app.get("/api/v1/api-keys"), 401, "Invalid API key");
    const newKey = rotated.body.data.key;
    expect((await app.get("/api/v1/api-keys", newKey)).status).toBe(200);
  });

  it("refuses to revoke the last private key", async () => {
    const app = await TestApp.create();
    const keys = (await app.get("/api/v1/api-keys")).body.data;
    const privateId = keys.find((k: any) => k.type === "private").id;
    expectError(await app.del(`/api/v1/api-keys/${privateId}`), 409, /last active private key/);
    expect((await app.get("/api/v1/api-keys")).status).toBe(200);
  });

  it("validates the key type and hides other accounts' keys", async () => {
    const app = await TestApp.create();
    const other = await TestApp.create();
    expectError(await app.post("/api/v1/api-keys", { type: "root" }), 400, /type/);
    const otherKeys = (await other.get("/api/v1/api-keys")).body.data;
    expectError(await app.del(`/api/v1/api-keys/${otherKeys[0].id}`), 404, "API key not found");
  });
});

describe("GET /api/admin/accounts", () => {
  it("lists accounts newest first with their contests and active keys, never a key; admin token only", async () => {
    const older = await TestApp.create();
    const newer = await TestApp.create();
    await newer.post("/api/v1/api-keys", { type: "public" });
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const all = await call("GET", "/api/admin/accounts?limit=100", { headers: admin });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const ids = all.body.data.map((a: any) => a.id);
    expect(ids.indexOf(newer.accountId)).toBeLessThan(ids.indexOf(older.accountId));
    expect(all.body.data.find((a: any) => a.id === newer.accountId)).toMatchObject({ contests: 1, activeKeys: 3 });
    expect(JSON.stringify(all.body)).not.toMatch(/rt_(pk|sk)_/);
    expect((await call("GET", "/api/admin/accounts?limit=1&page=2", { headers: admin })).body.pagination).toMatchObject({ limit: 1, page: 2 });
    expectError(await call("GET", "/api/admin/accounts", { headers: { authorization: "Bearer nope" } }), 401, "Invalid admin token");
    expectError(await call("GET", "/api/admin/accounts", { key: older.privateKey }), 401, "Invalid admin token");
  });
});
