// The owner's outbound webhook endpoints (private key): create with the signing
// secret shown once, list, read, change, delete, rotate the secret, the URL
// rules, and the delivery log.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Json, TestApp } from "./app";

const BASE = "/api/v1/webhook-endpoints";
const URL_OK = "https://hooks.example.com/rocket";

async function create(app: TestApp, body: Json = {}) {
  const r = await app.post(BASE, { url: URL_OK, events: ["entry.created"], ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data as Json;
}

async function row(id: string) {
  return env.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?").bind(id).first<Json>();
}

describe("POST /api/v1/webhook-endpoints", () => {
  it("creates an endpoint and shows its whsec_ secret once; reads never show it", async () => {
    const app = await TestApp.create();
    const r = await app.post(BASE, {
      url: "HTTPS://Hooks.Example.com/Path?x=1",
      events: ["referral.created", "entry.created", "referral.created"],
      description: "  CRM sync  ",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const e = r.body.data;
    expect(e.id).toMatch(/^we_/);
    expect(e.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(e).toMatchObject({
      url: "https://hooks.example.com/Path?x=1",
      description: "CRM sync",
      events: ["referral.created", "entry.created"],
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
      previousSecretExpiresAt: null,
    });
    expect(e.createdAt).toBe(e.updatedAt);
    const stored = await row(e.id);
    expect(stored).toMatchObject({ account_id: app.accountId, secret: e.secret, events: '["referral.created","entry.created"]' });

    const got = await app.get(`${BASE}/${e.id}`);
    expect(got.status).toBe(200);
    const { secret: _secret, ...view } = e;
    expect(got.body.data).toEqual(view);
    expect(JSON.stringify(got.body)).not.toContain(e.secret);
    const list = await app.get(BASE);
    expect(list.body.data).toEqual([view]);
    expect(JSON.stringify(list.body)).not.toContain("whsec_");
  });

  it("each endpoint gets its own secret", async () => {
    const app = await TestApp.create();
    const a = await create(app);
    const b = await create(app);
    expect(a.secret).not.toBe(b.secret);
    expect(a.id).not.toBe(b.id);
  });

  it("validates url, events, description and unknown fields", async () => {
    const app = await TestApp.create();
    const bad: [Json, RegExp][] = [
      [{ events: ["entry.created"] }, /^Invalid request body: url is required$/],
      [{ url: "   ", events: ["entry.created"] }, /url is required/],
      [{ url: URL_OK }, /^Invalid request body: events is required$/],
      [{ url: URL_OK, events: [] }, /^Invalid request body: events must list at least one event type$/],
      [{ url: URL_OK, events: "entry.created" }, /^Invalid request body: events must be an array of event types$/],
      [{ url: URL_OK, events: [1] }, /events must be an array of event types/],
      [{ url: URL_OK, events: ["entry.deleted"] }, /^Invalid request body: events has an unknown event type: entry\.deleted$/],
      [{ url: URL_OK, events: ["ping"] }, /events has an unknown event type: ping/],
      [{ url: URL_OK, events: ["entry.created"], description: "x".repeat(501) }, /description is longer than 500/],
      [{ url: URL_OK, events: ["entry.created"], description: "evil\u202Etxt" }, /description must not contain/],
      [{ url: URL_OK, events: ["entry.created"], enabled: false }, /enabled is not accepted/],
      [{ url: URL_OK, events: ["entry.created"], secret: "whsec_mine" }, /unknown field/],
    ];
    for (const [body, message] of bad) expectError(await app.post(BASE, body), 400, message);
    expectError(await call("POST", BASE, { key: app.privateKey, raw: "[1]" }), 400, /Invalid request body/);
    expect(await count("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE account_id = ?", app.accountId)).toBe(0);
  });

  it("refuses URLs that would reach private addresses (SSRF), naming url", async () => {
    const app = await TestApp.create();
    const refused: [string, string][] = [
      ["http://hooks.example.com/x", "must be an https URL"],
      ["ftp://hooks.example.com/x", "must be an https URL"],
      ["https://user:pass@hooks.example.com/x", "must not contain a user name or password"],
      ["https://user@hooks.example.com/x", "must not contain a user name or password"],
      ["https://10.0.0.1/x", "must not point to a private or reserved address"],
      ["https://192.168.1.1/x", "must not point to a private or reserved address"],
      ["https://169.254.169.254/latest/meta-data", "must not point to a private or reserved address"],
      ["https://[fd00::1]/x", "must not point to a private or reserved address"],
      ["https://2130706433/x", "a numeric host must be a dotted IPv4 address like 203.0.113.7"],
      ["https://0x7f.1/x", "a numeric host must be a dotted IPv4 address like 203.0.113.7"],
    ];
    // Loopback, refused unless the deployment sets ALLOW_LOCAL_WEBHOOKS=1 (local
    // development; npm start writes it into .dev.vars, which the test pool reads too).
    const loopback: [string, string][] = [
      ["https://127.0.0.1/x", "must not point to a private or reserved address"],
      ["https://[::1]/x", "must not point to a private or reserved address"],
      ["https://localhost/x", "must not point to localhost"],
      ["https://api.localhost/x", "must not point to localhost"],
      ["http://localhost:8787/x", "must be an https URL"],
    ];
    const allowLocal = (env as unknown as Record<string, unknown>).ALLOW_LOCAL_WEBHOOKS === "1";
    for (const [url, reason] of allowLocal ? refused : [...refused, ...loopback]) {
      expectError(await app.post(BASE, { url, events: ["entry.created"] }), 400, `Invalid request body: url ${reason}`);
    }
    const e = await create(app);
    for (const [url, reason] of refused.slice(0, 7)) {
      expectError(await app.patch(`${BASE}/${e.id}`, { url }), 400, `Invalid request body: url ${reason}`);
    }
    expect((await row(e.id))?.url).toBe(URL_OK);
    expect(await count("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE account_id = ?", app.accountId)).toBe(1);
    if (allowLocal) {
      for (const [url] of loopback) expect((await app.patch(`${BASE}/${e.id}`, { url })).status).toBe(200);
    }
  });

  it("an account has at most 20 endpoints: 409 beyond, room again after a delete", async () => {
    const app = await TestApp.create();
    const made = [];
    for (let i = 0; i < 20; i++) made.push(await create(app, { description: `n${i}` }));
    const r = await app.post(BASE, { url: URL_OK, events: ["entry.created"] });
    expectError(r, 409, /at most 20 webhook endpoints/);
    expect(await count("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE account_id = ?", app.accountId)).toBe(20);
    // Another account is not affected.
    await create(await TestApp.create());
    expect((await app.del(`${BASE}/${made[0].id}`)).status).toBe(200);
    await create(app);
  });
});

describe("GET /api/v1/webhook-endpoints", () => {
  it("pages the account's endpoints oldest first, and only its own", async () => {
    const app = await TestApp.create();
    const other = await TestApp.create();
    await create(other);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await create(app, { description: `n${i}` })).id);
    // Same creation time for two of them: the id breaks the tie.
    await env.DB.prepare("UPDATE webhook_endpoints SET created_at = '2020-01-01T00:00:00.000Z' WHERE id IN (?, ?)")
      .bind(ids[3], ids[4])
      .run();
    const order = [...[ids[3], ids[4]].sort(), ids[0], ids[1], ids[2]];
    const p1 = await app.get(`${BASE}?limit=2`);
    expect(p1.status).toBe(200);
    expect(p1.body.data.map((e: Json) => e.id)).toEqual(order.slice(0, 2));
    expect(p1.body.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
    const p3 = await app.get(`${BASE}?limit=2&page=3`);
    expect(p3.body.data.map((e: Json) => e.id)).toEqual(order.slice(4));
    expect((await app.get(`${BASE}?page=9`)).body.data).toEqual([]);
    expectError(await app.get(`${BASE}?page=0`), 400, "page must be a positive integer");
    expectError(await app.get(`${BASE}?limit=x`), 400, "limit must be a positive integer");
  });
});

describe("PATCH /api/v1/webhook-endpoints/:endpointId", () => {
  it("changes each field alone; null and absent leave fields as they are", async () => {
    const app = await TestApp.create();
    const e = await create(app, { description: "first" });
    const patch = async (body: Json) => {
      const r = await app.patch(`${BASE}/${e.id}`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.data.secret).toBeUndefined();
      return r.body.data;
    };
    expect(await patch({ url: "https://other.example.org/in" })).toMatchObject({ url: "https://other.example.org/in", description: "first" });
    expect(await patch({ events: ["award.confirmed", "award.confirmed", "purchase.verified"] })).toMatchObject({
      events: ["award.confirmed", "purchase.verified"],
      url: "https://other.example.org/in",
    });
    expect(await patch({ description: "second" })).toMatchObject({ description: "second", events: ["award.confirmed", "purchase.verified"] });
    expect(await patch({ url: null, events: null, enabled: null })).toMatchObject({ description: "second", enabled: true });
    expect(await patch({ description: null })).toMatchObject({ description: null });
    const same = await patch({});
    expect(same).toMatchObject({ url: "https://other.example.org/in", description: null, enabled: true });
    expect(same.updatedAt >= e.updatedAt).toBe(true);
    expect((await row(e.id))?.secret).toBe(e.secret);

    expectError(await app.patch(`${BASE}/${e.id}`, { events: [] }), 400, /events must list at least one/);
    expectError(await app.patch(`${BASE}/${e.id}`, { events: "award.created" }), 400, /events must be an array/);
    expectError(await app.patch(`${BASE}/${e.id}`, { events: ["nope"] }), 400, /events has an unknown event type: nope/);
    expectError(await app.patch(`${BASE}/${e.id}`, { url: "" }), 400, /url is required/);
    expectError(await app.patch(`${BASE}/${e.id}`, { enabled: "yes" }), 400, /Invalid request body/);
    expectError(await app.patch(`${BASE}/${e.id}`, { secret: "whsec_x" }), 400, /unknown field/);
  });

  it("disabling gives the owner's reason; re-enabling clears the reason and the failure count", async () => {
    const app = await TestApp.create();
    const e = await create(app);
    const off = await app.patch(`${BASE}/${e.id}`, { enabled: false });
    expect(off.body.data).toMatchObject({ enabled: false, disabledReason: "Disabled by the owner" });
    // As the delivery side leaves it after 20 failures in a row.
    await env.DB.prepare(
      "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = '20 deliveries in a row failed', consecutive_failures = 20 WHERE id = ?",
    )
      .bind(e.id)
      .run();
    const still = await app.patch(`${BASE}/${e.id}`, { description: "why?" });
    expect(still.body.data).toMatchObject({ enabled: false, disabledReason: "20 deliveries in a row failed", consecutiveFailures: 20 });
    const on = await app.patch(`${BASE}/${e.id}`, { enabled: true });
    expect(on.body.data).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0, description: "why?" });
    expect(await row(e.id)).toMatchObject({ enabled: 1, disabled_reason: null, consecutive_failures: 0 });
  });
});

describe("DELETE /api/v1/webhook-endpoints/:endpointId", () => {
  it("deletes the endpoint and (ON DELETE CASCADE) its deliveries; then 404", async () => {
    const app = await TestApp.create();
    const e = await create(app);
    const keep = await create(app);
    const event = await addEvent(app.accountId, "entry.created");
    await addDelivery(e.id, event, "2026-01-01T00:00:00.000Z");
    await addDelivery(keep.id, event, "2026-01-01T00:00:00.000Z");
    const r = await app.del(`${BASE}/${e.id}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ id: e.id, deleted: true });
    expect(await row(e.id)).toBeNull();
    expect(await count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?", e.id)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?", keep.id)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE id = ?", event)).toBe(1);
    expectError(await app.del(`${BASE}/${e.id}`), 404, "Webhook endpoint not found");
    expectError(await app.get(`${BASE}/${e.id}`), 404, "Webhook endpoint not found");
  });
});

describe("POST /api/v1/webhook-endpoints/:endpointId/rotate-secret", () => {
  it("shows a new secret once and keeps the old one signing for 24 hours", async () => {
    const app = await TestApp.create();
    const e = await create(app);
    const before = Date.now();
    const r = await app.post(`${BASE}/${e.id}/rotate-secret`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rotated = r.body.data;
    expect(rotated.id).toBe(e.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(e.secret);
    const stored = await row(e.id);
    expect(stored).toMatchObject({ secret: rotated.secret, previous_secret: e.secret });
    const until = Date.parse(stored?.previous_expires_at);
    expect(until - before).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 1000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000 + 1000);
    expect(rotated.previousSecretExpiresAt).toBe(stored?.previous_expires_at);

    const got = await app.get(`${BASE}/${e.id}`);
    expect(got.body.data.previousSecretExpiresAt).toBe(stored?.previous_expires_at);
    expect(got.body.data.secret).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain("whsec_");

    // A second rotation: the secret just shown becomes the previous one.
    const again = await app.post(`${BASE}/${e.id}/rotate-secret`);
    expect(await row(e.id)).toMatchObject({ secret: again.body.data.secret, previous_secret: rotated.secret });

    // Once the overlap is over, the view says so.
    await env.DB.prepare("UPDATE webhook_endpoints SET previous_expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").bind(e.id).run();
    expect((await app.get(`${BASE}/${e.id}`)).body.data.previousSecretExpiresAt).toBeNull();
  });
});

describe("access", () => {
  it("a public key is refused (403) on every operation", async () => {
    const app = await TestApp.create();
    const e = await create(app);
    const pk = app.publicKey;
    const calls = [
      app.post(BASE, { url: URL_OK, events: ["entry.created"] }, pk),
      app.get(BASE, pk),
      app.get(`${BASE}/${e.id}`, pk),
      app.patch(`${BASE}/${e.id}`, { enabled: false }, pk),
      app.del(`${BASE}/${e.id}`, pk),
      app.post(`${BASE}/${e.id}/rotate-secret`, {}, pk),
      app.get(`${BASE}/${e.id}/deliveries`, pk),
    ];
    for (const r of await Promise.all(calls)) expectError(r, 403, "Private key required");
    expect(await row(e.id)).toMatchObject({ secret: e.secret, enabled: 1 });
  });

  it("no key is 401", async () => {
    const ip = { "CF-Connecting-IP": "203.0.113.131" };
    expectError(await call("GET", BASE, { headers: ip }), 401, "Invalid API key");
    expectError(await call("POST", BASE, { headers: ip, body: { url: URL_OK, events: ["entry.created"] } }), 401, "Invalid API key");
  });

  it("another account's endpoint is 404 on every operation and stays as it was", async () => {
    const owner = await TestApp.create();
    const e = await create(owner);
    const other = await TestApp.create();
    const calls = [
      other.get(`${BASE}/${e.id}`),
      other.patch(`${BASE}/${e.id}`, { enabled: false }),
      other.del(`${BASE}/${e.id}`),
      other.post(`${BASE}/${e.id}/rotate-secret`),
      other.get(`${BASE}/${e.id}/deliveries`),
      other.get(`${BASE}/we_unknown`),
    ];
    for (const r of await Promise.all(calls)) expectError(r, 404, "Webhook endpoint not found");
    expect((await other.get(BASE)).body.data).toEqual([]);
    expect(await row(e.id)).toMatchObject({ secret: e.secret, enabled: 1, previous_secret: null });
  });
});

async function addEvent(accountId: string, type: string) {
  const id = `ev_${crypto.randomUUID()}`;
  await env.DB.prepare("INSERT INTO webhook_events (id, account_id, type, subject_id, payload, created_at, fanned_out_at) VALUES (?1, ?2, ?3, 'x', '{}', ?4, ?4)")
    .bind(id, accountId, type, new Date().toISOString())
    .run();
  return id;
}

async function addDelivery(endpointId: string, eventId: string, createdAt: string, fields: Json = {}) {
  const id = `msg_${crypto.randomUUID()}`;
  const d = { status: "pending", attempts: 0, last_status_code: null, last_duration_ms: null, last_answer: null, last_error: null, next_retry_at: null, ...fields };
  await env.DB.prepare(
    `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, attempts, last_status_code, last_duration_ms,
       last_answer, last_error, next_retry_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(id, eventId, endpointId, d.status, d.attempts, d.last_status_code, d.last_duration_ms, d.last_answer, d.last_error, d.next_retry_at, createdAt, createdAt)
    .run();
  return id;
}

describe("GET /api/v1/webhook-endpoints/:endpointId/deliveries", () => {
  it("pages an endpoint's deliveries newest first with their event's type", async () => {
    const app = await TestApp.create();
    const e = await create(app);
    const other = await create(app);
    const failed = await addDelivery(e.id, await addEvent(app.accountId, "award.created"), "2026-01-01T00:00:01.000Z", {
      status: "failed",
      attempts: 8,
      last_status_code: 500,
      last_duration_ms: 120,
      last_answer: "oops",
    });
    const succeeded = await addDelivery(e.id, await addEvent(app.accountId, "ping"), "2026-01-01T00:00:02.000Z", {
      status: "succeeded",
      attempts: 1,
      last_status_code: 204,
      last_duration_ms: 35,
      last_answer: "",
    });
    const pendingEvent = await addEvent(app.accountId, "entry.created");
    const pending = await addDelivery(e.id, pendingEvent, "2026-01-01T00:00:03.000Z", {
      attempts: 2,
      last_error: "timed out after 10 s",
      next_retry_at: "2026-01-01T00:05:03.000Z",
    });
    await addDelivery(other.id, pendingEvent, "2026-01-01T00:00:04.000Z");

    const p1 = await app.get(`${BASE}/${e.id}/deliveries?limit=2`);
    expect(p1.status, JSON.stringify(p1.body)).toBe(200);
    expect(p1.body.pagination).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2 });
    expect(p1.body.data).toEqual([
      {
        id: pending,
        eventId: pendingEvent,
        eventType: "entry.created",
        status: "pending",
        attempts: 2,
        lastStatusCode: null,
        lastDurationMs: null,
        lastAnswer: null,
        lastError: "timed out after 10 s",
        nextRetryAt: "2026-01-01T00:05:03.000Z",
        createdAt: "2026-01-01T00:00:03.000Z",
        updatedAt: "2026-01-01T00:00:03.000Z",
      },
      expect.objectContaining({ id: succeeded, eventType: "ping", status: "succeeded", lastStatusCode: 204, lastDurationMs: 35, lastAnswer: "" }),
    ]);
    const p2 = await app.get(`${BASE}/${e.id}/deliveries?limit=2&page=2`);
    expect(p2.body.data).toEqual([
      expect.objectContaining({ id: failed, eventType: "award.created", status: "failed", attempts: 8, lastStatusCode: 500, lastAnswer: "oops" }),
    ]);
    const none = await app.get(`${BASE}/${(await create(app)).id}/deliveries`);
    expect(none.body).toMatchObject({ data: [], pagination: { total: 0, totalPages: 0 } });
    expectError(await app.get(`${BASE}/${e.id}/deliveries?limit=0`), 400, "limit must be a positive integer");
    expectError(await (await TestApp.create()).get(`${BASE}/${e.id}/deliveries`), 404, "Webhook endpoint not found");
  });
});
