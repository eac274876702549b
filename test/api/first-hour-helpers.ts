// Helpers of the first-hour specs (issue 27): browser calls as the tracker and
// the widget make them, and the contest's stats and checklist.
import { expect } from "vitest";
import { call, type Json, TestApp } from "./app";

/** A keyless call from a browser at `ip` (the tracker's and the widget's). */
export function browser(path: string, body: unknown, ip = "203.0.113.27") {
  return call("POST", path, { body, headers: { "CF-Connecting-IP": ip } });
}

export function trackSignup(app: TestApp, email: string, referralCode: string, ip?: string) {
  return browser("/api/referral/track-signup", { email, contestId: app.contestId, referralCode }, ip);
}

export function trackPurchase(app: TestApp, body: Record<string, unknown>, ip?: string) {
  return browser("/api/referral/track-purchase", { contestId: app.contestId, ...body }, ip);
}

/** A purchase the owner's server reports (trusted: verified at once). */
export async function serverPurchase(app: TestApp, email: string, orderId: string, amount: number) {
  const r = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email, orderId, amount });
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  return r.body.data as Json;
}

export async function statsOf(app: TestApp, key = app.privateKey) {
  const r = await app.get(`/api/v1/contests/${app.contestId}/stats`, key);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as Json;
}

export async function checklistOf(app: TestApp) {
  const r = await app.get(`/api/v1/contests/${app.contestId}/checklist`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as Json;
}

/** The pending awards of the review list, with their details. */
export async function pendingAwards(app: TestApp) {
  const r = await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending&limit=100&detail=true`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as Json[];
}
