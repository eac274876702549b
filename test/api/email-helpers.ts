// Helpers of the email specs (issue 26): reading the messages the worker sent
// (the EMAIL capture of test/api/email-capture.mjs, bound in vitest.config.ts),
// turning a contest's messages on, waiting for the queue.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { Json, TestApp } from "./app";
import { turnOn } from "./email-template-helpers";

export interface SentEmail {
  from: { email: string; name: string };
  to: string[];
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  messageId: string;
}

/** Every message sent to `address` so far, oldest first. */
export function sentTo(address: string): Promise<SentEmail[]> {
  return env.EMAIL.sentTo(address);
}

/** Waits (up to `ms`) until `address` received `n` messages; answers them. */
export async function waitForMail(address: string, n = 1, ms = 10_000): Promise<SentEmail[]> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await sentTo(address);
    if (got.length >= n) return got;
    if (Date.now() > until) throw new Error(`${address} got ${got.length} of ${n} messages within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the contest has no queued message left (sent, failed...). */
export async function settled(contestId: string, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM emails WHERE contest_id = ? AND status = 'queued'")
      .bind(contestId)
      .first<{ n: number }>();
    if (row?.n === 0) return;
    if (Date.now() > until) throw new Error(`${row?.n} messages still queued after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The contest's sender (contest settings) and the messages turned on
 * (`PUT .../email-templates/:kind`), through the API. */
export async function enableEmail(app: TestApp, kinds: string[], from = "news@shop.test") {
  await app.setContest({ emailFrom: from, emailFromName: "Shop News", emailReplyTo: "help@shop.test" });
  for (const kind of kinds) await turnOn(app, kind);
}

/** The contest's messages as stored, oldest first. */
export async function emailRows(contestId: string): Promise<Json[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, kind, to_address, status, attempts, last_error, dedupe_key FROM emails WHERE contest_id = ? ORDER BY created_at, id",
  )
    .bind(contestId)
    .all<Json>();
  return results;
}

/** The one-click URL a message carries in `List-Unsubscribe`. */
export function unsubscribeUrl(mail: SentEmail): string {
  const header = mail.headers["List-Unsubscribe"];
  expect(header).toMatch(/^<https:\/\/rocket\.test\/api\/referral\/unsubscribe\?token=[^>]+>$/);
  return header.slice(1, -1);
}
