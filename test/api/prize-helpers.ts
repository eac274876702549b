// Helpers of the prize specs (issue 24): prizes, codes, awards and the
// participant token reads, on top of the TestApp.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { call, type Json, type Reply, TestApp } from "./app";

/** Creates a prize of the app's contest; answers it. */
export async function addPrize(app: TestApp, fields: Json): Promise<Json> {
  const r = await app.post(`/api/v1/contests/${app.contestId}/prizes`, { name: "Prize", fulfilment: { type: "manual" }, ...fields });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data;
}

/** A milestone of `n` confirmed referrals (fulfilment and more in `extra`). */
export function referralsMilestone(app: TestApp, n: number, extra: Json = {}) {
  return addPrize(app, { name: `${n} referrals`, kind: "milestone", threshold: { referrals: n }, ...extra });
}

export async function uploadCodes(app: TestApp, prizeId: string, codes: string[]): Promise<Json> {
  const r = await app.post(`/api/v1/prizes/${prizeId}/codes`, { codes });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data;
}

/** Every award of the contest (first 100), optionally filtered. */
export async function awardsOf(app: TestApp, query = ""): Promise<Json[]> {
  const r = await app.get(`/api/v1/contests/${app.contestId}/prize-awards?limit=100${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data;
}

/** `n` friends referred through the v1 API by `advocate` (confirmed at once). */
export async function referFriends(app: TestApp, advocate: Json, n: number, prefix = "friend") {
  for (let i = 0; i < n; i++) await app.addEntry(`${prefix}${i}@example.com`, { referralCode: advocate.referralCode });
}

/** A participant token of the entry (private key mints it). */
export async function tokenOf(app: TestApp, entryId: string): Promise<string> {
  const r = await app.post(`/api/v1/entries/${entryId}/token`, {});
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.token;
}

/** A GET with a participant token. */
export function asParticipant(path: string, token: string): Promise<Reply> {
  return call("GET", path, { headers: { authorization: `Bearer ${token}` } });
}

/** The rewards rows a prize award wrote (its credit and a void's reversal). */
export async function prizeRewards(awardId: string) {
  const { results } = await env.DB.prepare(
    "SELECT kind, amount, ref_id FROM rewards WHERE ref_id IN (?1, ?2) ORDER BY id",
  )
    .bind(`prize:${awardId}`, `prize-void:${awardId}`)
    .all<{ kind: string; amount: number; ref_id: string }>();
  return results;
}

/** Distinct codes held by awards of the prize, straight from D1. */
export async function codesHeld(prizeId: string) {
  const { results } = await env.DB.prepare("SELECT code, award_id FROM prize_codes WHERE prize_id = ? AND award_id IS NOT NULL")
    .bind(prizeId)
    .all<{ code: string; award_id: string }>();
  return results;
}
