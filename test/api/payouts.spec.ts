// Payouts (issue 24): the payout files (PayPal, Wise, generic) of what each
// entry is owed, their parts, and recording payouts (idempotent by reference,
// never paying a balance twice).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Json, type Reply, TestApp } from "./app";
import { RECEIVER } from "./receiver";

const CAMPAIGN = {
  name: "Spring Rewards",
  referrerReward: 20,
  refereeReward: 5,
  rewardCurrency: "EUR",
  rewardType: "Monetary",
};

type Format = "paypal" | "wise" | "generic";

async function entryId(app: TestApp, email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM entries WHERE contest_id = ? AND email = ?").bind(app.contestId, email).first<{ id: string }>();
  if (!row) throw new Error(`no entry ${email}`);
  return row.id;
}

/** John (named) referred Amy, who qualified: John is owed 20, Amy 5. Ben,
 * also referred by John, is owed 5 until disqualified. */
async function owedApp() {
  const app = await TestApp.create(CAMPAIGN);
  const add = (body: Json) => app.post("/api/v1/addParticipant", { id: app.contestId, ...body });
  const john = await add({ email: "john@example.com", firstName: "John", lastName: "Doe" });
  expect(john.status).toBe(200);
  await add({ email: "amy@example.com", referredByCode: john.body.referralCode });
  await add({ email: "ben@example.com", referredByCode: john.body.referralCode });
  expect((await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "amy@example.com", amount: 10 })).status).toBe(200);
  const ids = {
    john: await entryId(app, "john@example.com"),
    amy: await entryId(app, "amy@example.com"),
    ben: await entryId(app, "ben@example.com"),
  };
  return { app, ids };
}

function exportPath(app: TestApp, format: Format, extra = "") {
  return `/api/v1/contests/${app.contestId}/export/payouts.csv?format=${format}${extra}`;
}

async function download(app: TestApp, format: Format, extra = ""): Promise<{ text: string; reply: Reply }> {
  const reply = await call("GET", exportPath(app, format, extra), { key: app.privateKey });
  expect(reply.status, String(reply.body).slice(0, 300)).toBe(200);
  expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  return { text: typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body), reply };
}

function payout(app: TestApp, body: Json, key = app.privateKey) {
  return app.post(`/api/v1/contests/${app.contestId}/payouts`, body, key);
}

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

