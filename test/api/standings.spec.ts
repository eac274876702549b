// The end of a contest (issue 24): POST /end, POST /finalize (409s,
// idempotence, ties, rank prizes, pages, the queue, the cron) and the final
// standings. Prizes are rows here (their API is another part of issue 24).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, type Json, TestApp } from "./app";
import {
  addPrize,
  adjust,
  allStandings,
  awardRows,
  delivered,
  endContest,
  eventsOf,
  finalize,
  finalizedAt,
  listenToContestEvents,
  runCron,
  seedEntries,
  setTies,
  standings,
} from "./standings-helpers";

const T = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

describe("POST /api/v1/contests/:contestId/end", () => {
  it("ends the contest now, stops recording, writes contest.ended once; ending it again changes nothing", async () => {
    const app = await TestApp.create();
    await listenToContestEvents(app);
    const first = await endContest(app);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data).toMatchObject({ id: app.contestId, status: "ended", finalizing: false, finalizedAt: null });
    expect(first.body.data.endedAt).toBeTruthy();
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "late@example.com" }), 409, /ended/);
    const again = await endContest(app);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    await runCron();
    expect(await eventsOf(app.contestId)).toEqual(["contest.ended"]);
  });

  it("an endsAt that passed is an end: the cron writes contest.ended once, at the endsAt", async () => {
    const app = await TestApp.create();
    await listenToContestEvents(app);
    const endsAt = new Date(Date.now() - 60_000).toISOString();
    await app.setContest({ endsAt });
    await runCron();
    await runCron();
    expect(await eventsOf(app.contestId)).toEqual(["contest.ended"]);
    const contest = (await app.get(`/api/v1/contests/${app.contestId}`)).body.data;
    expect(contest).toMatchObject({ status: "ended", endedAt: endsAt });
    // Ended already: /end answers it unchanged.
    expect((await endContest(app)).body.data).toEqual(contest);
  });

  it("finalizing a contest whose endsAt passed before the cron noted it notes the end first", async () => {
    const app = await TestApp.create();
    await listenToContestEvents(app);
    const endsAt = new Date(Date.now() - 60_000).toISOString();
    await app.setContest({ endsAt });
    const done = await finalize(app);
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: "ended", endedAt: endsAt });
    await runCron();
    expect(await eventsOf(app.contestId)).toEqual(["contest.ended", "contest.finalized"]);
  });

  it("needs a private key of the contest's account", async () => {
    const app = await TestApp.create();
    const other = await TestApp.create();
    expectError(await endContest(app, app.publicKey), 403);
    expectError(await endContest(app, other.privateKey), 404, "Contest not found");
  });
});

