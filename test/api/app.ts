// TestApp: drives the built worker (SELF) and reads D1 (env.DB) directly.
// D1 state is shared by the tests of a run, so every TestApp makes its own
// account and contest: tests never see each other's rows.
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { checkContract } from "./contract";

export const BASE = "https://rocket.test";
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";

export type Json = any;

export interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

/** One API request through the worker. Every reply is checked against the
 * served OpenAPI document (./contract.ts): an undocumented status or a body
 * off its schema fails the test that made the request. */
export async function call(
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers["x-api-key"] = opts.key;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  await checkContract(method, path, res.status, res.headers, text);
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Asserts the documented error envelope and returns the message. */
export function expectError(reply: Reply, status: number, message?: string | RegExp) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.headers.get("content-type")).toContain("application/json");
  expect(reply.body.success).toBe(false);
  expect(typeof reply.body.error).toBe("string");
  if (typeof message === "string") expect(reply.body.error).toBe(message);
  else if (message) expect(reply.body.error).toMatch(message);
}

export async function newAccount(name = "Test shop") {
  const r = await call("POST", "/api/admin/accounts", {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: { name },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data as { id: string; publicKey: string; privateKey: string };
}

export class TestApp {
  constructor(
    readonly accountId: string,
    readonly publicKey: string,
    readonly privateKey: string,
    readonly contestId: string,
    readonly contest: Json,
  ) {}

  /** A fresh account with one contest (extra settings optional). */
  static async create(settings: Json = {}) {
    const account = await newAccount();
    const r = await call("POST", "/api/v1/contests", {
      key: account.privateKey,
      body: { name: "Spring launch", ...settings },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return new TestApp(account.id, account.publicKey, account.privateKey, r.body.data.id, r.body.data);
  }

  get(path: string, key = this.privateKey) {
    return call("GET", path, { key });
  }
  post(path: string, body: unknown = {}, key = this.privateKey, headers?: Record<string, string>) {
    return call("POST", path, { key, body, headers });
  }
  patch(path: string, body: unknown, key = this.privateKey) {
    return call("PATCH", path, { key, body });
  }
  del(path: string, key = this.privateKey) {
    return call("DELETE", path, { key });
  }

  /** Adds an entry through the v1 API; `referralCode` is the advocate's code. */
  async addEntry(email: string, extra: { name?: string; referralCode?: string } = {}) {
    const r = await this.post(`/api/v1/contests/${this.contestId}/entries`, { email, ...extra });
    expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    return r.body.data as Json;
  }

  async entry(entryId: string) {
    const r = await this.get(`/api/v1/entries/${entryId}`);
    expect(r.status).toBe(200);
    return r.body.data as Json;
  }

  async addBonusAction(fields: Json) {
    const r = await this.post(`/api/v1/contests/${this.contestId}/bonus-actions`, fields);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.data as Json;
  }

  async setContest(fields: Json) {
    const r = await this.patch(`/api/v1/contests/${this.contestId}`, fields);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.data as Json;
  }
}

/** The ledger rows of an entry, straight from D1. */
export async function ledgerOf(entryId: string) {
  const { results } = await env.DB.prepare("SELECT delta, reason, ref_id FROM ledger WHERE entry_id = ? ORDER BY id")
    .bind(entryId)
    .all<{ delta: number; reason: string; ref_id: string }>();
  return results;
}

/** Entries whose totals disagree with their ledger: total_points must equal the
 * sum of the confirmed rows, pending_points the sum of the pending rows. */
export async function ledgerMismatches(contestId?: string) {
  const { results } = await env.DB.prepare(
    `SELECT * FROM (
       SELECT e.id, e.total_points AS total, e.pending_points AS pending,
         COALESCE((SELECT SUM(delta) FROM ledger l WHERE l.entry_id = e.id AND l.status = 'confirmed'), 0) AS confirmed,
         COALESCE((SELECT SUM(delta) FROM ledger l WHERE l.entry_id = e.id AND l.status = 'pending'), 0) AS held
       FROM entries e WHERE ?1 IS NULL OR e.contest_id = ?1)
     WHERE total != confirmed OR pending != held`,
  )
    .bind(contestId ?? null)
    .all<{ id: string; total: number; pending: number; confirmed: number; held: number }>();
  return results;
}

/** The ledger invariant for every entry of the contest. */
export async function expectLedgerConsistent(contestId: string) {
  expect(await ledgerMismatches(contestId)).toEqual([]);
}

/** Confirmed points of an entry, straight from the ledger. */
export async function confirmedPoints(entryId: string) {
  const row = await env.DB.prepare("SELECT COALESCE(SUM(delta), 0) AS n FROM ledger WHERE entry_id = ? AND status = 'confirmed'")
    .bind(entryId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function count(sql: string, ...params: unknown[]) {
  const row = await env.DB.prepare(sql).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Visits are written by the VISITS queue's consumer after track-visit has
 * answered: reads until `read()` gives `expected` (5 s at most), then once
 * more after the queue has written every visit sent so far (`visitsWritten`),
 * so a visit still in the queue that would change it (a duplicate counted
 * twice) is seen. Answers that last reading. */
export async function settled<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const same = (v: T) => JSON.stringify(v) === JSON.stringify(expected);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const deadline = Date.now() + 5000;
  let value = await read();
  while (!same(value) && Date.now() < deadline) {
    await pause(25);
    value = await read();
  }
  await visitsWritten();
  return read();
}

/** Sends a marker visit (to a contest of its own) through the VISITS queue and
 * waits until the consumer has written it: the queue hands its batches to the
 * consumer in order, one at a time, so every visit queued before the marker
 * has been written (or dropped) by then. */
export async function visitsWritten() {
  const marker = await TestApp.create();
  const { referralCode } = await marker.addEntry("marker@example.com");
  const id = `vis_marker_${crypto.randomUUID()}`;
  await env.VISITS.send({ id, contest_id: marker.contestId, code: referralCode, url: null, ip_hash: id, at: new Date().toISOString() });
  const deadline = Date.now() + 5000;
  while ((await count("SELECT COUNT(*) AS n FROM visits WHERE id = ?", id)) === 0) {
    if (Date.now() > deadline) throw new Error("the VISITS queue did not write the marker visit within 5 s");
    await new Promise((r) => setTimeout(r, 25));
  }
}
