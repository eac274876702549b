// The owner's CSV exports: RFC 4180, a header row, every row of the contest in
// keyset pages (across page boundaries, ties on created_at included), and
// cells a spreadsheet cannot run as formulas.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, TestApp } from "./app";

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    } else cell += c;
  }
  expect(cell === "" && row.length === 0, "the file ends with CRLF").toBe(true);
  return rows;
}

async function download(app: TestApp, name: string, key = app.privateKey) {
  const r = await call("GET", `/api/v1/contests/${app.contestId}/export/${name}.csv`, { key });
  expect(r.status, String(r.body).slice(0, 200)).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(r.headers.get("content-disposition")).toBe(`attachment; filename="${name}-${app.contestId}.csv"`);
  return parseCsv(r.body as unknown as string);
}

describe("CSV exports", () => {
  it("participants: every entry across pages of 500, in join order, ties by id", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada" });
    await app.addEntry("bob@example.com", { referralCode: ada.referralCode });
    // 1,050 more, all created at the same instant: the keyset must break ties by id.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1050)
       INSERT INTO entries (id, contest_id, email, email_display, referral_code, created_at)
       SELECT printf('en_bulk%04d', i), ?1, 'p' || i || '@example.com', 'p' || i || '@example.com', 'BULK' || i,
              '2099-01-01T00:00:00.000Z' FROM n`,
    )
      .bind(app.contestId)
      .run();
    const rows = await download(app, "participants");
    expect(rows[0]).toEqual([
      "id", "email", "name", "referralCode", "referredBy", "referredByCode", "totalPoints", "pendingPoints",
      "referralCount", "status", "disqualifiedReason", "source", "fraudScore", "createdAt",
    ]);
    const body = rows.slice(1);
    expect(body).toHaveLength(1052);
    expect(new Set(body.map((r) => r[0])).size).toBe(1052);
    expect(body[0].slice(0, 4)).toEqual([ada.id, "ada@example.com", "Ada", ada.referralCode]);
    expect(body[1]).toMatchObject({ 1: "bob@example.com", 4: ada.id, 5: ada.referralCode });
    expect(body[0][8]).toBe("1");
    const bulk = body.slice(2).map((r) => r[0]);
    expect(bulk).toEqual([...bulk].sort());
    expect(bulk[0]).toBe("en_bulk0001");
    expect(bulk.at(-1)).toBe("en_bulk1050");
  });

  it("purchases and the ledger, with formulas made inert and numbers left numbers", async () => {
    const app = await TestApp.create();
    const evil = await app.addEntry("evil@example.com", { name: "=HYPERLINK(\"http://x\",\"y\")" });
    await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "evil@example.com", orderId: "+1,2\"3", amount: 12.5 });
    await app.post(`/api/v1/entries/${evil.id}/adjust-points`, { points: -3, reason: "@SUM(A1)" });

    const people = await download(app, "participants");
    expect(people[1][2]).toBe("'=HYPERLINK(\"http://x\",\"y\")");

    const purchases = await download(app, "purchases");
    expect(purchases[0]).toEqual([
      "id", "orderId", "email", "entryId", "creditedEntryId", "amount", "currency", "refundedAmount",
      "pointsAwarded", "awardStatus", "referralCode", "source", "status", "createdAt", "verifiedAt",
    ]);
    expect(purchases).toHaveLength(2);
    expect(purchases[1]).toMatchObject({ 1: "'+1,2\"3", 2: "evil@example.com", 3: evil.id, 5: "12.5", 6: "USD", 12: "verified" });

    const ledger = await download(app, "ledger");
    expect(ledger[0]).toEqual(["id", "entryId", "email", "points", "reason", "refId", "note", "status", "holdReason", "createdAt", "reviewedAt"]);
    const adjustment = ledger.find((r) => r[4] === "adjustment")!;
    expect(adjustment).toMatchObject({ 1: evil.id, 3: "-3", 6: "'@SUM(A1)", 7: "confirmed" });
  });

  it("an empty contest exports its header; private keys only; another account's contest is a 404", async () => {
    const app = await TestApp.create();
    expect(await download(app, "ledger")).toHaveLength(1);
    expectError(await call("GET", `/api/v1/contests/${app.contestId}/export/ledger.csv`, { key: app.publicKey }), 403);
    const other = await TestApp.create();
    expectError(await call("GET", `/api/v1/contests/${app.contestId}/export/purchases.csv`, { key: other.privateKey }), 404, "Contest not found");
    expectError(await call("GET", `/api/v1/contests/${app.contestId}/export/everything.csv`, { key: app.privateKey }), 404);
  });
});
