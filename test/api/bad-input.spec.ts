// Bad input anywhere gets the JSON error envelope with the right status, and writes nothing.
import { describe, expect, it } from "vitest";
import { call, count, expectError, TestApp } from "./app";

describe("bad input", () => {
  it("malformed JSON, a non-object and an empty body are 400s", async () => {
    const app = await TestApp.create();
    const url = `/api/v1/contests/${app.contestId}/entries`;
    for (const raw of ["{", "not json", "", "[1,2]", "null"]) {
      const r = await call("POST", url, { key: app.privateKey, raw });
      expectError(r, 400, /Invalid request body/);
    }
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(0);
    // An array is no settings object, even where every field is optional (serde
    // alone would read `[null, null]` as the first two settings).
    const before = (await app.get(`/api/v1/contests/${app.contestId}`)).body.data;
    for (const raw of ["[null, null]", '["Renamed"]', "[]"]) {
      const r = await call("PATCH", `/api/v1/contests/${app.contestId}`, { key: app.privateKey, raw });
      expectError(r, 400, "Invalid request body: a JSON object is required");
    }
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data).toEqual(before);
  });

  it("an oversize body is a 413, by header or by length", async () => {
    const app = await TestApp.create();
    const big = JSON.stringify({ email: "a@example.com", name: "x".repeat(70_000) });
    const r = await call("POST", `/api/v1/contests/${app.contestId}/entries`, { key: app.privateKey, raw: big });
    expectError(r, 413, /too large/);
    const visit = await call("POST", "/api/referral/track-visit", { raw: big });
    expectError(visit, 413, /too large/);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(0);
  });

  it("unknown routes are 404 and wrong methods 405 with Allow, all JSON", async () => {
    const app = await TestApp.create();
    expectError(await app.get("/api/v1/nothing"), 404, "Not found");
    expectError(await app.get("/api/v1/contests/x/y/z"), 404, "Not found");
    const r = await call("PUT", `/api/v1/contests/${app.contestId}`, { key: app.privateKey, body: {} });
    expectError(r, 405, "Method not allowed");
    expect(r.headers.get("allow")).toBe("GET, PATCH");
    expectError(await call("GET", "/api/referral/track-signup"), 405);
  });

  it("over-long fields are refused with the field named", async () => {
    const app = await TestApp.create();
    const r = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "a@example.com", name: "n".repeat(201) });
    expectError(r, 400, /name is longer than 200/);
  });

  it("maxLength bounds a field as sent: blanks past the limit are not trimmed away", async () => {
    const app = await TestApp.create();
    const padded = `${" ".repeat(300)}spaced${"\u0085".repeat(300)}`;
    const r = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "a@example.com", name: padded });
    expectError(r, 400, /name is longer than 200/);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(0);
  });

  it("a number, enum or pattern parameter left blank is invalid (400), not absent", async () => {
    const app = await TestApp.create();
    for (const query of ["status=", "limit=", "page=", "status=%20"]) {
      expectError(await app.get(`/api/v1/contests/${app.contestId}/purchases?${query}`), 400, /status|limit|page/);
    }
    expectError(await app.get(`/api/v1/contests/${app.contestId}/leaderboard?limit=`), 400, /limit/);
    expectError(await app.get(`/api/v1/getAllParticipants?id=${app.contestId}&sort=`), 400, /sort/);
    expectError(await app.get(`/api/v1/getAllParticipants?id=${app.contestId}&sort=email,%20desc`), 400, /sort/);
    const ok = await app.get(`/api/v1/getAllParticipants?id=${app.contestId}&sort=email,DESC`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("endsAt takes an RFC 3339 date-time (any offset, stored as UTC) or a date, nothing else", async () => {
    const app = await TestApp.create();
    expect(await app.setContest({ endsAt: "2099-01-01T10:00:00+02:00" })).toMatchObject({ endsAt: "2099-01-01T08:00:00.000Z" });
    expect(await app.setContest({ endsAt: "2099-03-04" })).toMatchObject({ endsAt: "2099-03-04T00:00:00.000Z" });
    for (const endsAt of ["", "2099-02-30", "2099-01-01T10:00", "2099-01-01 10:00:00Z", "next week"]) {
      expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { endsAt }), 400, /endsAt/);
    }
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.endsAt).toBe("2099-03-04T00:00:00.000Z");
  });

  it("a quiz action needs its answer: 400 when created without one, 409 when a PATCH would leave it without", async () => {
    const app = await TestApp.create();
    const url = `/api/v1/contests/${app.contestId}/bonus-actions`;
    const quiz = { action: "q", description: "d", points: 1, confirmationType: "quiz" };
    expectError(await app.post(url, { ...quiz, correctAnswer: "   " }), 400, /correctAnswer is required/);
    const click = await app.addBonusAction({ action: "c", description: "d", points: 1, confirmationType: "click" });
    expectError(await app.patch(`${url}/${click.id}`, { confirmationType: "quiz" }), 409, /correctAnswer/);
    const made = await app.addBonusAction({ ...quiz, correctAnswer: "Rockets" });
    expectError(await app.patch(`${url}/${made.id}`, { correctAnswer: null }), 409, /correctAnswer/);
    const patched = await app.patch(`${url}/${click.id}`, { confirmationType: "quiz", correctAnswer: "Yes" });
    expect(patched.body.data).toMatchObject({ confirmationType: "quiz" });
  });
});
