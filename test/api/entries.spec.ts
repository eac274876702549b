import { describe, expect, it } from "vitest";
import { call, count, expectError, expectLedgerConsistent, ledgerOf, TestApp } from "./app";

describe("POST /api/v1/contests/:contestId/entries", () => {
  it("201 with id and referralCode; referred signups award advocate 10 and friend 5 in the ledger", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("Ada@Example.com", { name: "Ada" });
    expect(ada.id).toMatch(/^en_/);
    expect(ada.referralCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(ada).toMatchObject({ email: "Ada@Example.com", name: "Ada", totalPoints: 0, referredBy: null, alreadyExists: false });

    const r = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "friend@example.com", referralCode: ada.referralCode });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ referredBy: ada.id, referredByCode: ada.referralCode, totalPoints: 5, pointsAwarded: { advocate: 10, friend: 5 } });
    expect((await app.entry(ada.id)).totalPoints).toBe(10);
    expect(await ledgerOf(ada.id)).toEqual([{ delta: 10, reason: "referral_advocate", ref_id: r.body.data.id }]);
    await expectLedgerConsistent(app.contestId);
  });

  it("the same email again (any case, plus-tag at a plus-addressing provider) is 200 with the existing entry and awards nothing", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const first = await app.addEntry("friend@outlook.com", { referralCode: ada.referralCode });
    const again = await app.post(`/api/v1/contests/${app.contestId}/entries`, {
      email: "FRIEND+promo@Outlook.com",
      referralCode: ada.referralCode,
    });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ id: first.id, alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 } });
    expect((await app.entry(ada.id)).totalPoints).toBe(10);
    await expectLedgerConsistent(app.contestId);
  });

  it("concurrent identical signups create one entry and award once", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "rush@example.com", referralCode: ada.referralCode }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(replies.map((r) => r.body.data.id)).size).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ? AND email = 'rush@example.com'", app.contestId)).toBe(1);
    expect(await ledgerOf(ada.id)).toHaveLength(1);
    expect((await app.entry(ada.id)).totalPoints).toBe(10);
    await expectLedgerConsistent(app.contestId);
  });

  it("refuses self-referral (case, plus-addressing, Gmail dots), disqualified or unknown referrers", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada.l@gmail.com");
    for (const email of ["ada.l@gmail.com", "ADA.L@gmail.com", "ada.l+2@Gmail.com", "a.d.a.l@googlemail.com"]) {
      const r = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email, referralCode: ada.referralCode });
      expectError(r, 409, "Self-referral is not allowed");
    }
    expectError(
      await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "x@example.com", referralCode: "NOPE1234" }),
      409,
      "Referral code not found",
    );
    await app.post(`/api/v1/entries/${ada.id}/disqualify`, {});
    expectError(
      await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "y@example.com", referralCode: ada.referralCode }),
      409,
      /disqualified/,
    );
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(1);
    expect(await ledgerOf(ada.id)).toEqual([]);
  });

  it("records nothing in a paused or ended contest, and says why", async () => {
    const app = await TestApp.create();
    await app.setContest({ status: "paused" });
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "a@example.com" }), 409, /paused/);
    await app.setContest({ status: "ended" });
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "a@example.com" }), 409, /ended/);
    await app.setContest({ status: "active", endsAt: "2020-01-01" });
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "a@example.com" }), 409, /ended/);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(0);
  });

  it("uses the contest's configured points", async () => {
    const app = await TestApp.create({ advocatePoints: 3, friendPoints: 0 });
    const ada = await app.addEntry("ada@example.com");
    const friend = await app.addEntry("f@example.com", { referralCode: ada.referralCode });
    expect(friend.totalPoints).toBe(0);
    expect((await app.entry(ada.id)).totalPoints).toBe(3);
    expect(await ledgerOf(friend.id)).toEqual([]);
  });

  it("validates the email", async () => {
    const app = await TestApp.create();
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, {}), 400, /email is required/);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "not-an-email" }), 400, /email/);
    expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: 42 }), 400, /Invalid request body/);
  });
});