describe("payouts export", () => {
  it("writes each format's exact bytes: balances less redemptions, disqualified entries left out", async () => {
    const { app, ids } = await owedApp();
    // John redeems 7.50 of his 20 through Referral Rocket; Ben is disqualified.
    expect((await app.post("/api/v1/redeemReward", { id: app.contestId, email: "john@example.com", amount: 7.5 })).status).toBe(201);
    expect((await app.post(`/api/v1/entries/${ids.ben}/disqualify`, { reason: "fake" })).status).toBe(200);

    const rows = byId([
      { id: ids.john, email: "john@example.com", name: "John Doe", amount: "12.50" },
      { id: ids.amy, email: "amy@example.com", name: "", amount: "5.00" },
    ]);
    const paypal = await download(app, "paypal");
    expect(paypal.text).toBe(rows.map((r) => `${r.email},${r.amount},EUR,${r.id},Rewards from Spring Rewards,PAYPAL\r\n`).join(""));
    expect(paypal.reply.headers.get("x-total-parts")).toBe("1");
    expect(paypal.reply.headers.get("x-total-count")).toBe("2");
    expect(paypal.reply.headers.get("content-disposition")).toBe(`attachment; filename="payouts-paypal-${app.contestId}-1.csv"`);

    const wise = await download(app, "wise", "&currency=eur");
    expect(wise.text).toBe(
      "name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency\r\n" +
        rows.map((r) => `${r.name || r.email},${r.email},${r.id},PRIVATE,target,${r.amount},EUR,EUR\r\n`).join(""),
    );
    const generic = await download(app, "generic", "&currency=EUR&part=1");
    expect(generic.text).toBe("entryId,email,name,amount,currency\r\n" + rows.map((r) => `${r.id},${r.email},${r.name},${r.amount},EUR\r\n`).join(""));
  });

  it("makes names inert and uses the currency's minor units", async () => {
    const app = await TestApp.create({ ...CAMPAIGN, rewardCurrency: "JPY", referrerReward: 1500 });
    const add = (body: Json) => app.post("/api/v1/addParticipant", { id: app.contestId, ...body });
    const evil = await add({ email: "evil@example.com", firstName: "=HYPERLINK(\"http://x\")" });
    await add({ email: "f@example.com", referredByCode: evil.body.referralCode });
    await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "f@example.com", amount: 1 });
    const [e, f] = [await entryId(app, "evil@example.com"), await entryId(app, "f@example.com")];
    const { text } = await download(app, "generic");
    const lines = byId([
      { id: e, line: `${e},evil@example.com,"'=HYPERLINK(""http://x"")",1500,JPY\r\n` },
      { id: f, line: `${f},f@example.com,,5,JPY\r\n` },
    ]);
    expect(text).toBe("entryId,email,name,amount,currency\r\n" + lines.map((l) => l.line).join(""));
  });

  it("refuses another currency, an unknown format and part, and keys that are not private", async () => {
    const { app } = await owedApp();
    expectError(await call("GET", exportPath(app, "paypal", "&currency=USD"), { key: app.privateKey }), 409, "currency must be the contest's rewardCurrency (EUR)");
    expectError(await call("GET", `/api/v1/contests/${app.contestId}/export/payouts.csv?format=venmo`, { key: app.privateKey }), 400, /format must be/);
    expectError(await call("GET", `/api/v1/contests/${app.contestId}/export/payouts.csv`, { key: app.privateKey }), 400, /format must be/);
    expectError(await call("GET", exportPath(app, "paypal", "&part=0"), { key: app.privateKey }), 400, /part must be/);
    expectError(await call("GET", exportPath(app, "paypal", "&part=2"), { key: app.privateKey }), 404, "No such part: the file has 1 part(s)");
    expectError(await call("GET", exportPath(app, "paypal"), { key: app.publicKey }), 403);
    expectError(await call("GET", exportPath(app, "paypal")), 401);
    const other = await TestApp.create();
    expectError(await call("GET", exportPath(app, "paypal"), { key: other.privateKey }), 404);
  });

  it("splits 5,001 owed entries into parts of 5,000 (PayPal) and 1,000 (Wise); a payout of 5,000 ids", async () => {
    const app = await TestApp.create(CAMPAIGN);
    // 5,001 entries owed 1.25 each, written directly (ids long enough that 5,000 make a body over 64 KiB).
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)
       INSERT INTO entries (id, contest_id, email, email_display, referral_code, created_at)
       SELECT printf('en_payout_bulk_%05d', i), ?1, 'p' || i || '@example.com', 'p' || i || '@example.com', 'PAY' || i,
              '2099-01-01T00:00:00.000Z' FROM n`,
    )
      .bind(app.contestId)
      .run();
    await env.DB.prepare(
      `INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, created_at)
       SELECT id, contest_id, 'referral', 'earned', 1.25, 'seed', '2099-01-01T00:00:00.000Z' FROM entries WHERE contest_id = ?1`,
    )
      .bind(app.contestId)
      .run();
    const lines = (t: string) => t.split("\r\n").filter((l) => l !== "");
    const first = await download(app, "paypal");
    expect(first.reply.headers.get("x-total-parts")).toBe("2");
    expect(first.reply.headers.get("x-total-count")).toBe("5001");
    const part1 = lines(first.text);
    expect(part1).toHaveLength(5000);
    expect(part1[0]).toBe("p1@example.com,1.25,EUR,en_payout_bulk_00001,Rewards from Spring Rewards,PAYPAL");
    expect(part1[4999]).toContain(",en_payout_bulk_05000,");
    const second = await download(app, "paypal", "&part=2");
    expect(lines(second.text)).toEqual(["p5001@example.com,1.25,EUR,en_payout_bulk_05001,Rewards from Spring Rewards,PAYPAL"]);
    expectError(await call("GET", exportPath(app, "paypal", "&part=3"), { key: app.privateKey }), 404);
    const wise = await download(app, "wise", "&part=6");
    expect(wise.reply.headers.get("x-total-parts")).toBe("6");
    expect(lines(wise.text)).toHaveLength(2); // header + the 5,001st

    const ids = Array.from({ length: 5000 }, (_, i) => `en_payout_bulk_${String(i + 1).padStart(5, "0")}`);
    const paid = await payout(app, { reference: "bulk-1", entryIds: ids, currency: "EUR" });
    expect(paid.status, JSON.stringify(paid.body).slice(0, 300)).toBe(200);
    expect(paid.body.data.paid).toHaveLength(5000);
    expect(paid.body.data.total).toBe(6250);
    const after = await download(app, "paypal");
    expect(after.reply.headers.get("x-total-parts")).toBe("1");
    expect(lines(after.text)).toEqual(["p5001@example.com,1.25,EUR,en_payout_bulk_05001,Rewards from Spring Rewards,PAYPAL"]);
  }, 60_000);
});

describe("recording payouts", () => {
  it("pays balances to 0 on both sides, skips what is not owed, and the export then omits them", async () => {
    const { app, ids } = await owedApp();
    // Amy is owed on the referee side (5) only; John on the referral side (20).
    await app.post(`/api/v1/entries/${ids.ben}/disqualify`, { reason: "fake" });
    const r = await payout(app, { reference: "2026-12", entryIds: [ids.john, ids.amy, ids.amy, ids.ben, "en_nobody"], currency: "eur" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toEqual({
      reference: "2026-12",
      currency: "EUR",
      paid: byId([{ id: ids.john, amount: 20 }, { id: ids.amy, amount: 5 }]).map((p) => ({ entryId: p.id, amount: p.amount })),
      skipped: [ids.ben, "en_nobody"],
      total: 25,
      paidAt: expect.any(String),
      replayed: false,
    });
    const rows = await env.DB.prepare("SELECT entry_id, side, amount, ref_id FROM rewards WHERE kind = 'redeemed' AND contest_id = ? ORDER BY entry_id")
      .bind(app.contestId)
      .all();
    expect(byId(rows.results.map((w: Json) => ({ ...w, id: w.entry_id })))).toEqual(
      byId([
        { id: ids.john, entry_id: ids.john, side: "referral", amount: -20, ref_id: "payout:2026-12" },
        { id: ids.amy, entry_id: ids.amy, side: "referee", amount: -5, ref_id: "payout:2026-12" },
      ]),
    );
    const john = await app.get(`/api/v1/getParticipant?id=${app.contestId}&email=john%40example.com`);
    expect(john.body).toMatchObject({ referralBalance: 0, referralRewardsRedeemed: 20, refereeBalance: 0 });
    expectError(await app.post("/api/v1/redeemReward", { id: app.contestId, email: "amy@example.com", amount: 1, type: "referee" }), 409);
    const { text, reply } = await download(app, "paypal");
    expect(text).toBe("");
    expect(reply.headers.get("x-total-count")).toBe("0");
    expect((await download(app, "generic")).text).toBe("entryId,email,name,amount,currency\r\n");
  });

  it("is idempotent by reference: a retry answers the first result and writes nothing", async () => {
    const { app, ids } = await owedApp();
    const body = { reference: "batch#7", entryIds: [ids.john, ids.amy], currency: "EUR" };
    const first = await payout(app, body);
    expect(first.body.data).toMatchObject({ total: 25, replayed: false });
    const rowsBefore = await count("SELECT COUNT(*) AS n FROM rewards WHERE contest_id = ?", app.contestId);
    // More is earned after the payout: the retry still pays nothing more.
    await app.post("/api/v1/qualifyParticipant", { id: app.contestId, email: "ben@example.com", amount: 1 });
    const retries = await Promise.all([payout(app, body), payout(app, body)]);
    for (const r of retries) {
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual({ ...first.body.data, replayed: true });
    }
    expect(await count("SELECT COUNT(*) AS n FROM rewards WHERE contest_id = ?", app.contestId)).toBe(rowsBefore + 1);
    // John's new 20 is owed; a new reference pays it.
    const next = await payout(app, { ...body, reference: "batch#8" });
    expect(next.body.data.paid).toEqual([{ entryId: ids.john, amount: 20 }]);
    expect(next.body.data.skipped).toEqual([ids.amy]);
  });

  it("two payouts at once with different references over the same entries pay once in total", async () => {
    const { app, ids } = await owedApp();
    const entryIds = [ids.john, ids.amy, ids.ben];
    const [a, b] = await Promise.all([
      payout(app, { reference: "race-a", entryIds, currency: "EUR" }),
      payout(app, { reference: "race-b", entryIds, currency: "EUR" }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.data.total + b.body.data.total).toBe(30);
    expect(a.body.data.paid.length + b.body.data.paid.length).toBe(3);
    expect(a.body.data.skipped.length + b.body.data.skipped.length).toBe(3);
    const paid = await env.DB.prepare("SELECT -SUM(amount) AS n FROM rewards WHERE contest_id = ? AND kind = 'redeemed'").bind(app.contestId).first<{ n: number }>();
    expect(paid?.n).toBe(30);
  });

  it("counts prize credits, and writes a reward.redeemed event per redemption row", async () => {
    const { app, ids } = await owedApp();
    // A credit prize's row, as the prize triggers write it (referral side, earned, `prize:<awardId>`).
    await env.DB.prepare(
      "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, created_at) VALUES (?, ?, 'referral', 'earned', 2.5, 'prize:pa_test', '2099-01-01T00:00:00.000Z')",
    )
      .bind(ids.amy, app.contestId)
      .run();
    const generic = await download(app, "generic");
    expect(generic.text).toContain(`${ids.amy},amy@example.com,,7.50,EUR\r\n`);
    const ep = await app.post("/api/v1/webhook-endpoints", { url: `${RECEIVER}/hooks/ok/payouts-${app.contestId}`, events: ["reward.redeemed"] });
    expect(ep.status, JSON.stringify(ep.body)).toBe(201);
    const r = await payout(app, { reference: "with-events", entryIds: [ids.amy, ids.john], currency: "EUR" });
    expect(r.body.data.paid).toEqual(byId([{ id: ids.john, amount: 20 }, { id: ids.amy, amount: 7.5 }]).map((p) => ({ entryId: p.id, amount: p.amount })));
    // Amy: a referee row (5) and a referral row (2.50); John: a referral row (20).
    const rows = await env.DB.prepare("SELECT CAST(id AS TEXT) AS id FROM rewards WHERE contest_id = ? AND kind = 'redeemed' ORDER BY id").bind(app.contestId).all<{ id: string }>();
    expect(rows.results).toHaveLength(3);
    const events = await env.DB.prepare("SELECT subject_id FROM webhook_events WHERE account_id = ? AND type = 'reward.redeemed' ORDER BY subject_id")
      .bind(app.accountId)
      .all<{ subject_id: string }>();
    expect(events.results.map((e) => e.subject_id).sort()).toEqual(rows.results.map((w) => w.id).sort());
    // The retry writes no event.
    await payout(app, { reference: "with-events", entryIds: [ids.amy, ids.john], currency: "EUR" });
    expect(await count("SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ? AND type = 'reward.redeemed'", app.accountId)).toBe(3);
  });

  it("an erased entry is owed nothing here: left out of the file and skipped by a payout", async () => {
    const { app, ids } = await owedApp();
    expect((await app.del(`/api/v1/entries/${ids.amy}`)).status).toBe(200);
    const { text } = await download(app, "generic");
    const lines = [`${ids.john},john@example.com,John Doe,20.00,EUR\r\n`, `${ids.ben},ben@example.com,,5.00,EUR\r\n`].sort();
    expect(text).toBe("entryId,email,name,amount,currency\r\n" + lines.join(""));
    const r = await payout(app, { reference: "after-erasure", entryIds: [ids.amy], currency: "EUR" });
    expect(r.body.data).toMatchObject({ paid: [], skipped: [ids.amy], total: 0 });
  });

  it("refuses another currency, a bad reference or id list, and keys that are not private", async () => {
    const { app, ids } = await owedApp();
    const ok = { reference: "r1", entryIds: [ids.john], currency: "EUR" };
    expectError(await payout(app, { ...ok, currency: "USD" }), 409, "currency must be the contest's rewardCurrency (EUR)");
    expectError(await payout(app, { ...ok, currency: undefined }), 400, "currency is required");
    expectError(await payout(app, { ...ok, reference: "" }), 400, /reference must be/);
    expectError(await payout(app, { ...ok, reference: "two words" }), 400, /reference must be/);
    expectError(await payout(app, { ...ok, reference: "x".repeat(101) }), 400, /reference must be/);
    expectError(await payout(app, { ...ok, entryIds: [] }), 400, /entryIds must list/);
    expectError(await payout(app, { ...ok, entryIds: Array.from({ length: 5001 }, (_, i) => `en_${i}`) }), 400, /entryIds must list/);
    expectError(await payout(app, { ...ok, extra: 1 }), 400);
    expectError(await payout(app, ok, app.publicKey), 403);
    expectError(await call("POST", `/api/v1/contests/${app.contestId}/payouts`, { body: ok }), 401);
    expect(await count("SELECT COUNT(*) AS n FROM rewards WHERE contest_id = ? AND kind = 'redeemed'", app.contestId)).toBe(0);
  });
});