describe("POST /api/v1/contests/:contestId/finalize", () => {
  it("409 while the contest is active or paused", async () => {
    const app = await TestApp.create();
    expectError(await finalize(app), 409, /has not ended/);
    await app.setContest({ status: "paused" });
    expectError(await finalize(app, { excludePending: true }), 409, /has not ended/);
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.finalizing).toBe(false);
  });

  it("409 with the count while awards are pending, unless excludePending", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await app.addEntry("bob@example.com", { referralCode: ada.referralCode });
    await endContest(app);
    const pending = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ? AND status = 'pending'")
      .bind(app.contestId)
      .first<{ n: number }>();
    expect(pending?.n).toBe(2);
    expectError(await finalize(app), 409, "Contest has 2 pending award(s): review them first, or finalize with excludePending: true");
    expectError(await finalize(app, { excludePending: "yes" }), 400);
    const done = await finalize(app, { excludePending: true });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.data).toMatchObject({ finalizing: false });
    // Pending points are left out: both rank with 0 confirmed points.
    expect((await allStandings(app)).map((s) => s.points)).toEqual([0, 0]);
  });

  it("ranks by points, then reachedAt, then join, then id; disqualified and erased entries are not ranked", async () => {
    const app = await TestApp.create();
    const add = (email: string, name: string) => app.addEntry(email, { name });
    const [top, late, early, joinedFirst, twinA, twinB, banned, erased] = await Promise.all([
      add("top@example.com", "Top Scorer"),
      add("late@example.com", "Late Reacher"),
      add("early@example.com", "Early Reacher"),
      add("first@example.com", "First Joiner"),
      add("twina@example.com", "Twin Alpha"),
      add("twinb@example.com", "Twin Beta"),
      add("banned@example.com", "Banned Person"),
      add("erased@example.com", "Erased Person"),
    ]);
    await adjust(app, top.id, 30);
    for (const e of [late, early, joinedFirst, twinA, twinB]) await adjust(app, e.id, 10);
    await adjust(app, banned.id, 100);
    await adjust(app, erased.id, 50);
    await setTies(top.id, { reachedAt: T(900), joinedAt: T(900) });
    await setTies(late.id, { reachedAt: T(200), joinedAt: T(1) });
    // early and joinedFirst reached 10 at the same time; joinedFirst joined first.
    await setTies(early.id, { reachedAt: T(100), joinedAt: T(5) });
    await setTies(joinedFirst.id, { reachedAt: T(100), joinedAt: T(4) });
    // the twins tie on everything but the id.
    await setTies(twinA.id, { reachedAt: T(300), joinedAt: T(7) });
    await setTies(twinB.id, { reachedAt: T(300), joinedAt: T(7) });
    expect((await app.post(`/api/v1/entries/${banned.id}/disqualify`, {})).status).toBe(200);
    expect((await app.del(`/api/v1/entries/${erased.id}`)).status).toBe(200);
    await endContest(app);
    expect((await finalize(app)).status).toBe(200);
    const twins = [twinA, twinB].sort((a, b) => (a.id < b.id ? -1 : 1));
    const order = [top, joinedFirst, early, late, ...twins];
    const rows = await allStandings(app);
    expect(rows.map((r) => r.entryId)).toEqual(order.map((e) => e.id));
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[0]).toEqual({ rank: 1, entryId: top.id, name: "Top Scorer", points: 30, reachedAt: T(900) });
    expect(rows[2]).toMatchObject({ name: "Early Reacher", points: 10, reachedAt: T(100) });
  });

  it("an entry with no confirmed change reached its total when it joined", async () => {
    const app = await TestApp.create();
    const never = await app.addEntry("never@example.com");
    const back = await app.addEntry("back@example.com");
    await adjust(app, back.id, 5);
    await adjust(app, back.id, -5);
    await setTies(never.id, { reachedAt: null, joinedAt: T(50) });
    await setTies(back.id, { reachedAt: T(20), joinedAt: T(10) });
    await endContest(app);
    await finalize(app);
    expect((await allStandings(app)).map((r) => [r.entryId, r.reachedAt])).toEqual([
      [back.id, T(20)],
      [never.id, T(50)],
    ]);
  });

  it("assigns rank prizes to the places from..to (within quantity), writes contest.finalized; twice changes nothing", async () => {
    const app = await TestApp.create();
    await listenToContestEvents(app);
    const entries: Json[] = [];
    for (let i = 0; i < 5; i++) {
      const e = await app.addEntry(`p${i}@example.com`, { name: `Player ${i}` });
      await adjust(app, e.id, 50 - i * 10);
      entries.push(e);
    }
    const podium = await addPrize(app, { kind: "rank", from: 1, to: 2 });
    const third = await addPrize(app, { kind: "rank", from: 3, to: 3 });
    const capped = await addPrize(app, { kind: "rank", from: 2, to: 5, quantity: 2 });
    await addPrize(app, { kind: "milestone", referrals: 3 });
    await endContest(app);
    const first = await finalize(app);
    expect(first.status).toBe(200);
    const at = first.body.data.finalizedAt;
    expect(at).toBeTruthy();
    const expected = [
      ...[1, 2].map((rank) => ({ prize_id: podium, entry_id: entries[rank - 1].id, status: "earned", rank, earned_at: at })),
      { prize_id: third, entry_id: entries[2].id, status: "earned", rank: 3, earned_at: at },
      ...[2, 3].map((rank) => ({ prize_id: capped, entry_id: entries[rank - 1].id, status: "earned", rank, earned_at: at })),
    ].sort((a, b) => (a.prize_id === b.prize_id ? a.rank - b.rank : a.prize_id < b.prize_id ? -1 : 1));
    expect(await awardRows(app.contestId)).toEqual(expected);
    // A prize added afterwards is not awarded by a second finalize.
    await addPrize(app, { kind: "rank", from: 1, to: 1 });
    const second = await finalize(app, { excludePending: true });
    expect(second.status).toBe(200);
    expect(second.body.data.finalizedAt).toBe(at);
    expect(await awardRows(app.contestId)).toEqual(expected);
    await runCron();
    expect(await eventsOf(app.contestId)).toEqual(["contest.ended", "contest.finalized"]);
  });

  it("contest.ended and contest.finalized carry the contest (public view)", async () => {
    const app = await TestApp.create();
    const hook = await listenToContestEvents(app);
    await endContest(app);
    const at = (await finalize(app)).body.data.finalizedAt;
    const bodies = await delivered(hook, 2);
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b.data]));
    expect(byType["contest.ended"]).toMatchObject({ id: app.contestId, status: "ended" });
    expect(byType["contest.finalized"]).toMatchObject({ id: app.contestId, finalizedAt: at, finalizing: false });
    expect(byType["contest.finalized"].webhookSecret).toBeUndefined();
  });

  it("writes the standings in pages: 25 entries, 10 a page, every tie rule across page edges", async () => {
    expect(env.FINALIZE_PAGE_SIZE).toBe("10");
    const app = await TestApp.create();
    await seedEntries(app, 25);
    const { results: seeded } = await env.DB.prepare("SELECT id FROM entries WHERE contest_id = ? ORDER BY id")
      .bind(app.contestId)
      .all<{ id: string }>();
    // Points for some (through the API, so the ledger agrees), and ties made
    // to straddle the page edges: 3 groups of equal points.
    const points = seeded.map((_, i) => (i % 3 === 0 ? 20 : i % 3 === 1 ? 10 : 0));
    for (const [i, e] of seeded.entries()) if (points[i]) await adjust(app, e.id, points[i]);
    for (const [i, e] of seeded.entries()) {
      await setTies(e.id, { reachedAt: points[i] ? T(100 + (i % 4)) : null, joinedAt: T(i % 5) });
    }
    await endContest(app);
    expect((await finalize(app)).status).toBe(200);
    const key = (i: number) => [-points[i], points[i] ? T(100 + (i % 4)) : T(i % 5), T(i % 5), seeded[i].id];
    const expected = seeded
      .map((_, i) => i)
      .sort((a, b) => {
        const [ka, kb] = [key(a), key(b)];
        for (let k = 0; k < 4; k++) if (ka[k] !== kb[k]) return ka[k] < kb[k] ? -1 : 1;
        return 0;
      })
      .map((i) => seeded[i].id);
    const rows = await allStandings(app);
    expect(rows.map((r) => r.entryId)).toEqual(expected);
    expect(rows.map((r) => r.rank)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const page2 = await standings(app, "?page=2&limit=10");
    expect(page2.body.pagination).toMatchObject({ page: 2, limit: 10, total: 25, totalPages: 3 });
    expect(page2.body.data.map((r: Json) => r.rank)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it("a contest larger than a request's pages answers 202 finalizing and the queue finishes it", async () => {
    const app = await TestApp.create();
    await seedEntries(app, 75);
    const top = await addPrize(app, { kind: "rank", from: 1, to: 1 });
    await endContest(app);
    const r = await finalize(app);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.data).toMatchObject({ finalizing: true, finalizedAt: null });
    expectError(await standings(app), 409, /finalizing/);
    const at = await finalizedAt(app);
    const rows = await allStandings(app);
    expect(rows.length).toBe(75);
    expect(rows.map((s) => s.rank)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    // No points: by join, the first seeded first.
    expect(rows[0].entryId).toBe(`en_seed_${app.contestId}_00000`);
    expect(await awardRows(app.contestId)).toEqual([
      { prize_id: top, entry_id: rows[0].entryId, status: "earned", rank: 1, earned_at: at },
    ]);
  });

  it("the cron goes on with a finalizing contest whose run stalled", async () => {
    const app = await TestApp.create();
    await seedEntries(app, 15);
    await endContest(app);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    // As if a run started an hour ago and its queue message was lost.
    await env.DB.prepare("UPDATE contests SET finalize_started_at = ?2, finalize_touched_at = ?2 WHERE id = ?1")
      .bind(app.contestId, past)
      .run();
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.finalizing).toBe(true);
    await runCron();
    await finalizedAt(app);
    expect((await allStandings(app)).length).toBe(15);
  });
});

describe("autoFinalizeAfterHours", () => {
  it("the cron finalizes (pending left out) once that many hours passed since the end, not before", async () => {
    const due = await TestApp.create({ referralAwards: "review", autoFinalizeAfterHours: 1 });
    expect(due.contest.autoFinalizeAfterHours).toBe(1);
    const ada = await due.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await due.addEntry("bob@example.com", { referralCode: ada.referralCode });
    await due.setContest({ endsAt: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    const early = await TestApp.create({ autoFinalizeAfterHours: 3 });
    await early.setContest({ endsAt: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    const off = await TestApp.create();
    await off.setContest({ endsAt: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    await runCron();
    const got = async (app: TestApp) => (await app.get(`/api/v1/contests/${app.contestId}`)).body.data;
    expect((await got(due)).finalizedAt).toBeTruthy();
    expect((await allStandings(due)).map((s) => s.points)).toEqual([0, 0]);
    expect((await got(early)).finalizedAt).toBeNull();
    expect((await got(off)).finalizedAt).toBeNull();
    expect((await got(early)).endedAt).toBeTruthy();
  });

  it("is validated: 0 to 8760 hours, null turns it off", async () => {
    const app = await TestApp.create();
    expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { autoFinalizeAfterHours: 8761 }), 400, /autoFinalizeAfterHours/);
    expect((await app.setContest({ autoFinalizeAfterHours: 48 })).autoFinalizeAfterHours).toBe(48);
    expect((await app.setContest({ autoFinalizeAfterHours: null })).autoFinalizeAfterHours).toBeNull();
  });
});

describe("GET /api/v1/contests/:contestId/standings", () => {
  it("409 before finalize; full names for private keys, masked for public keys and participant tokens", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada Lovelace" });
    await adjust(app, ada.id, 5);
    await app.addEntry("grace@example.com", { name: "Grace Brewster Hopper" });
    expectError(await standings(app), 409, "Contest is not finalized: finalize it first");
    await endContest(app);
    await finalize(app);
    expect((await standings(app)).body.data.map((r: Json) => r.name)).toEqual(["Ada Lovelace", "Grace Brewster Hopper"]);
    expect((await standings(app, "", app.publicKey)).body.data.map((r: Json) => r.name)).toEqual(["Ada L.", "Grace H."]);
    const token = (await app.post(`/api/v1/entries/${ada.id}/token`, {})).body.data.token;
    const asToken = await call("GET", `/api/v1/contests/${app.contestId}/standings`, { headers: { authorization: `Bearer ${token}` } });
    expect(asToken.status).toBe(200);
    expect(asToken.body.data.map((r: Json) => r.name)).toEqual(["Ada L.", "Grace H."]);
    const other = await TestApp.create();
    const stranger = await call("GET", `/api/v1/contests/${other.contestId}/standings`, { headers: { authorization: `Bearer ${token}` } });
    expectError(stranger, 404, "Contest not found");
  });
});
