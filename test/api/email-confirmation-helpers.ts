// Helpers of the double opt-in spec (issue 26): signups through the open join
// endpoint, the confirm link's token (minted as the worker mints it, from the
// account's secret in D1), and the link's call (redirects not followed).
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { BASE, call, type Json, type Reply, TestApp } from "./app";
import { checkContract } from "./contract";

/** A contest requiring confirmation, with a trusted (v1) advocate. */
export async function optInArena(settings: Json = {}) {
  const app = await TestApp.create({ requireEmailConfirmation: true, ...settings });
  const advocate = await app.addEntry("advocate@example.com", { name: "Ann" });
  return { app, advocate };
}

/** The widget's join from `ip` (no key): an untrusted signup. */
export async function joinAs(app: TestApp, email: string, referralCode: string | undefined, ip: string): Promise<Reply> {
  const r = await call("POST", "/api/referral/join", {
    body: { contestId: app.contestId, email, referralCode },
    headers: { "CF-Connecting-IP": ip },
  });
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  return r;
}

export interface Confirmation {
  id: string;
  email_confirmation: string | null;
  email_confirmed_at: string | null;
  confirm_by: string | null;
}

/** The entry of `email` in the contest, with its confirmation state (D1). */
export async function entryByEmail(app: TestApp, email: string): Promise<Confirmation> {
  const row = await env.DB.prepare(
    "SELECT id, email_confirmation, email_confirmed_at, confirm_by FROM entries WHERE contest_id = ? AND email = ?",
  )
    .bind(app.contestId, email)
    .first<Confirmation>();
  expect(row, email).not.toBeNull();
  return row!;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A confirm token for `entryId` expiring at `expires` (unix seconds), signed
 * with `secret` (default: the account's own, as the worker signs it). */
export async function confirmToken(app: TestApp, entryId: string, expires: number, secret?: string): Promise<string> {
  const own = await env.DB.prepare("SELECT token_secret AS s FROM accounts WHERE id = ?").bind(app.accountId).first<{ s: string }>();
  const key = secret ?? own!.s;
  return `rtc_${entryId}.${expires}.${await hmacHex(key, `confirm.${entryId}.${expires}`)}`;
}

/** The token the worker mints for the entry (it expires at its confirm_by). */
export async function linkToken(app: TestApp, entry: Confirmation): Promise<string> {
  return confirmToken(app, entry.id, Math.floor(Date.parse(entry.confirm_by!) / 1000));
}

/** Opens the confirm link (the redirect is not followed), checked against the contract. */
export async function openLink(token: string, ip = "198.18.90.1"): Promise<Reply> {
  const path = `/api/referral/confirm?token=${encodeURIComponent(token)}`;
  const res = await SELF.fetch(`${BASE}${path}`, { redirect: "manual", headers: { "CF-Connecting-IP": ip } });
  const text = await res.text();
  await checkContract("GET", path, res.status, res.headers, text);
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, headers: res.headers };
}

/** The contest's ledger rows of referral awards (D1), by entry. */
export async function referralRows(app: TestApp) {
  const { results } = await env.DB.prepare(
    "SELECT id, entry_id, reason, status, hold, after_hold FROM ledger WHERE contest_id = ? AND reason LIKE 'referral_%' ORDER BY id",
  )
    .bind(app.contestId)
    .all<{ id: number; entry_id: string; reason: string; status: string; hold: string | null; after_hold: string | null }>();
  return results;
}

/** The `confirm` messages queued for the contest (D1). */
export async function confirmEmails(app: TestApp) {
  const { results } = await env.DB.prepare(
    "SELECT entry_id, kind, to_address, status, dedupe_key FROM emails WHERE contest_id = ? AND kind = 'confirm'",
  )
    .bind(app.contestId)
    .all<{ entry_id: string; kind: string; to_address: string; status: string; dedupe_key: string }>();
  return results;
}
