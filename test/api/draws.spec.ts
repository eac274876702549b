// Draw prizes (issue 25, docs/DRAWS.md): a commitment at creation, the list
// and the beacon round at finalize, the picks once the round exists (drawn by
// the DRAWS queue from the local test chain, test/api/beacon.ts), a void
// continuing the same sequence; once only, however often it runs.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectError, type Json, TestApp } from "./app";
import { BEACON, TEST_CHAIN } from "./beacon";
import { addDraw, drawAwards, drawList, drawRecord, expectedPicks, sha256Hex, waitForDraw } from "./draw-helpers";
import { referFriends } from "./prize-helpers";
import { adjust, endContest, finalize, results, runCron } from "./standings-helpers";

/** The round the contract gives for a finalize time (delay 0 in tests). */
function roundFor(finalizedAt: string): number {
  const t = Math.floor(Date.parse(finalizedAt) / 1000);
  if (t <= TEST_CHAIN.genesis) return 1;
  return Math.ceil((t - TEST_CHAIN.genesis) / TEST_CHAIN.period) + 1;
}

async function finalized(app: TestApp): Promise<string> {
  expect((await endContest(app)).status).toBe(200);
  const r = await finalize(app);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.finalizedAt;
}

/** Entries with these points (adjusted by the owner). */
async function entriesWith(app: TestApp, points: number[]): Promise<Json[]> {
  const entries = [];
  for (const [i, p] of points.entries()) {
    const e = await app.addEntry(`p${i}@example.com`, { name: `Player Number${i}` });
    if (p !== 0) await adjust(app, e.id, p);
    entries.push(e);
  }
  return entries;
}

