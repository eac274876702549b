// Outbound webhooks, delivered (issue 13): an API action writes its event in
// its own batch, the worker's queue consumer fans it out and POSTs it to the
// owner's endpoints, signed per Standard Webhooks. The receiver is
// test/api/receiver.ts (workerd's outbound fetches reach it); every signature
// is checked with the `standardwebhooks` package, an independent verifier.
// The queue runs for real (Miniflare's, consumers without batching delays);
// retries go at once here (WEBHOOK_RETRY_AT_ONCE), and the schedule's delays
// are checked by driving the consumer with a batch of our own.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import Worker from "rocket-worker";
import { call, count, expectError, type Json, TestApp } from "./app";
import { RECEIVER } from "./receiver";

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  contentType: string;
  body: string;
}

let names = 0;
/** A receiver URL of its own (`mode`: ok, flaky2, down, moved) and its name. */
function hook(mode: string) {
  const name = `r${Date.now().toString(36)}${(names++).toString(36)}`;
  return { name, url: `${RECEIVER}/hooks/${mode}/${name}` };
}

async function receivedBy(name: string): Promise<Received[]> {
  return (await fetch(`${RECEIVER}/log/${name}`)).json();
}

/** Waits until `name` received `n` requests; answers them. */
async function waitForRequests(name: string, n: number): Promise<Received[]> {
  return vi.waitFor(
    async () => {
      const got = await receivedBy(name);
      expect(got.length).toBeGreaterThanOrEqual(n);
      return got;
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** The request's body, its signature checked with `secret` (throws otherwise). */
function verified(r: Received, secret: string): Json {
  const headers = { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature };
  return new Webhook(secret).verify(r.body, headers);
}

async function newEndpoint(app: TestApp, url: string, events: string[]) {
  const r = await app.post("/api/v1/webhook-endpoints", { url, events });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data as Json;
}

const deliveryRows = (endpointId: string) =>
  env.DB.prepare(
    "SELECT d.id, d.status, d.attempts, d.last_status_code, d.last_answer, d.last_error, d.next_retry_at, e.type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.endpoint_id = ? ORDER BY d.created_at",
  )
    .bind(endpointId)
    .all<Json>()
    .then((r) => r.results);

/** Waits until the endpoint's deliveries are all settled; answers them. */
async function settled(endpointId: string, n: number): Promise<Json[]> {
  return vi.waitFor(
    async () => {
      const rows = await deliveryRows(endpointId);
      expect(rows.length).toBe(n);
      expect(rows.every((d: Json) => d.status !== "pending")).toBe(true);
      return rows;
    },
    { timeout: 10_000, interval: 50 },
  );
}

const ALL = ["entry.created", "referral.created", "entry.disqualified"];

describe("events produced by API actions, delivered signed", () => {
  it("a referred signup: entry.created and referral.created with the entry as the API shows it, verifiable", async () => {
    const app = await TestApp.create();
    const advocate = await app.addEntry("ada@example.com", { name: "Ada" });
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ALL);
    const friend = await app.addEntry("friend@example.com", { name: "Friend", referralCode: advocate.referralCode });
    const got = await waitForRequests(name, 2);
    const bodies = got.map((r) => verified(r, endpoint.secret));
    expect(bodies.map((b: Json) => b.type).sort()).toEqual(["entry.created", "referral.created"]);
    const view = (await app.get(`/api/v1/entries/${friend.id}`)).body.data;
    for (const b of bodies) {
      // The entry view; a GET adds what is computed on reading (rank, rewards).
      expect(view).toMatchObject(b.data);
      expect(Object.keys(b.data).length).toBeGreaterThan(10);
      expect(Date.parse(b.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    }
    for (const r of got) {
      expect(r.id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(r.contentType).toBe("application/json");
      expect(Math.abs(Number(r.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    }
    expect(new Set(got.map((r) => r.id)).size).toBe(2);
    const rows = await settled(endpoint.id, 2);
    expect(rows.map((d: Json) => [d.status, d.attempts, d.last_status_code])).toEqual([
      ["succeeded", 1, 200],
      ["succeeded", 1, 200],
    ]);
    // A tampered body or another secret fails the independent verifier.
    expect(() => verified({ ...got[0]!, body: got[0]!.body.replace("friend", "fiend") }, endpoint.secret)).toThrow();
    const other = await newEndpoint(app, hook("ok").url, ALL);
    expect(() => verified(got[0]!, other.secret)).toThrow();
  });

  it("the tracker's signup, the v1 entry, the webhook signup and Referral Rocket's addParticipant all produce entry.created", async () => {
    const app = await TestApp.create();
    const advocate = await app.addEntry("ada@example.com");
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    const signup = await call("POST", "/api/referral/track-signup", {
      body: { contestId: app.contestId, email: "tracked@example.com", referralCode: advocate.referralCode },
      headers: { "CF-Connecting-IP": "198.18.120.1" },
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(200);
    const join = await call("POST", "/api/referral/join", {
      body: { contestId: app.contestId, email: "joined@example.com" },
      headers: { "CF-Connecting-IP": "198.18.120.1" },
    });
    expect(join.status, JSON.stringify(join.body)).toBe(201);
    await app.addEntry("api@example.com");
    const secret = (await app.get(`/api/v1/contests/${app.contestId}`)).body.data.webhookSecret;
    const hooked = await call("POST", `/api/webhooks/signup/${app.contestId}`, {
      body: { email: "hooked@example.com", secret },
    });
    expect(hooked.status, JSON.stringify(hooked.body)).toBe(200);
    const added = await app.post("/api/v1/addParticipant", { id: app.contestId, email: "rr@example.com" });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const got = await waitForRequests(name, 5);
    const emails = got.map((r) => verified(r, endpoint.secret)).map((b: Json) => [b.type, b.data.email]);
    expect(emails.sort()).toEqual(
      ["api", "hooked", "joined", "rr", "tracked"].map((n) => ["entry.created", `${n}@example.com`]),
    );
    // Only entry.created was asked for: the tracker's referral made no referral.created here.
    await settled(endpoint.id, 5);
  });

  it("entry.disqualified once, when an entry is disqualified (not again, not on reinstating)", async () => {
    const app = await TestApp.create();
    const entry = await app.addEntry("cheat@example.com");
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["entry.disqualified"]);
    for (const path of ["disqualify", "disqualify", "reinstate"]) {
      expect((await app.post(`/api/v1/entries/${entry.id}/${path}`, { reason: "bots" })).status).toBe(200);
    }
    const [got] = await waitForRequests(name, 1);
    const body = verified(got!, endpoint.secret);
    expect(body).toMatchObject({ type: "entry.disqualified", data: { id: entry.id, disqualified: true } });
    await settled(endpoint.id, 1);
  });

  it("purchases: recorded (browser or server), verified (a trusted report), refunded; data is the purchase", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    await app.addEntry("buyer@example.com", { referralCode: ada.referralCode });
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["purchase.recorded", "purchase.verified", "purchase.refunded"]);
    // The owner's server reports a new order: recorded and verified at once.
    const direct = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "buyer@example.com", orderId: "srv-1", amount: 40 });
    expect(direct.status, JSON.stringify(direct.body)).toBe(201);
    // The browser claims an order; the server's report of it verifies it later.
    const claim = await call("POST", "/api/referral/track-purchase", {
      body: { contestId: app.contestId, email: "buyer@example.com", orderId: "web-1", amount: 25, referralCode: ada.referralCode },
      headers: { "CF-Connecting-IP": "198.18.121.1" },
    });
    expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    await waitForRequests(name, 3);
    const confirm = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "buyer@example.com", orderId: "web-1", amount: 25 });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(201);
    await waitForRequests(name, 4);
    const refund = await app.post(`/api/v1/purchases/${direct.body.data.purchaseId}/refund`, { amount: 10 });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const got = await waitForRequests(name, 5);
    const bodies = got.map((r) => verified(r, endpoint.secret));
    expect(bodies.map((b: Json) => [b.type, b.data.orderId])).toEqual([
      expect.anything(),
      expect.anything(),
      ["purchase.recorded", "web-1"],
      ["purchase.verified", "web-1"],
      ["purchase.refunded", "srv-1"],
    ]);
    expect(bodies.slice(0, 2).map((b: Json) => [b.type, b.data.orderId]).sort()).toEqual([
      ["purchase.recorded", "srv-1"],
      ["purchase.verified", "srv-1"],
    ]);
    // The data is the purchase as the API lists it, rendered when the event went out.
    const listed = (await app.get(`/api/v1/contests/${app.contestId}/purchases`)).body.data;
    const web = listed.find((p: Json) => p.orderId === "web-1");
    expect(bodies[3].data).toEqual(web);
    expect(bodies[4].data).toMatchObject({ orderId: "srv-1", refundedAmount: 10 });
    // A replay of the same report writes no second event.
    await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "buyer@example.com", orderId: "web-1", amount: 25 });
    await settled(endpoint.id, 5);
  });

  it("bonus_action.completed when a completion is verified: at once for a click, on approval for a manual one", async () => {
    const app = await TestApp.create();
    const entry = await app.addEntry("busy@example.com");
    const click = await app.addBonusAction({ action: "visit", description: "Visit", points: 5, confirmationType: "click", destinationUrl: "https://example.com/" });
    const manual = await app.addBonusAction({ action: "review", description: "Review us", points: 20, confirmationType: "manual" });
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["bonus_action.completed"]);
    const base = `/api/v1/entries/${entry.id}/bonus-actions`;
    expect((await app.post(`${base}/${click.id}/complete`)).status).toBe(200);
    expect((await app.post(`${base}/${click.id}/complete`)).status).toBe(200);
    expect((await app.post(`${base}/${manual.id}/complete`, { proof: "https://example.com/review" })).status).toBe(200);
    const [first] = await waitForRequests(name, 1);
    expect(verified(first!, endpoint.secret)).toMatchObject({
      type: "bonus_action.completed",
      data: { entryId: entry.id, bonusActionId: click.id, status: "verified", pointsAwarded: 5 },
    });
    await settled(endpoint.id, 1);
    const approved = await app.post(`${base}/${manual.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const got = await waitForRequests(name, 2);
    expect(verified(got[1]!, endpoint.secret)).toMatchObject({
      type: "bonus_action.completed",
      data: { bonusActionId: manual.id, status: "verified", pointsAwarded: 20 },
    });
    await settled(endpoint.id, 2);
  });

  it("awards: created (held or not), confirmed and rejected by the owner, confirmed by the holdDays sweep; data is the award", async () => {
    const app = await TestApp.create({ referralAwards: "review", holdDays: 3 });
    const ada = await app.addEntry("ada@example.com");
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["award.created", "award.confirmed", "award.rejected"]);
    const bo = await app.addEntry("bo@example.com", { referralCode: ada.referralCode });
    const created = (await waitForRequests(name, 2)).map((r) => verified(r, endpoint.secret));
    expect(created.map((b: Json) => [b.type, b.data.reason, b.data.status, b.data.holdReason]).sort()).toEqual([
      ["award.created", "referral_advocate", "pending", "review"],
      ["award.created", "referral_friend", "pending", "review"],
    ]);
    const pending = (await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`)).body.data;
    expect(created.map((b: Json) => b.data).sort((a: Json, b: Json) => a.id - b.id)).toEqual(
      [...pending].sort((a: Json, b: Json) => a.id - b.id),
    );
    const advocates = pending.find((a: Json) => a.reason === "referral_advocate");
    const friends = pending.find((a: Json) => a.reason === "referral_friend");
    expect((await app.post(`/api/v1/awards/${advocates.id}/confirm`)).status).toBe(200);
    expect((await app.post(`/api/v1/awards/${advocates.id}/confirm`)).status).toBe(200);
    const settledTwo = (await waitForRequests(name, 3)).map((r) => verified(r, endpoint.secret));
    expect(settledTwo[2]).toMatchObject({ type: "award.confirmed", data: { id: advocates.id, status: "confirmed" } });
    // The friend's award: due (holdDays passed), confirmed by the sweep.
    await env.DB.prepare("UPDATE ledger SET confirm_after = ? WHERE id = ?").bind(new Date(Date.now() - 60_000).toISOString(), friends.id).run();
    await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
    const swept = (await waitForRequests(name, 4)).map((r) => verified(r, endpoint.secret));
    expect(swept[3]).toMatchObject({ type: "award.confirmed", data: { id: friends.id, status: "confirmed" } });
    // An adjustment is an award too; a rejected one says so.
    const adjusted = await app.post(`/api/v1/entries/${bo.id}/adjust-points`, { points: 7, reason: "goodwill" });
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(201);
    const cy = await app.addEntry("cy@example.com", { referralCode: ada.referralCode });
    const cyAward = await vi.waitFor(async () => {
      const rows = (await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`)).body.data;
      const found = rows.find((a: Json) => a.entryId === cy.id);
      expect(found).toBeDefined();
      return found;
    });
    // The body is rendered when the event first goes out: wait for the
    // created ones before rejecting, so they show the award as created.
    await waitForRequests(name, 7);
    expect((await app.post(`/api/v1/awards/${cyAward.id}/reject`)).status).toBe(200);
    const all = (await waitForRequests(name, 8)).map((r) => verified(r, endpoint.secret));
    expect(all.slice(4).map((b: Json) => [b.type, b.data.reason, b.data.status]).sort()).toEqual([
      ["award.created", "adjustment", "confirmed"],
      ["award.created", "referral_advocate", "pending"],
      ["award.created", "referral_friend", "pending"],
      ["award.rejected", "referral_friend", "rejected"],
    ]);
    await settled(endpoint.id, 8);
  });

  it("rewards (Referral Rocket): earned by joining through a referral and by the referee's qualifying, redeemed by a payout", async () => {
    const app = await TestApp.create({ referrerReward: 20, refereeReward: 5, rewardType: "Monetary" });
    const john = await app.addEntry("john@example.com");
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["reward.earned", "reward.redeemed"]);
    const add = await app.post("/api/v1/addParticipant", { id: app.contestId, email: "amy@example.com", referredByCode: john.referralCode });
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    await waitForRequests(name, 1);
    const q = await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "amy@example.com", amount: 100 });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "amy@example.com", amount: 100 });
    await waitForRequests(name, 2);
    const payout = await app.post("/api/v1/redeemReward", { id: app.contestId, email: "john@example.com", amount: 15 }, app.privateKey, { "idempotency-key": "p-1" });
    expect(payout.status, JSON.stringify(payout.body)).toBe(201);
    await app.post("/api/v1/redeemReward", { id: app.contestId, email: "john@example.com", amount: 15 }, app.privateKey, { "idempotency-key": "p-1" });
    const got = (await waitForRequests(name, 3)).map((r) => verified(r, endpoint.secret));
    expect(got.map((b: Json) => [b.type, b.data.side, b.data.amount])).toEqual([
      ["reward.earned", "referee", 5],
      ["reward.earned", "referral", 20],
      ["reward.redeemed", "referral", -15],
    ]);
    expect(got[2].data.entryId).toBe(john.id);
    await settled(endpoint.id, 3);
  });

  it("nothing is written for an account without endpoints, nor for an event type no endpoint listens for", async () => {
    const app = await TestApp.create();
    await app.addEntry("quiet@example.com");
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ?", app.accountId)).toBe(0);
    await newEndpoint(app, hook("ok").url, ["entry.disqualified"]);
    await app.addEntry("still-quiet@example.com");
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ?", app.accountId)).toBe(0);
    // A disabled endpoint listens for nothing.
    const off = await newEndpoint(app, hook("ok").url, ["entry.created"]);
    expect((await app.patch(`/api/v1/webhook-endpoints/${off.id}`, { enabled: false })).status).toBe(200);
    await app.addEntry("unheard@example.com");
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ?", app.accountId)).toBe(0);
  });

  it("an email already in makes no event (the entry was not created)", async () => {
    const app = await TestApp.create();
    const endpoint = await newEndpoint(app, hook("ok").url, ["entry.created"]);
    await app.addEntry("twice@example.com");
    await app.addEntry("twice@example.com");
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ?", app.accountId)).toBe(1);
    await settled(endpoint.id, 1);
  });
});

describe("delivery: retries, failures, the dead letters and the cron", () => {
  it("a receiver failing twice then succeeding gets three attempts with the same webhook-id", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("flaky2");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    await app.addEntry("retry@example.com");
    const got = await waitForRequests(name, 3);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    for (const r of got) verified(r, endpoint.secret);
    const [row] = await settled(endpoint.id, 1);
    expect(row).toMatchObject({ status: "succeeded", attempts: 3, last_status_code: 200, next_retry_at: null });
    expect((await app.get(`/api/v1/webhook-endpoints/${endpoint.id}`)).body.data.consecutiveFailures).toBe(0);
  });

  it("a receiver that always fails: every attempt of the schedule, then failed for good; its answer kept to 1 KB", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("down");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    await app.addEntry("doomed@example.com");
    const [row] = await settled(endpoint.id, 1);
    expect(row).toMatchObject({ status: "failed", attempts: 8, last_status_code: 500, next_retry_at: null });
    expect(new TextEncoder().encode(row.last_answer).length).toBe(1024);
    expect(row.last_answer.startsWith("down xxx")).toBe(true);
    expect(await receivedBy(name)).toHaveLength(8);
    const after = (await app.get(`/api/v1/webhook-endpoints/${endpoint.id}`)).body.data;
    expect(after).toMatchObject({ enabled: true, consecutiveFailures: 1 });
  });

  it("the 20th delivery in a row that fails for good disables the endpoint, with the reason; PATCH enabled re-enables it", async () => {
    const app = await TestApp.create();
    const endpoint = await newEndpoint(app, hook("down").url, ["entry.created"]);
    // Nineteen failed before (each is the run above); the next one is the 20th.
    await env.DB.prepare("UPDATE webhook_endpoints SET consecutive_failures = 19 WHERE id = ?").bind(endpoint.id).run();
    await app.addEntry("last-straw@example.com");
    await settled(endpoint.id, 1);
    const off = (await app.get(`/api/v1/webhook-endpoints/${endpoint.id}`)).body.data;
    expect(off).toMatchObject({ enabled: false, consecutiveFailures: 20, disabledReason: "Disabled after 20 failed deliveries in a row" });
    // Disabled: new events are not written for it.
    await app.addEntry("unsent@example.com");
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ?", app.accountId)).toBe(1);
    const on = await app.patch(`/api/v1/webhook-endpoints/${endpoint.id}`, { enabled: true });
    expect(on.body.data).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });

  it("a redirect is a failed attempt and is not followed", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("moved");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    await app.addEntry("moved@example.com");
    const [row] = await settled(endpoint.id, 1);
    expect(row).toMatchObject({ status: "failed", attempts: 8, last_status_code: 302 });
    expect(await receivedBy(name)).toHaveLength(8);
  });

  it("an event whose send was lost (the worker stopped after its batch) is delivered by the cron", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    const entry = await app.addEntry("lost@example.com");
    await waitForRequests(name, 1);
    // The same event as if never sent: written two minutes ago, not fanned out.
    const lost = "evt_lost" + Date.now().toString(36);
    await env.DB.prepare(
      "INSERT INTO webhook_events (id, account_id, type, subject_id, created_at) VALUES (?, ?, 'entry.created', ?, ?)",
    )
      .bind(lost, app.accountId, entry.id, new Date(Date.now() - 120_000).toISOString())
      .run();
    await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
    const got = await waitForRequests(name, 2);
    const bodies = got.map((r) => verified(r, endpoint.secret));
    expect(bodies.map((b: Json) => b.data.id)).toEqual([entry.id, entry.id]);
    // Sent once: a second sweep finds nothing waiting.
    await settled(endpoint.id, 2);
    await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
    // A later event as the marker: once it has arrived, a send of the second
    // sweep (queued before it, on the same queue) would have arrived too.
    const marker = await app.addEntry("marker@example.com");
    const idOf = (r: Received) => verified(r, endpoint.secret).data.id;
    await vi.waitFor(async () => expect((await receivedBy(name)).map(idOf)).toContain(marker.id), { timeout: 10_000, interval: 50 });
    expect((await receivedBy(name)).filter((r) => idOf(r) !== marker.id)).toHaveLength(2);
  });

  it("the cron forgets deliveries older than 30 days", async () => {
    const app = await TestApp.create();
    const endpoint = await newEndpoint(app, hook("ok").url, ["entry.created"]);
    await app.addEntry("old@example.com");
    await app.addEntry("new@example.com");
    const [old] = await settled(endpoint.id, 2);
    const longAgo = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await env.DB.prepare("UPDATE webhook_deliveries SET created_at = ? WHERE id = ?").bind(longAgo, old.id).run();
    await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
    expect((await deliveryRows(endpoint.id)).map((d: Json) => d.id)).not.toContain(old.id);
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
  });
});

/** A batch of our own for the consumer: records what it does with each message. */
function spyBatch(queue: string, bodies: Json[]) {
  const calls: Json[] = [];
  const messages = bodies.map((body, i) => ({
    id: `m${i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => calls.push({ i, ack: true }),
    retry: (o?: { delaySeconds?: number }) => calls.push({ i, retry: o?.delaySeconds ?? null }),
  }));
  return { calls, batch: { queue, messages, ackAll() {}, retryAll() {} } };
}

/** Runs the worker's queue handler on `batch`, with `bindings` over the test env. */
async function consume(batch: Json, bindings: Json = {}) {
  const ctx = createExecutionContext();
  await new (Worker as any)(ctx, { ...env, ...bindings }).queue(batch);
  await waitOnExecutionContext(ctx);
}

describe("the consumer, driven directly", () => {
  it("retries a failed attempt after the schedule's delay (5 s, then 5 min, …) and records when", async () => {
    const app = await TestApp.create();
    const endpoint = await newEndpoint(app, hook("down").url, ["entry.created"]);
    await app.addEntry("scheduled@example.com");
    // Let the real queue make the delivery and try it, then start it over by hand.
    const [row] = await settled(endpoint.id, 1);
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 0 WHERE id = ?").bind(row.id).run();
    const delays: number[] = [];
    for (let n = 1; n <= 3; n++) {
      const { calls, batch } = spyBatch("rocket-webhooks", [{ delivery: row.id }]);
      const before = Date.now();
      await consume(batch, { WEBHOOK_RETRY_AT_ONCE: undefined });
      expect(calls).toHaveLength(1);
      delays.push(calls[0].retry);
      const [after] = await deliveryRows(endpoint.id);
      expect(after.attempts).toBe(n);
      const next = Date.parse(after.next_retry_at) - before;
      expect(next).toBeGreaterThanOrEqual(calls[0].retry * 1000 - 50);
      expect(next).toBeLessThan(calls[0].retry * 1000 + 5_000);
    }
    expect(delays).toEqual([5, 300, 1800]);
  });

  it("the dead-letter queue fails its deliveries for good; a body that is no job is acked and dropped", async () => {
    const app = await TestApp.create();
    const endpoint = await newEndpoint(app, hook("ok").url, ["entry.created"]);
    await app.addEntry("dead@example.com");
    const [row] = await settled(endpoint.id, 1);
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending' WHERE id = ?").bind(row.id).run();
    const { calls, batch } = spyBatch("rocket-webhooks-dlq", [{ delivery: row.id }, "garbage", { nothing: 1 }]);
    await consume(batch);
    expect(calls.filter((c: Json) => c.retry !== undefined)).toEqual([]);
    const [dead] = await deliveryRows(endpoint.id);
    expect(dead).toMatchObject({ status: "failed", last_error: "The queue gave up on this delivery" });
    expect((await app.get(`/api/v1/webhook-endpoints/${endpoint.id}`)).body.data.consecutiveFailures).toBe(1);
  });
});

describe("the owner's test ping and redelivery", () => {
  it("POST /webhook-endpoints/:id/test: 202 {eventId}; the endpoint gets a signed ping whatever it listens for", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["entry.disqualified"]);
    const r = await app.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toEqual({ success: true, data: { eventId: expect.stringMatching(/^evt_/) } });
    const [got] = await waitForRequests(name, 1);
    expect(verified(got!, endpoint.secret)).toEqual({ type: "ping", timestamp: expect.any(String), data: { endpointId: endpoint.id } });
    // Only that endpoint.
    const bystander = hook("ok");
    await newEndpoint(app, bystander.url, ["entry.created"]);
    await settled(endpoint.id, 1);
    expect(await receivedBy(bystander.name)).toEqual([]);
  });

  it("test ping refusals: disabled 409, another account's or unknown 404, public key 403", async () => {
    const app = await TestApp.create();
    const endpoint = await newEndpoint(app, hook("ok").url, ["entry.created"]);
    await app.patch(`/api/v1/webhook-endpoints/${endpoint.id}`, { enabled: false });
    expectError(await app.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`), 409, /disabled/);
    const stranger = await TestApp.create();
    expectError(await stranger.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`), 404, "Webhook endpoint not found");
    expectError(await app.post("/api/v1/webhook-endpoints/we_nope/test"), 404, "Webhook endpoint not found");
    expectError(await app.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`, {}, app.publicKey), 403, "Private key required");
  });

  it("redeliver: a settled delivery is sent again with the same webhook-id; pending 409; another account's 404", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    await app.addEntry("again@example.com");
    const [first] = await waitForRequests(name, 1);
    const [row] = await settled(endpoint.id, 1);
    const r = await app.post(`/api/v1/webhook-deliveries/${row.id}/redeliver`);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.data).toEqual({ deliveryId: row.id, status: "pending" });
    const got = await waitForRequests(name, 2);
    expect(got[1]!.id).toBe(first!.id);
    expect(got[1]!.body).toBe(first!.body);
    verified(got[1]!, endpoint.secret);
    const [again] = await settled(endpoint.id, 1);
    expect(again).toMatchObject({ status: "succeeded", attempts: 1 });
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending' WHERE id = ?").bind(row.id).run();
    expectError(await app.post(`/api/v1/webhook-deliveries/${row.id}/redeliver`), 409, /pending/);
    const stranger = await TestApp.create();
    expectError(await stranger.post(`/api/v1/webhook-deliveries/${row.id}/redeliver`), 404, "Webhook delivery not found");
  });
});

describe("rotation", () => {
  it("after rotate-secret, deliveries carry two v1 signatures: the new secret and the old one both verify", async () => {
    const app = await TestApp.create();
    const { name, url } = hook("ok");
    const endpoint = await newEndpoint(app, url, ["entry.created"]);
    const rotated = await app.post(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const fresh = rotated.body.data.secret as string;
    expect(fresh).not.toBe(endpoint.secret);
    await app.addEntry("rotated@example.com");
    const [got] = await waitForRequests(name, 1);
    expect(got!.signature.split(" ")).toHaveLength(2);
    expect(got!.signature.split(" ").every((s) => s.startsWith("v1,"))).toBe(true);
    verified(got!, fresh);
    verified(got!, endpoint.secret);
    // Once the overlap is over, only the new one signs.
    await env.DB.prepare("UPDATE webhook_endpoints SET previous_expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), endpoint.id)
      .run();
    await app.addEntry("later@example.com");
    const later = (await waitForRequests(name, 2))[1]!;
    expect(later.signature.split(" ")).toHaveLength(1);
    verified(later, fresh);
    expect(() => verified(later, endpoint.secret)).toThrow();
  });
});