describe("listing, reading and changing entries", () => {
  it("paginates in join order (default 20, max 100)", async () => {
    const app = await TestApp.create();
    for (let i = 0; i < 23; i++) await app.addEntry(`p${i}@example.com`);
    const first = await app.get(`/api/v1/contests/${app.contestId}/entries`);
    expect(first.body.pagination).toEqual({ page: 1, limit: 20, total: 23, totalPages: 2 });
    expect(first.body.data[0].email).toBe("p0@example.com");
    const second = await app.get(`/api/v1/contests/${app.contestId}/entries?page=2`);
    expect(second.body.data.map((e: any) => e.email)).toEqual(["p20@example.com", "p21@example.com", "p22@example.com"]);
    const big = await app.get(`/api/v1/contests/${app.contestId}/entries?limit=500`);
    expect(big.body.pagination.limit).toBe(100);
    const beyond = await app.get(`/api/v1/contests/${app.contestId}/entries?page=9`);
    expect(beyond.body.data).toEqual([]);
    expectError(await app.get(`/api/v1/contests/${app.contestId}/entries?page=0`), 400, /page/);
  });

  it("keyset pages with after=<entryId>: the same entries as the numbered pages in every sort, with search; no total", async () => {
    const app = await TestApp.create();
    for (let i = 0; i < 7; i++) await app.addEntry(`k${i}@example.com`, { name: i % 2 ? "odd" : "even" });
    const other = await TestApp.create();
    const stranger = await other.addEntry("stranger@example.com");
    const list = `/api/v1/contests/${app.contestId}/entries`;
    const numbered = (await app.get(`${list}?limit=100`)).body.data.map((e: any) => e.id);
    expect(numbered).toHaveLength(7);
    /** Walks the keyset pages from the first entry, `limit` at a time. */
    const walk = async (query: string, first: string) => {
      const seen = [first];
      let after: string | null = first;
      while (after) {
        const r = await app.get(`${list}?limit=3&after=${after}${query}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(Object.keys(r.body.pagination).sort()).toEqual(["after", "limit", "nextAfter"]);
        expect(r.body.pagination.after).toBe(after);
        seen.push(...r.body.data.map((e: any) => e.id));
        after = r.body.pagination.nextAfter;
        if (after) expect(after).toBe(r.body.data.at(-1).id);
      }
      return seen;
    };
    expect(await walk("", numbered[0])).toEqual(numbered);
    const newest = (await app.get(`${list}?limit=100&sort=-joined`)).body.data.map((e: any) => e.id);
    expect(await walk("&sort=-joined", newest[0])).toEqual(newest);
    const odd = (await app.get(`${list}?limit=100&q=odd`)).body.data.map((e: any) => e.id);
    expect(odd).toHaveLength(3);
    expect(await walk("&q=odd", numbered[0])).toEqual([numbered[0], ...odd]);
    // The last entry: an empty last page.
    const last = await app.get(`${list}?after=${numbered[6]}`);
    expect(last.body).toEqual({ success: true, data: [], pagination: { limit: 20, after: numbered[6], nextAfter: null } });
    // Public keys see masked emails here too.
    expect((await app.get(`${list}?after=${numbered[0]}`, app.publicKey)).body.data[0].email).toBe("k1***@example.com");
    // Every sort pages the same way: by points (most first, then join order) and by email.
    // (k3 earns referral points, so it leads by points.)
    const k3 = (await app.get(`/api/v1/entries/${numbered[3]}`)).body.data;
    await app.addEntry("z@example.com", { referralCode: k3.referralCode });
    for (const sort of ["points", "email"]) {
      const all = (await app.get(`${list}?limit=100&sort=${sort}`)).body.data.map((e: any) => e.id);
      expect(all).toHaveLength(8);
      if (sort === "points") expect(all[0]).toBe(k3.id);
      expect(await walk(`&sort=${sort}`, all[0]), sort).toEqual(all);
    }
    // `after` names the page: a page number beside it means nothing.
    expect((await app.get(`${list}?after=${numbered[0]}&page=2&limit=3`)).body.data.map((e: any) => e.id)).toEqual(numbered.slice(1, 4));
    expectError(await app.get(`${list}?after=en_nope`), 404, "Entry not found (after)");
    expectError(await app.get(`${list}?after=${stranger.id}`), 404, "Entry not found (after)");
  });

  it("the total counts every entry, also those the browser, the webhooks and concurrent signups made", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    await Promise.all(Array.from({ length: 5 }, () => app.addEntry("same@example.com")));
    const tracked = await call("POST", "/api/referral/track-signup", { body: { email: "friend@example.com", contestId: app.contestId, referralCode: ada.referralCode } });
    expect(tracked.status).toBe(200);
    const r = await app.get(`/api/v1/contests/${app.contestId}/entries`);
    expect(r.body.pagination.total).toBe(3);
    expect(r.body.pagination.total).toBe(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId));
  });

  it("searches email, name and code (case-insensitive, wildcards literal) and sorts, server-side", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada.lovelace@example.com", { name: "Ada Lovelace" });
    const bob = await app.addEntry("bob@example.org", { name: "Bob 100%_sure" });
    const cy = await app.addEntry("cy@example.com", { name: "Cy" });
    await app.post(`/api/v1/entries/${bob.id}/adjust-points`, { points: 50, reason: "top" });
    await app.post(`/api/v1/entries/${cy.id}/adjust-points`, { points: 20, reason: "second" });
    const emails = async (query: string) => {
      const r = await app.get(`/api/v1/contests/${app.contestId}/entries?${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return { emails: r.body.data.map((e: any) => e.email), total: r.body.pagination.total };
    };
    expect(await emails("q=LOVELACE")).toEqual({ emails: ["ada.lovelace@example.com"], total: 1 });
    expect(await emails("q=example.com")).toEqual({ emails: ["ada.lovelace@example.com", "cy@example.com"], total: 2 });
    expect(await emails(`q=${ada.referralCode.toLowerCase()}`)).toEqual({ emails: ["ada.lovelace@example.com"], total: 1 });
    // `%` and `_` are literal, not LIKE wildcards.
    expect(await emails("q=0%25_")).toEqual({ emails: ["bob@example.org"], total: 1 });
    expect(await emails("q=%25")).toEqual({ emails: ["bob@example.org"], total: 1 });
    expect(await emails("q=nobody")).toEqual({ emails: [], total: 0 });
    expect(await emails("q=%20%20")).toEqual({ emails: ["ada.lovelace@example.com", "bob@example.org", "cy@example.com"], total: 3 });
    expect((await emails("sort=points")).emails).toEqual(["bob@example.org", "cy@example.com", "ada.lovelace@example.com"]);
    expect((await emails("sort=-joined")).emails).toEqual(["cy@example.com", "bob@example.org", "ada.lovelace@example.com"]);
    expect((await emails("sort=email&q=example.com")).emails).toEqual(["ada.lovelace@example.com", "cy@example.com"]);
    expectError(await app.get(`/api/v1/contests/${app.contestId}/entries?sort=name`), 400, /sort/);
    expectError(await app.get(`/api/v1/contests/${app.contestId}/entries?sort=`), 400, /sort/);
    expectError(await app.get(`/api/v1/contests/${app.contestId}/entries?q=${"x".repeat(101)}`), 400, /q is longer than 100/);
  });

  it("GET and PATCH an entry; another account's entry is a 404", async () => {
    const app = await TestApp.create();
    const other = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada" });
    const bob = await app.addEntry("bob@example.com");
    const patched = await app.patch(`/api/v1/entries/${ada.id}`, { name: "Ada L." });
    expect(patched.body.data).toMatchObject({ name: "Ada L.", email: "ada@example.com" });
    expectError(await app.patch(`/api/v1/entries/${bob.id}`, { email: "ADA@example.com" }), 409, /already has an entry/);
    expectError(await other.get(`/api/v1/entries/${ada.id}`), 404, "Entry not found");
    expectError(await other.patch(`/api/v1/entries/${ada.id}`, { name: "x" }), 404, "Entry not found");
    expectError(await other.post(`/api/v1/entries/${ada.id}/disqualify`, {}), 404, "Entry not found");
  });

  it("disqualify and reinstate", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const d = await app.post(`/api/v1/entries/${ada.id}/disqualify`, { reason: "bots" });
    expect(d.body.data).toMatchObject({ status: "disqualified", disqualified: true, disqualifiedReason: "bots" });
    const r = await app.post(`/api/v1/entries/${ada.id}/reinstate`);
    expect(r.body.data).toMatchObject({ status: "active", disqualified: false });
  });

  it("adjusts points with a reason as a ledger row; an Idempotency-Key counts once", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const r = await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 7, reason: "Won the live quiz" });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ pointsAdded: 7, newTotalPoints: 7, reason: "Won the live quiz" });
    const headers = { "idempotency-key": "refund-42" };
    const replies = await Promise.all(
      [1, 2, 3].map(() => app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: -2, reason: "refund" }, app.privateKey, headers)),
    );
    expect(replies.map((x) => x.status).sort()).toEqual([200, 200, 201]);
    expect((await app.entry(ada.id)).totalPoints).toBe(5);
    const ledger = await app.get(`/api/v1/entries/${ada.id}/ledger`, app.publicKey);
    expect(ledger.body.data.entries.map((e: any) => [e.points, e.reason])).toEqual([
      [7, "adjustment"],
      [-2, "adjustment"],
    ]);
    await expectLedgerConsistent(app.contestId);
    expectError(await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 0, reason: "x" }), 400, /points/);
    expectError(await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 3 }), 400, /reason is required/);
    expectError(await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 3, reason: "x" }, app.publicKey), 403);
  });
});