describe("a draw prize", () => {
  it("publishes its seed's commitment at creation, never the seed; its rule is checked", async () => {
    const app = await TestApp.create();
    const prize = await addDraw(app, { winners: 2, eligibility: { minPoints: 3 }, weighting: "equal" });
    expect(prize).toMatchObject({
      kind: "draw",
      winners: 2,
      eligibility: { minPoints: 3 },
      weighting: "equal",
      threshold: null,
      ranks: null,
      quantity: null,
    });
    expect(prize.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(prize)).not.toContain('"seed"');
    const row = await env.DB.prepare("SELECT seed, seed_commitment FROM prize_draws WHERE prize_id = ?")
      .bind(prize.id)
      .first<Json>();
    expect(row?.seed_commitment).toBe(prize.seedCommitment);
    expect(sha256Hex(Uint8Array.from(row!.seed.match(/../g).map((h: string) => parseInt(h, 16))))).toBe(prize.seedCommitment);
    // Defaults: weighting by points, no minimum.
    const plain = await addDraw(app);
    expect(plain).toMatchObject({ winners: 1, eligibility: {}, weighting: "points" });
    expect(plain.seedCommitment).not.toBe(prize.seedCommitment);
    const listed = await app.get(`/api/v1/contests/${app.contestId}/prizes`, app.publicKey);
    expect(listed.body.data.find((p: Json) => p.id === prize.id).seedCommitment).toBe(prize.seedCommitment);
    const open = await results(app.contestId);
    const record = open.body.data.prizes.find((p: Json) => p.id === prize.id).draw;
    expect(record).toMatchObject({ seedCommitment: prize.seedCommitment, seed: null, listHash: null, beacon: null, picks: [] });
    // The rule's 400s.
    const create = (body: Json) => app.post(`/api/v1/contests/${app.contestId}/prizes`, { name: "D", fulfilment: { type: "manual" }, ...body });
    expectError(await create({ kind: "draw" }), 400, /winners/);
    expectError(await create({ kind: "draw", winners: 0 }), 400, /winners/);
    expectError(await create({ kind: "draw", winners: 1001 }), 400, /winners/);
    expectError(await create({ kind: "draw", winners: 1, quantity: 2 }), 400, /quantity/);
    expectError(await create({ kind: "draw", winners: 1, threshold: { points: 2 } }), 400, /threshold/);
    expectError(await create({ kind: "draw", winners: 1, weighting: "loud" }), 400, /weighting/);
    expectError(await create({ kind: "draw", winners: 1, eligibility: { minPoints: -1 } }), 400, /eligibility|minPoints/);
    expectError(await create({ kind: "rank", ranks: { from: 1, to: 1 }, winners: 1 }), 400, /winners/);
    expectError(await create({ kind: "milestone", threshold: { points: 1 }, eligibility: {} }), 400, /eligibility/);
    // PATCH: the rule until finalizing, never another kind.
    const patched = await app.patch(`/api/v1/prizes/${prize.id}`, { winners: 3, eligibility: {} });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.data).toMatchObject({ winners: 3, eligibility: {}, weighting: "equal", seedCommitment: prize.seedCommitment });
    expectError(await app.patch(`/api/v1/prizes/${prize.id}`, { kind: "rank", ranks: { from: 1, to: 1 } }), 409, /stays a draw/);
    const rank = await app.post(`/api/v1/contests/${app.contestId}/prizes`, { name: "R", kind: "rank", ranks: { from: 1, to: 1 }, fulfilment: { type: "manual" } });
    expectError(await app.patch(`/api/v1/prizes/${rank.body.data.id}`, { kind: "draw", winners: 1 }), 409, /cannot become a draw/);
    expectError(await app.patch(`/api/v1/prizes/${rank.body.data.id}`, { winners: 1 }), 409, /winners/);
    // The list: 404 for no draw, 409 before finalize.
    expectError(await drawList("prz_nope"), 404, /not found/);
    expectError(await drawList(rank.body.data.id), 404, /not found/);
    expectError(await drawList(prize.id), 409, /not finalized/);
    await finalized(app);
    expectError(await app.patch(`/api/v1/prizes/${prize.id}`, { winners: 1 }), 409, /fixed/);
    const renamed = await app.patch(`/api/v1/prizes/${prize.id}`, { name: "Renamed draw" });
    expect(renamed.status).toBe(200);
    // A published draw stays: not deleted, even before any pick.
    expectError(await app.del(`/api/v1/prizes/${prize.id}`), 409, /published draw/);
  });

  it("is listed at finalize, drawn from the beacon round, and anyone can recompute it", async () => {
    const app = await TestApp.create();
    // 12 entries (two pages of 10 while finalizing), points 0..11: the one with 0 is left out.
    const entries = await entriesWith(app, [...Array(12).keys()]);
    const prize = await addDraw(app, { winners: 3 });
    const finalizedAt = await finalized(app);
    const listed = await drawRecord(app.contestId, prize.id);
    const list = await drawList(prize.id);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(list.headers.get("access-control-allow-origin")).toBe("*");
    const expected = entries
      .map((e, points) => ({ id: e.id as string, points }))
      .filter((e) => e.points > 0)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((e) => `${e.id}\t${e.points}\n`)
      .join("");
    expect(list.body).toBe(expected);
    expect(listed).toMatchObject({
      listHash: sha256Hex(expected),
      listUrl: expect.stringMatching(new RegExp(`/api/referral/results/${prize.id}/draw-list$`)),
      listEntries: 11,
      listWeight: "66",
      beacon: {
        chainHash: TEST_CHAIN.chainHash,
        genesis: TEST_CHAIN.genesis,
        period: 1,
        round: roundFor(finalizedAt),
      },
    });
    const drawn = await waitForDraw(app.contestId, prize.id);
    expect(sha256Hex(Uint8Array.from(drawn.seed.match(/../g).map((h: string) => parseInt(h, 16))))).toBe(prize.seedCommitment);
    expect(drawn.beacon.randomness).toBe(sha256Hex(Uint8Array.from(drawn.beacon.signature.match(/../g).map((h: string) => parseInt(h, 16)))));
    const picks = expectedPicks(expected, drawn.seed, drawn.beacon.randomness, drawn.listHash, 3);
    expect(drawn.picks.map((p: Json) => ({ k: p.k, entryId: p.entryId }))).toEqual(picks);
    expect(drawn.picks.every((p: Json) => p.voided === false && /^Player N\.$/.test(p.name))).toBe(true);
    const awards = await drawAwards(prize.id);
    expect(awards.map((a) => [a.draw_k, a.entry_id, a.status])).toEqual(picks.map((p) => [p.k, p.entryId, "earned"]));
    // The owner sees them as awards of the prize.
    const owner = await app.get(`/api/v1/contests/${app.contestId}/prize-awards?prizeId=${prize.id}`);
    expect(owner.body.data).toHaveLength(3);
  });

  it("is drawn once: finalize again, the cron and a second message change nothing", async () => {
    const app = await TestApp.create();
    await entriesWith(app, [5, 3, 0, 8]);
    const prize = await addDraw(app, { winners: 2 });
    await finalized(app);
    const first = await waitForDraw(app.contestId, prize.id);
    const again = await finalize(app);
    expect(again.status).toBe(200);
    await runCron();
    await runCron();
    // A second message for the same draw (as a redelivery would).
    await env.DRAWS.send({ draw: prize.id });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await drawRecord(app.contestId, prize.id);
    expect(after).toEqual(first);
    expect(await drawAwards(prize.id)).toHaveLength(2);
  });

  it("the cron draws a listed draw whose message was lost", async () => {
    const app = await TestApp.create();
    await entriesWith(app, [2, 4]);
    const prize = await addDraw(app, { winners: 1 });
    await finalized(app);
    const first = await waitForDraw(app.contestId, prize.id);
    // A draw listed with the same list and round but never queued (its
    // message lost): only the cron draws it.
    const lost = await addDraw(app, { winners: 1 });
    await env.DB.prepare(
      `UPDATE prize_draws SET (list_hash, list_entries, list_weight, chain_hash, beacon_round, listed_at) =
         (SELECT list_hash, list_entries, list_weight, chain_hash, beacon_round, listed_at FROM prize_draws WHERE prize_id = ?2)
       WHERE prize_id = ?1`,
    )
      .bind(lost.id, prize.id)
      .run();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await drawAwards(lost.id))).toHaveLength(0);
    await runCron();
    const drawn = await waitForDraw(app.contestId, lost.id, 1000);
    expect(drawn.picks).toHaveLength(1);
    expect(drawn.beacon).toEqual(first.beacon);
    expect(drawn.seed).not.toBe(first.seed);
  });

  it("is not drawn from a round whose signature the chain's key does not verify", async () => {
    const app = await TestApp.create();
    await entriesWith(app, [3, 6]);
    const prize = await addDraw(app, { winners: 1 });
    await fetch(`${BEACON}/forge/on`, { method: "POST" });
    try {
      await finalized(app);
      // The round comes and is answered, signed with another key: refused,
      // retried; the cron refuses it too.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await runCron();
      const row = await env.DB.prepare("SELECT drawn_at, randomness FROM prize_draws WHERE prize_id = ?").bind(prize.id).first<Json>();
      expect(row).toEqual({ drawn_at: null, randomness: null });
      expect(await drawAwards(prize.id)).toHaveLength(0);
    } finally {
      await fetch(`${BEACON}/forge/off`, { method: "POST" });
    }
    // The chain's real signature of the same round: drawn.
    await runCron();
    const drawn = await waitForDraw(app.contestId, prize.id);
    expect(drawn.picks).toHaveLength(1);
  });

  it("respects eligibility and equal weighting", async () => {
    const app = await TestApp.create();
    const [ada, grace, alan] = await entriesWith(app, [1, 50, 0]);
    await referFriends(app, ada, 2, "adafriend");
    await referFriends(app, alan, 1, "alanfriend");
    const prize = await addDraw(app, { winners: 5, eligibility: { minReferrals: 1 }, weighting: "equal" });
    const minimum = await addDraw(app, { winners: 1, eligibility: { minPoints: 1000 } });
    await finalized(app);
    // ada (2 referrals) and alan (1 referral, no points): one chance each;
    // grace (no referral) and the friends are not eligible.
    const eligible = [ada.id, alan.id].sort().map((id) => `${id}\t1\n`).join("");
    expect((await drawList(prize.id)).body).toBe(eligible);
    expect(grace).toBeDefined();
    const drawn = await waitForDraw(app.contestId, prize.id);
    // 5 winners, 2 eligible: both picked, then the list is empty.
    expect(drawn.picks.map((p: Json) => p.entryId).sort()).toEqual([ada.id, alan.id].sort());
    expect(drawn.listWeight).toBe("2");
    // Nobody reaches 1000 points: an empty list, no pick.
    expect((await drawList(minimum.id)).body).toBe("");
    const none = await waitForDraw(app.contestId, minimum.id);
    expect(none).toMatchObject({ listEntries: 0, listWeight: "0", listHash: sha256Hex(""), picks: [] });
  });

  it("voiding a pick continues the same sequence; the voided pick stays in the record", async () => {
    const app = await TestApp.create();
    await entriesWith(app, [4, 1, 7, 2, 9]);
    const prize = await addDraw(app, { winners: 2 });
    await finalized(app);
    const drawn = await waitForDraw(app.contestId, prize.id);
    const list = (await drawList(prize.id)).body as string;
    const sequence = expectedPicks(list, drawn.seed, drawn.beacon.randomness, drawn.listHash, 5);
    const [winner] = await drawAwards(prize.id);
    const voided = await app.post(`/api/v1/prize-awards/${winner.id}/void`, { reason: "did not reply" });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.data.status).toBe("void");
    expectError(await app.post(`/api/v1/prize-awards/${winner.id}/void`, { reason: "again" }), 409, /already void/);
    const after = await drawRecord(app.contestId, prize.id);
    expect(after.picks.map((p: Json) => ({ k: p.k, entryId: p.entryId }))).toEqual(sequence.slice(0, 3));
    expect(after.picks[0]).toMatchObject({ voided: true, voidReason: "did not reply", voidedAt: expect.any(String) });
    expect(after.picks[2].k).toBeGreaterThan(after.picks[1].k);
    const awards = await drawAwards(prize.id);
    expect(awards.map((a) => a.status)).toEqual(["void", "earned", "earned"]);
    // Two more voids use up the list's next places, then nothing is left to pick.
    for (const a of awards.filter((a) => a.status === "earned")) {
      expect((await app.post(`/api/v1/prize-awards/${a.id}/void`, { reason: "ineligible" })).status).toBe(200);
    }
    const final = await drawRecord(app.contestId, prize.id);
    expect(final.picks.map((p: Json) => ({ k: p.k, entryId: p.entryId }))).toEqual(sequence.slice(0, 5));
    const last = (await drawAwards(prize.id)).filter((a) => a.status === "earned");
    expect(last).toHaveLength(2);
    for (const a of last) expect((await app.post(`/api/v1/prize-awards/${a.id}/void`, { reason: "gone" })).status).toBe(200);
    expect((await drawAwards(prize.id)).every((a) => a.status === "void")).toBe(true);
  });

  it("two voids at once never leave a place unfilled nor take a step twice", async () => {
    const app = await TestApp.create();
    await entriesWith(app, [4, 1, 7, 2, 9, 3, 5]);
    const prize = await addDraw(app, { winners: 2 });
    await finalized(app);
    const drawn = await waitForDraw(app.contestId, prize.id);
    const list = (await drawList(prize.id)).body as string;
    const sequence = expectedPicks(list, drawn.seed, drawn.beacon.randomness, drawn.listHash, 7);
    const winners = await drawAwards(prize.id);
    const replies = await Promise.all(winners.map((w) => app.post(`/api/v1/prize-awards/${w.id}/void`, { reason: "at once" })));
    // Each void either applied with its refill, or was refused (409, try again) and left its pick.
    for (const r of replies) {
      if (r.status !== 200) expectError(r, 409, /moved on meanwhile/);
    }
    const voids = replies.filter((r) => r.status === 200).length;
    const awards = await drawAwards(prize.id);
    expect(awards.filter((a) => a.status === "earned")).toHaveLength(2);
    expect(awards.filter((a) => a.status === "void")).toHaveLength(voids);
    const record = await drawRecord(app.contestId, prize.id);
    expect(record.picks.map((p: Json) => ({ k: p.k, entryId: p.entryId }))).toEqual(sequence.slice(0, 2 + voids));
  });

  it("a winner disqualified after the draw is voided and the sequence fills the place", async () => {
    const app = await TestApp.create();
    await entriesWith(app, [4, 1, 7, 2, 9]);
    const prize = await addDraw(app, { winners: 2 });
    await finalized(app);
    const drawn = await waitForDraw(app.contestId, prize.id);
    const list = (await drawList(prize.id)).body as string;
    const sequence = expectedPicks(list, drawn.seed, drawn.beacon.randomness, drawn.listHash, 3);
    const r = await app.post(`/api/v1/entries/${sequence[1].entryId}/disqualify`, { reason: "fraud" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = await drawRecord(app.contestId, prize.id);
    expect(after.picks.map((p: Json) => ({ k: p.k, entryId: p.entryId }))).toEqual(sequence);
    expect(after.picks[1]).toMatchObject({ voided: true, voidReason: "disqualified" });
    expect((await drawAwards(prize.id)).filter((a) => a.status === "earned")).toHaveLength(2);
  });
});
