// Helpers for the end of a contest (issue 24: end, finalize, standings,
// results): prizes and tie-breaking values written straight to D1 where this
// branch has no API for them (prizes are another part of issue 24).
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { call, type Json, TestApp } from "./app";
import { RECEIVER } from "./receiver";

/** Runs the worker's scheduled handler, as the Cron Trigger does (every 5 minutes). */
export async function runCron() {
  await (exports as any).default.scheduled({ cron: "*/5 * * * *" });
}

export function endContest(app: TestApp, key = app.privateKey) {
  return call("POST", `/api/v1/contests/${app.contestId}/end`, { key });
}

export function finalize(app: TestApp, body?: Json, key = app.privateKey) {
  return call("POST", `/api/v1/contests/${app.contestId}/finalize`, { key, body });
}

export function standings(app: TestApp, query = "", key: string = app.privateKey, headers?: Record<string, string>) {
  return call("GET", `/api/v1/contests/${app.contestId}/standings${query}`, { key, headers });
}

export function results(contestId: string, headers?: Record<string, string>) {
  return call("GET", `/api/referral/results?contestId=${encodeURIComponent(contestId)}`, { headers });
}

/** Every place of the final standings (pages of 100). */
export async function allStandings(app: TestApp): Promise<Json[]> {
  const rows: Json[] = [];
  for (let page = 1; ; page++) {
    const r = await standings(app, `?page=${page}&limit=100`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    rows.push(...r.body.data);
    if (rows.length >= r.body.pagination.total) return rows;
  }
}

let prizes = 0;
/** A prize row (the prizes API is another part of issue 24). */
export async function addPrize(
  app: TestApp,
  prize: { kind: "rank" | "milestone"; name?: string; from?: number; to?: number; referrals?: number; points?: number; quantity?: number },
) {
  const id = `prz_test${Date.now().toString(36)}${(prizes++).toString(36)}`;
  await env.DB.prepare(
    `INSERT INTO prizes (id, contest_id, name, description, image_url, kind, threshold_referrals, threshold_points,
       rank_from, rank_to, fulfilment, quantity, created_at)
     VALUES (?1, ?2, ?3, 'A prize', 'https://img.example/p.png', ?4, ?5, ?6, ?7, ?8, 'manual', ?9, ?10)`,
  )
    .bind(
      id,
      app.contestId,
      prize.name ?? `${prize.kind} prize`,
      prize.kind,
      prize.referrals ?? null,
      prize.points ?? null,
      prize.from ?? null,
      prize.to ?? null,
      prize.quantity ?? null,
      new Date(Date.now() + prizes).toISOString(),
    )
    .run();
  return id;
}

/** The prize awards of a contest, by rank. */
export async function awardRows(contestId: string) {
  const { results } = await env.DB.prepare(
    "SELECT prize_id, entry_id, status, rank, earned_at FROM prize_awards WHERE contest_id = ? ORDER BY prize_id, rank",
  )
    .bind(contestId)
    .all<Json>();
  return results;
}

/** Sets the values ties are broken by: when the entry reached its total (the
 * column another part of issue 24 keeps on every award) and when it joined. */
export async function setTies(entryId: string, ties: { reachedAt?: string | null; joinedAt?: string }) {
  if (ties.reachedAt !== undefined) {
    await env.DB.prepare("UPDATE entries SET points_reached_at = ? WHERE id = ?").bind(ties.reachedAt, entryId).run();
  }
  if (ties.joinedAt !== undefined) {
    await env.DB.prepare("UPDATE entries SET created_at = ? WHERE id = ?").bind(ties.joinedAt, entryId).run();
  }
}

/** Entries with no points, written straight to D1 (fast, for page tests):
 * joined a second apart from `start`. */
export async function seedEntries(app: TestApp, n: number, start = Date.UTC(2026, 0, 1)) {
  const statements = [];
  for (let i = 0; i < n; i++) {
    const id = `en_seed_${app.contestId}_${String(i).padStart(5, "0")}`;
    statements.push(
      env.DB.prepare(
        "INSERT INTO entries (id, contest_id, email, email_display, name, referral_code, created_at) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)",
      ).bind(id, app.contestId, `seed${i}@example.com`, `Seed Person${i}`, `SEED${i}X`, new Date(start + i * 1000).toISOString()),
    );
  }
  await env.DB.batch(statements);
}

export async function adjust(app: TestApp, entryId: string, points: number) {
  const r = await app.post(`/api/v1/entries/${entryId}/adjust-points`, { points, reason: "test" });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

/** An endpoint listening for the contest events (so they are written). */
let hooks = 0;
/** An endpoint listening for the contest events (so they are written);
 * answers its receiver name (test/api/receiver.ts logs what it receives). */
export async function listenToContestEvents(app: TestApp) {
  const name = `c${Date.now().toString(36)}${(hooks++).toString(36)}`;
  const r = await app.post("/api/v1/webhook-endpoints", {
    url: `${RECEIVER}/hooks/ok/${name}`,
    events: ["contest.ended", "contest.finalized"],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return name;
}

/** The bodies the receiver `name` got, once it got `n`. */
export async function delivered(name: string, n: number): Promise<Json[]> {
  return vi.waitFor(
    async () => {
      const got: { body: string }[] = await (await fetch(`${RECEIVER}/log/${name}`)).json();
      expect(got.length).toBeGreaterThanOrEqual(n);
      return got.map((r) => JSON.parse(r.body));
    },
    { timeout: 10_000, interval: 50 },
  );
}

export async function eventsOf(contestId: string) {
  const { results } = await env.DB.prepare(
    "SELECT type, created_at FROM webhook_events WHERE subject_id = ? ORDER BY created_at",
  )
    .bind(contestId)
    .all<{ type: string; created_at: string }>();
  return results.map((r) => r.type);
}

/** Waits until the contest is finalized (the FINALIZE queue goes on with it). */
export async function finalizedAt(app: TestApp): Promise<string> {
  return vi.waitFor(
    async () => {
      const r = await app.get(`/api/v1/contests/${app.contestId}`);
      expect(r.body.data.finalizedAt).toBeTruthy();
      return r.body.data.finalizedAt as string;
    },
    { timeout: 15_000, interval: 100 },
  );
}
