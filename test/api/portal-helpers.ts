// Helpers of the portal spec (issue 26, getting back to one's link).
import { env } from "cloudflare:test";
import { call, count, type Reply, type TestApp } from "./app";

/** Gives the contest a sender address (the `emailFrom` setting). */
export async function sendsFrom(app: TestApp, from = "contest@shop.example") {
  await app.setContest({ emailFrom: from });
}

/** `POST /api/referral/portal-link` from `ip`, with no key. */
export function askLink(body: Record<string, unknown>, ip: string): Promise<Reply> {
  return call("POST", "/api/referral/portal-link", { body, headers: { "CF-Connecting-IP": ip } });
}

/** The contest's queued `portal` messages (to whom, for which entry). */
export async function portalRows(app: TestApp) {
  const { results } = await env.DB.prepare(
    "SELECT entry_id, to_address, dedupe_key FROM emails WHERE contest_id = ?1 AND kind = 'portal' ORDER BY created_at",
  )
    .bind(app.contestId)
    .all<{ entry_id: string; to_address: string; dedupe_key: string }>();
  return results;
}

export const portalCount = (app: TestApp) =>
  count("SELECT COUNT(*) AS n FROM emails WHERE contest_id = ? AND kind = 'portal'", app.contestId);
