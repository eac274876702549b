// Every write route, given a malformed body, answers a JSON 400 in the error
// envelope and writes nothing. The routes come from the served OpenAPI document,
// so a new route is swept as soon as it is documented.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, TestApp } from "./app";
import { stripeSignature } from "./stripe";

/** This account's rows, table by table (other spec files write to the same D1).
 * The admin route's refusal to create an account is covered in accounts.spec.ts. */
async function rowCounts(accountId: string) {
  const inContest = "contest_id IN (SELECT id FROM contests WHERE account_id = ?1)";
  const queries: Record<string, string> = {
    api_keys: "SELECT COUNT(*) AS n FROM api_keys WHERE account_id = ?1",
    contests: "SELECT COUNT(*) AS n FROM contests WHERE account_id = ?1",
    entries: `SELECT COUNT(*) AS n FROM entries WHERE ${inContest}`,
    bonus_actions: `SELECT COUNT(*) AS n FROM bonus_actions WHERE ${inContest}`,
    bonus_completions: `SELECT COUNT(*) AS n FROM bonus_completions WHERE entry_id IN (SELECT id FROM entries WHERE ${inContest})`,
    purchases: `SELECT COUNT(*) AS n FROM purchases WHERE ${inContest}`,
    visits: `SELECT COUNT(*) AS n FROM visits WHERE ${inContest}`,
    ledger: `SELECT COUNT(*) AS n FROM ledger WHERE ${inContest}`,
    rewards: `SELECT COUNT(*) AS n FROM rewards WHERE ${inContest}`,
    refunds: `SELECT COUNT(*) AS n FROM refunds WHERE ${inContest}`,
    confirmed: `SELECT COUNT(*) AS n FROM ledger WHERE status = 'confirmed' AND ${inContest}`,
    verified: `SELECT COUNT(*) AS n FROM purchases WHERE status = 'verified' AND ${inContest}`,
    prizes: `SELECT COUNT(*) AS n FROM prizes WHERE ${inContest}`,
    prize_awards: `SELECT COUNT(*) AS n FROM prize_awards WHERE status = 'waiting' AND ${inContest}`,
    prize_codes: `SELECT COUNT(*) AS n FROM prize_codes WHERE prize_id IN (SELECT id FROM prizes WHERE ${inContest})`,
  };
  const counts: Record<string, number> = {};
  for (const [table, sql] of Object.entries(queries)) {
    const stmt = env.DB.prepare(sql);
    counts[table] = (await stmt.bind(accountId).first<{ n: number }>())!.n;
  }
  return counts;
}

describe("malformed bodies on every write route", () => {
  it("are 400s with the error envelope, and change no row", async () => {
    const app = await TestApp.create({ stripeWebhookSecret: "whsec_sweep" });
    const entry = await app.addEntry("sweep@example.com");
    const action = await app.addBonusAction({ action: "a", description: "d", points: 1, confirmationType: "auto" });
    const keys = (await app.get("/api/v1/api-keys")).body.data;
    // A points milestone the purchase below earns (prizes, issue 24).
    const prizeBody = { name: "p", kind: "milestone", threshold: { points: 1 }, fulfilment: { type: "code" } };
    const prize = (await app.post(`/api/v1/contests/${app.contestId}/prizes`, prizeBody)).body.data;
    const bought = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "sweep@example.com", orderId: "s1", amount: 5 });
    const award = (await app.get(`/api/v1/contests/${app.contestId}/awards`)).body.data[0];
    const prizeAward = (await app.get(`/api/v1/contests/${app.contestId}/prize-awards`)).body.data[0];
    const ids: Record<string, string> = {
      contestId: app.contestId,
      entryId: entry.id,
      bonusActionId: action.id,
      keyId: keys.find((k: any) => k.type === "public").id,
      purchaseId: bought.body.data.purchaseId,
      awardId: String(award.id),
      prizeId: prize.id,
      prizeAwardId: prizeAward.id,
    };
    const doc = (await (await SELF.fetch("https://rocket.test/api/openapi.json")).json()) as any;
    const writes: [string, string][] = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const method of ["post", "patch"]) {
        if (ops[method]?.requestBody) writes.push([method.toUpperCase(), path]);
      }
    }
    expect(writes.length).toBeGreaterThan(20);
    const before = await rowCounts(app.accountId);
    const malformed = '{"unterminated": ';
    // Stripe's body is read only once its signature holds: sign the malformed one.
    const signature = await stripeSignature(malformed, "whsec_sweep");
    for (const [method, template] of writes) {
      const path = template.replace(/\{(\w+)\}/g, (_, name) => ids[name]);
      const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}`, "stripe-signature": signature };
      const r = await call(method, path, { key: app.privateKey, raw: malformed, headers });
      expect(r.status, `${method} ${template}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.success, `${method} ${template}`).toBe(false);
      expect(typeof r.body.error).toBe("string");
    }
    expect(await rowCounts(app.accountId)).toEqual(before);
  });
});
