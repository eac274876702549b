// First-party mode: the worker under /rt/ on the customer's own domain. The
// API answers there as anywhere; a visit called from the page's own origin
// sets the referral cookie from the server; the tracker's files are served
// and nothing else of the site.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, count, expectError, settled, TestApp, type Reply } from "./app";
import { checkContract } from "./contract";

/** A request under the prefix, as a page at `origin` makes it (its Origin
 * header); checked against the contract of the path without the prefix. */
async function firstParty(
  method: string,
  url: string,
  opts: { body?: unknown; origin?: string | null; ip?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "text/plain;charset=UTF-8" };
  const origin = opts.origin === undefined ? new URL(url).origin : opts.origin;
  if (origin !== null) headers.origin = origin;
  if (opts.ip) headers["CF-Connecting-IP"] = opts.ip;
  const res = await SELF.fetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const unprefixed = new URL(url);
  unprefixed.pathname = unprefixed.pathname.replace(/^\/rt\//, "/");
  await checkContract(method, unprefixed.href, res.status, res.headers, text);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

async function advocate() {
  const app = await TestApp.create();
  const ada = await app.addEntry("ada@example.com");
  return { app, code: ada.referralCode as string, entryId: ada.id as string };
}

const visitBody = (app: TestApp, code: string, extra: object = {}) => ({ referralCode: code, contestId: app.contestId, ...extra });

describe("first-party mode (/rt/ on the site's domain)", () => {
  it("a visit from the page's own origin is answered with the referral cookie on the registrable domain", async () => {
    const { app, code, entryId } = await advocate();
    const r = await firstParty("POST", "https://www.shop.test/rt/api/referral/track-visit", {
      body: visitBody(app, code, { cookieDays: 90, url: "https://www.shop.test/?ref=" + code }),
      ip: "198.51.100.7",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers.get("set-cookie")).toBe(`rt_ref=${code}; Path=/; Max-Age=7776000; Domain=shop.test; SameSite=Lax; Secure`);
    // The visit itself is recorded as through /api.
    expect(await settled(() => count("SELECT COUNT(*) AS n FROM visits WHERE entry_id = ?", entryId), 1)).toBe(1);
  });

  it("without cookieDays the cookie lasts the tracker's default 60 days; over http it is not Secure; an IP address gets no Domain", async () => {
    const { app, code } = await advocate();
    const plain = await firstParty("POST", "http://app.shop.co.uk/rt/api/referral/track-visit", { body: visitBody(app, code), ip: "198.51.100.8" });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("set-cookie")).toBe(`rt_ref=${code}; Path=/; Max-Age=5184000; Domain=shop.co.uk; SameSite=Lax`);
    const ip = await firstParty("POST", "http://127.0.0.1:8787/rt/api/referral/track-visit", { body: visitBody(app, code), ip: "198.51.100.9" });
    expect(ip.status).toBe(200);
    expect(ip.headers.get("set-cookie")).toBe(`rt_ref=${code}; Path=/; Max-Age=5184000; SameSite=Lax`);
  });

  it("another origin, no Origin, or the unprefixed API: the visit is recorded and no cookie is set", async () => {
    const { app, code } = await advocate();
    const url = "https://www.shop.test/rt/api/referral/track-visit";
    for (const origin of ["https://evil.example", "http://www.shop.test", "null", null]) {
      const r = await firstParty("POST", url, { body: visitBody(app, code), origin, ip: "198.51.100.10" });
      expect(r.status, String(origin)).toBe(200);
      expect(r.headers.get("set-cookie"), String(origin)).toBeNull();
    }
    const outside = await firstParty("POST", "https://www.shop.test/api/referral/track-visit", { body: visitBody(app, code), ip: "198.51.100.11" });
    expect(outside.status).toBe(200);
    expect(outside.headers.get("set-cookie")).toBeNull();
  });

  it("a refused visit sets no cookie: unknown code, unknown contest, disqualified advocate", async () => {
    const { app, code, entryId } = await advocate();
    const url = "https://www.shop.test/rt/api/referral/track-visit";
    const unknown = await firstParty("POST", url, { body: visitBody(app, "NOPE-123") });
    expectError(unknown, 404);
    expect(unknown.headers.get("set-cookie")).toBeNull();
    const noContest = await firstParty("POST", url, { body: { referralCode: code, contestId: "ct_missing" } });
    expectError(noContest, 404);
    expect(noContest.headers.get("set-cookie")).toBeNull();
    const dq = await call("POST", `/api/v1/entries/${entryId}/disqualify`, { key: app.privateKey, body: { reason: "fraud" } });
    expect(dq.status, JSON.stringify(dq.body)).toBe(200);
    const gone = await firstParty("POST", url, { body: visitBody(app, code) });
    expectError(gone, 404);
    expect(gone.headers.get("set-cookie")).toBeNull();
  });

  it("cookieDays outside 1..400 or not a whole number is a 400, on any path; 30.0 is 30 and null is left out", async () => {
    const { app, code } = await advocate();
    const url = "https://www.shop.test/rt/api/referral/track-visit";
    const whole = await firstParty("POST", url, { body: visitBody(app, code, { cookieDays: 30.0 }), ip: "198.51.100.20" });
    expect(whole.headers.get("set-cookie")).toContain("Max-Age=2592000;");
    const none = await firstParty("POST", url, { body: visitBody(app, code, { cookieDays: null }), ip: "198.51.100.21" });
    expect(none.headers.get("set-cookie")).toContain("Max-Age=5184000;");
    for (const days of [0, 401, 1.5, -3, "30", 2 ** 40]) {
      const r = await firstParty("POST", url, { body: visitBody(app, code, { cookieDays: days }) });
      expectError(r, 400);
      expect(r.headers.get("set-cookie")).toBeNull();
    }
    expectError(await call("POST", "/api/referral/track-visit", { body: visitBody(app, code, { cookieDays: 0 }) }), 400);
  });

  it("the rest of the API answers under the prefix too", async () => {
    const { app, code } = await advocate();
    const r = await firstParty("GET", `https://www.shop.test/rt/api/referral/validate-code?code=${code}&contestId=${app.contestId}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((r.body as { valid: boolean }).valid).toBe(true);
  });

  it("serves the tracker's files under the prefix, and nothing else of the site", async () => {
    // The static file itself (SELF here is the worker alone, without the asset router in front).
    const direct = await (env as unknown as { ASSETS: Fetcher }).ASSETS.fetch("https://www.shop.test/referral-tracker.js");
    const loader = await SELF.fetch("https://www.shop.test/rt/referral-tracker.js");
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toMatch(/javascript/);
    const text = await loader.text();
    expect(text).toBe(await direct.text());
    // The loader names its wasm and script; both come from under the prefix as well.
    const wasm = /referral-tracker\.[0-9a-f]{12}\.wasm/.exec(text)?.[0];
    const script = /referral-tracker\/[0-9a-f]{12}\.js/.exec(text)?.[0];
    expect(wasm && script).toBeTruthy();
    const wasmFile = await SELF.fetch(`https://www.shop.test/rt/${wasm}`);
    expect(wasmFile.status).toBe(200);
    expect(new Uint8Array(await wasmFile.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d]));
    expect((await SELF.fetch(`https://www.shop.test/rt/${script}`)).status).toBe(200);
    for (const path of ["/rt/dashboard/", "/rt/widget.js", "/rt/index.html", "/rt/", "/rt/referral-tracker/../widget.js"]) {
      const r = await SELF.fetch(`https://www.shop.test${path}`);
      expect(r.status, path).toBe(404);
      expect((await r.json()) as object, path).toMatchObject({ success: false });
    }
    const post = await SELF.fetch("https://www.shop.test/rt/referral-tracker.js", { method: "POST" });
    expect(post.status).toBe(405);
    await post.text();
  });
});
