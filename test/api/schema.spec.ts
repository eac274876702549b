// Every lookup a handler makes is served by an index: no full scan on a hot path.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

// The statements themselves come from the worker: edge/src/db/query_plans.rs lists
// them from the SQL items the db modules run, and a native test keeps this file
// equal to that list (`UPDATE_HOT_QUERIES=1 cargo test -p edge hot_queries`).
import HOT_QUERIES from "../../edge/sql/hot-queries.json";

/** What this test checked when the list was kept by hand: each must still be
 * checked. Six of those were parts of bigger statements, and are planned inside
 * the statement named here (which holds the text after it). */
const BEFORE: Record<string, [string, string] | null> = {
  "key lookup": null,
  "contest by owner": null,
  "contests of an account": null,
  "entry by code": null,
  "entry by email": null,
  "referral count": ["entry by id", "(SELECT COUNT(*) FROM entries x WHERE x.referred_by_entry_id = e.id)"],
  "entries page": null,
  leaderboard: null,
  "confirmed total": [
    "recompute an entry's totals",
    "(SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'confirmed')",
  ],
  "pending total": [
    "recompute an entry's totals",
    "(SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'pending')",
  ],
  "awards of a purchase": ["recompute the entries of an order's awards", "SELECT entry_id FROM ledger WHERE reason = 'purchase'"],
  "review queue": null,
  "all awards of a contest": null,
  "ledger page of an entry": null,
  "due holds": null,
  "referrals of an advocate this hour": null,
  "purchases page": null,
  "purchases of a status": null,
  "purchase by payment intent": null,
  "refund by key": null,
  "purchase by order": null,
  completion: null,
  "completions of an entry": null,
  "referrals page": null,
  "signups from one address": null,
  "qualifying token": ["reward of a qualifying event", "EXISTS (SELECT 1 FROM entries WHERE qualified_event_id = ?8)"],
  "reward balance": ["redemption within the balance", "(SELECT COALESCE(SUM(amount), 0) FROM rewards WHERE entry_id = ?1 AND side = ?3)"],
  "actions of a contest": null,
  "visit insert (track-visit's one statement)": ["visit insert (the visits queue's consumer, one per visit)", "INSERT INTO visits"],
  "visits of a contest": ["a contest's totals (kept by triggers)", "visit_count"],
  revenue: null,
};

describe("hot queries", () => {
  it("are the worker's own, and still cover every query checked before", () => {
    const byName = new Map(HOT_QUERIES.map((q) => [q.name, q.sql]));
    expect(byName.size).toBe(HOT_QUERIES.length);
    expect(HOT_QUERIES.length).toBeGreaterThanOrEqual(Object.keys(BEFORE).length);
    for (const [name, inside] of Object.entries(BEFORE)) {
      const [carrier, part] = inside ?? [name, ""];
      expect(byName.has(carrier), `${name}: no statement named "${carrier}"`).toBe(true);
      expect(byName.get(carrier), name).toContain(part);
    }
  });
});

/** D1's plan of a statement, one detail per line. */
async function plan(sql: string): Promise<string[]> {
  const params = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...Array.from({ length: params }, () => "x"))
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** A scan of a table-valued JSON function: `json_each(w.events)` walks one endpoint's
 * `events` array (a column's value), never a table, so its `SCAN` is allowed. Only
 * these functions' virtual tables: a real table named or aliased so scans as `SCAN <name>`. */
const JSON_FUNCTION_SCAN = /^SCAN (json_each|json_tree) VIRTUAL TABLE INDEX \d+:/;

/** What is wrong with a hot statement's plan (nothing: it passes). */
function planProblems(details: string[]): string[] {
  const problems: string[] = [];
  if (!details.some((d) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|PRIMARY KEY/.test(d))) problems.push("no index");
  for (const d of details) {
    // No full scan of a table (a SELECT without FROM, `SCAN CONSTANT ROW`, is one row).
    if (/^SCAN (?!CONSTANT ROW)(?!.*USING)/.test(d) && !JSON_FUNCTION_SCAN.test(d)) problems.push(`table scan: ${d}`);
    // Ordered pages come straight from an index, not from a sort of the whole contest
    // (a GROUP BY, as revenue's per currency, may sort what it aggregates).
    if (/TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(d)) problems.push(`sort: ${d}`);
  }
  return problems;
}

describe("query plans", () => {
  for (const { name, sql } of HOT_QUERIES) {
    it(`${name} uses an index`, async () => {
      const details = await plan(sql);
      expect(planProblems(details), `${name}: ${details.join("; ")}`).toEqual([]);
    });
  }
});

describe("the plan check", () => {
  it("allows json_each's scan of a value and refuses a scan of a table", () => {
    const endpoint = "SEARCH w USING INDEX webhook_endpoints_by_account (account_id=?)";
    expect(planProblems([endpoint, "CORRELATED SCALAR SUBQUERY 2", "SCAN json_each VIRTUAL TABLE INDEX 1:"])).toEqual([]);
    expect(planProblems([endpoint, "SCAN webhook_events"])).toEqual(["table scan: SCAN webhook_events"]);
    expect(planProblems([endpoint, "SCAN json_each"])).toEqual(["table scan: SCAN json_each"]);
  });

  it("fails statements that scan a table, as D1 plans them", async () => {
    // The event inserts' own shape with an unindexed condition: the endpoints' table is scanned.
    const scansEndpoints = await plan(
      "SELECT 1 FROM webhook_endpoints w WHERE w.url = ?1 AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = ?2)",
    );
    expect(planProblems(scansEndpoints), scansEndpoints.join("; ")).toContainEqual(expect.stringMatching(/^table scan: SCAN w\b/));
    // A real table aliased as the function is still a table.
    const disguised = await plan("SELECT 1 FROM webhook_events AS json_each WHERE json_each.payload = ?1");
    expect(planProblems(disguised), disguised.join("; ")).toContainEqual(expect.stringMatching(/^table scan: SCAN json_each\b/));
  });
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
