// Issue 24: rank prizes decided at finalize are handed out like every other
// prize award: codes from the pool (first place first; waiting when the pool
// runs out, served by the next upload), credits to the reward balance, and
// prize.earned sent with the finalize batch (no cron needed).
import { describe, expect, it, vi } from "vitest";
import { type Json, TestApp } from "./app";
import { addPrize, awardsOf, prizeRewards, uploadCodes } from "./prize-helpers";
import { RECEIVER } from "./receiver";
import { adjust, endContest, finalize } from "./standings-helpers";

describe("rank prizes at finalize", () => {
  it("take codes in place order, wait when the pool is empty, credit the balance, and send prize.earned at once", async () => {
    const app = await TestApp.create();
    const hook = `finale${Date.now().toString(36)}`;
    const endpoint = await app.post("/api/v1/webhook-endpoints", { url: `${RECEIVER}/hooks/ok/${hook}`, events: ["prize.earned"] });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const players: Json[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await app.addEntry(`rank${i}@example.com`, { name: `Rank ${i}` });
      await adjust(app, e.id, 40 - i * 10);
      players.push(e);
    }
    const podium = await addPrize(app, { name: "Podium code", kind: "rank", ranks: { from: 1, to: 2 }, fulfilment: { type: "code" } });
    await uploadCodes(app, podium.id, ["GOLD-1"]);
    const third = await addPrize(app, {
      name: "Third place credit",
      kind: "rank",
      ranks: { from: 3, to: 3 },
      fulfilment: { type: "credit", amount: 25, currency: "USD" },
    });

    await endContest(app);
    const done = await finalize(app);
    expect(done.status, JSON.stringify(done.body)).toBe(200);

    const awards = await awardsOf(app);
    const of = (prizeId: string, rank: number) => awards.find((a) => a.prizeId === prizeId && a.rank === rank);
    expect(of(podium.id, 1)).toMatchObject({ entryId: players[0].id, status: "earned", code: "GOLD-1" });
    expect(of(podium.id, 2)).toMatchObject({ entryId: players[1].id, status: "waiting", code: null });
    const credit = of(third.id, 3);
    expect(credit).toMatchObject({ entryId: players[2].id, status: "earned", code: null });
    expect(await prizeRewards(credit!.id)).toEqual([{ kind: "earned", amount: 25, ref_id: `prize:${credit!.id}` }]);
    expect(awards.filter((a) => a.entryId === players[3].id)).toEqual([]);

    // The next upload serves the waiting place.
    await uploadCodes(app, podium.id, ["GOLD-2"]);
    expect((await awardsOf(app, `&prizeId=${podium.id}`)).find((a) => a.rank === 2)).toMatchObject({ status: "earned", code: "GOLD-2" });

    // The three prize.earned events went out with the finalize batch (the test never runs the cron).
    const earned = await vi.waitFor(
      async () => {
        const got: { body: string }[] = await (await fetch(`${RECEIVER}/log/${hook}`)).json();
        expect(got.length).toBe(3);
        return got.map((g) => JSON.parse(g.body));
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(earned.map((b) => b.type)).toEqual(["prize.earned", "prize.earned", "prize.earned"]);
    expect(earned.map((b) => b.data.entryId).sort()).toEqual([players[0].id, players[1].id, players[2].id].sort());
  });
});
