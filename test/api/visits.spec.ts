// Visits through the VISITS queue: track-visit answers once the visit is
// queued; the consumer writes up to 100 per D1 batch; nothing is lost and
// duplicates are settled by the visits' unique keys.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import Worker from "rocket-worker";
import { describe, expect, it } from "vitest";
import { call, count, type Json, settled, TestApp } from "./app";

const visit = (app: TestApp, code: string, ip: string) =>
  call("POST", "/api/referral/track-visit", { body: { referralCode: code, contestId: app.contestId }, headers: { "CF-Connecting-IP": ip } });

const visitsOf = (contestId: string) => count("SELECT COUNT(*) AS n FROM visits WHERE contest_id = ?", contestId);

/** A batch of our own for the consumer, recording what it settles. */
function batchOf(bodies: Json[]) {
  const calls: string[] = [];
  const messages = bodies.map((body, i) => ({
    id: `m${i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => calls.push(`ack ${i}`),
    retry: () => calls.push(`retry ${i}`),
  }));
  const batch = {
    queue: "rocket-visits",
    messages,
    ackAll: () => calls.push("ackAll"),
    retryAll: (o?: { delaySeconds?: number }) => calls.push(`retryAll ${o?.delaySeconds ?? ""}`),
  };
  return { calls, batch };
}

async function consume(batch: Json, bindings: Json = {}) {
  const ctx = createExecutionContext();
  await new (Worker as any)(ctx, { ...env, ...bindings }).queue(batch);
  await waitOnExecutionContext(ctx);
}

const queued = (app: TestApp, code: string, n: number, ip = `hash-${n}`) => ({
  id: `vi_test_${app.contestId}_${n}`,
  contest_id: app.contestId,
  code,
  url: "https://shop.example/",
  ip_hash: ip,
  at: new Date().toISOString(),
});

describe("visits through the queue", () => {
  it("none is lost: 150 visitors (with 50 repeats among them) sent at once are 150 rows once the queue drains", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const ips = Array.from({ length: 150 }, (_, i) => `198.18.${100 + Math.floor(i / 100)}.${i % 100}`);
    const sends = [...ips, ...ips.slice(0, 50)].map((ip) => visit(app, ada.referralCode, ip));
    const answers = await Promise.all(sends);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await settled(() => visitsOf(app.contestId), 150)).toBe(150);
    // Each address once, the entry's the only one.
    expect(await count("SELECT COUNT(DISTINCT ip_hash) AS n FROM visits WHERE contest_id = ? AND entry_id = ?", app.contestId, ada.id)).toBe(150);
  }, 30_000);

  it("the consumer writes a batch of 100 in one go and acks it; a message delivered twice is one row", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const bodies = Array.from({ length: 100 }, (_, i) => queued(app, ada.referralCode, i));
    const { calls, batch } = batchOf(bodies);
    await consume(batch);
    expect(calls).toEqual(["ackAll"]);
    expect(await visitsOf(app.contestId)).toBe(100);
    // The queue delivers at least once: the same messages again change nothing.
    const again = batchOf([...bodies.slice(0, 10), queued(app, ada.referralCode, 0, "hash-0")]);
    await consume(again.batch);
    expect(again.calls).toEqual(["ackAll"]);
    expect(await visitsOf(app.contestId)).toBe(100);
  });

  it("a visit whose code was disqualified after the answer, or whose contest is unknown, is dropped; a body that is no visit too", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const bob = await app.addEntry("bob@example.com");
    expect((await app.post(`/api/v1/entries/${bob.id}/disqualify`, {})).status).toBe(200);
    const { calls, batch } = batchOf([
      queued(app, ada.referralCode, 1),
      queued(app, bob.referralCode, 2),
      { ...queued(app, ada.referralCode, 3), contest_id: "ct_nope" },
      { nothing: "here" },
    ]);
    await consume(batch);
    expect(calls).toEqual(["ackAll"]);
    expect(await count("SELECT COUNT(*) AS n FROM visits WHERE entry_id = ?", ada.id)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM visits WHERE entry_id = ?", bob.id)).toBe(0);
  });

  it("when D1 is not there the batch is retried later, never failed", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const { calls, batch } = batchOf([queued(app, ada.referralCode, 1)]);
    await consume(batch, { DB: undefined });
    expect(calls).toEqual(["retryAll 30"]);
    expect(await visitsOf(app.contestId)).toBe(0);
  });

  it("without the queue binding a visit is written at once", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const ctx = createExecutionContext();
    const request = new Request("http://localhost/api/referral/track-visit", {
      method: "POST",
      headers: { "CF-Connecting-IP": "198.18.99.1" },
      body: JSON.stringify({ referralCode: ada.referralCode, contestId: app.contestId }),
    });
    const res = await new (Worker as any)(ctx, { ...env, VISITS: undefined }).fetch(request);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    expect(await visitsOf(app.contestId)).toBe(1);
  });
});
