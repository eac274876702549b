// Every lookup a handler makes is served by an index: no full scan on a hot path.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const HOT_QUERIES: [string, string][] = [
  ["key lookup", "SELECT id, account_id, kind FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL"],
  ["contest by owner", "SELECT * FROM contests WHERE id = ?1 AND account_id = ?2"],
  ["contests of an account", "SELECT * FROM contests WHERE account_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 20"],
  ["entry by code", "SELECT * FROM entries WHERE contest_id = ?1 AND referral_code = ?2"],
  ["entry by email", "SELECT * FROM entries WHERE contest_id = ?1 AND email = ?2"],
  ["referral count", "SELECT COUNT(*) FROM entries x WHERE x.referred_by_entry_id = ?1"],
  ["entries page", "SELECT * FROM entries e WHERE e.contest_id = ?1 ORDER BY e.created_at, e.id LIMIT 20 OFFSET 0"],
  ["leaderboard", "SELECT * FROM entries e WHERE e.contest_id = ?1 AND e.disqualified = 0 ORDER BY e.total_points DESC, e.created_at, e.id LIMIT 10"],
  ["confirmed total", "SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = ?1 AND status = 'confirmed'"],
  ["pending total", "SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = ?1 AND status = 'pending'"],
  ["awards of a purchase", "SELECT entry_id FROM ledger WHERE ref_id = ?1 AND reason = 'purchase'"],
  ["review queue", "SELECT * FROM ledger l WHERE l.contest_id = ?1 AND l.status = ?2 ORDER BY l.id DESC LIMIT 20 OFFSET 0"],
  ["all awards of a contest", "SELECT * FROM ledger l WHERE l.contest_id = ?1 ORDER BY l.id DESC LIMIT 20 OFFSET 0"],
  ["ledger page of an entry", "SELECT * FROM ledger l WHERE l.entry_id = ?1 ORDER BY l.id LIMIT 20 OFFSET 0"],
  ["due holds", "SELECT id, contest_id FROM ledger WHERE status = 'pending' AND confirm_after IS NOT NULL AND confirm_after <= ?1 AND hold IN ('review', 'velocity') ORDER BY confirm_after LIMIT 100"],
  ["referrals of an advocate this hour", "SELECT COUNT(*) FROM entries WHERE referred_by_entry_id = ?1 AND created_at >= ?2"],
  ["purchases page", "SELECT * FROM purchases p WHERE p.contest_id = ?1 ORDER BY p.created_at DESC, p.id DESC LIMIT 20 OFFSET 0"],
  ["purchases of a status", "SELECT * FROM purchases p WHERE p.contest_id = ?1 AND p.status = ?2 ORDER BY p.created_at DESC, p.id DESC LIMIT 20 OFFSET 0"],
  ["purchase by payment intent", "SELECT * FROM purchases p WHERE p.contest_id = ?1 AND p.payment_intent = ?2"],
  ["refund by key", "SELECT id FROM refunds WHERE purchase_id = ?1 AND refund_key = ?2"],
  ["purchase by order", "SELECT id FROM purchases WHERE contest_id = ?1 AND order_id = ?2"],
  ["completion", "SELECT * FROM bonus_completions WHERE entry_id = ?1 AND bonus_action_id = ?2"],
  ["completions of an entry", "SELECT bonus_action_id, status FROM bonus_completions WHERE entry_id = ?1"],
  ["referrals page", "SELECT * FROM entries e WHERE e.referred_by_entry_id = ?1 ORDER BY e.created_at, e.id LIMIT 20"],
  ["signups from one address", "SELECT COUNT(*) FROM entries WHERE contest_id = ?1 AND signup_ip_hash = ?2 AND created_at >= ?3"],
  ["qualifying token", "SELECT 1 FROM entries WHERE qualified_event_id = ?1"],
  ["reward balance", "SELECT SUM(amount) FROM rewards WHERE entry_id = ?1 AND side = ?2"],
  ["actions of a contest", "SELECT * FROM bonus_actions WHERE contest_id = ?1 AND deleted_at IS NULL ORDER BY sort_order, created_at, id"],
  [
    "visit insert (track-visit's one statement)",
    "INSERT INTO visits (id, contest_id, entry_id, url, created_at) SELECT ?1, c.id, e.id, ?4, ?5 FROM contests c JOIN entries e ON e.contest_id = c.id AND e.referral_code = ?3 AND e.disqualified = 0 WHERE c.id = ?2 AND c.status = 'active' AND (c.ends_at IS NULL OR c.ends_at > ?5)",
  ],
  ["visits of a contest", "SELECT COUNT(*) FROM visits WHERE contest_id = ?1"],
  ["revenue", "SELECT currency, COUNT(*), SUM(amount) FROM purchases WHERE contest_id = ?1 GROUP BY currency"],
];

describe("query plans", () => {
  for (const [name, sql] of HOT_QUERIES) {
    it(`${name} uses an index`, async () => {
      const params = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...Array.from({ length: params }, () => "x"))
        .all<{ detail: string }>();
      const details = results.map((r) => r.detail);
      expect(details.some((d) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|PRIMARY KEY/.test(d)), details.join("; ")).toBe(true);
      for (const d of details) {
        expect(d, `${name}: ${details.join("; ")}`).not.toMatch(/^SCAN (?!.*USING)/);
        // Ordered pages come straight from an index, not from a sort of the whole contest.
        if (/ORDER BY/.test(sql)) expect(d, `${name}: ${details.join("; ")}`).not.toMatch(/TEMP B-TREE/);
      }
    });
  }
});

describe("OpenAPI document", () => {
  it("describes the referral, v1, admin and webhook routes", async () => {
    const doc = (await (await SELF.fetch("https://rocket.test/api/openapi.json")).json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/api/v1/entries/{entryId}/bonus-actions/{bonusActionId}/complete",
      "/api/v1/contests/{contestId}/purchases",
      "/api/referral/track-signup",
      "/api/admin/accounts",
      "/api/webhooks/stripe/{contestId}",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
