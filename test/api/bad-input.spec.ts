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
});
