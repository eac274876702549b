// Abuse limits on the open endpoints (Rate Limiting bindings), per client
// address and contest, and on failed authentications, per address. In tests
// the limits of wrangler.toml run over 10-second windows (vitest.config.ts).
//
// The local limiter (Miniflare's) aligns its windows to the wall clock, so a
// burst that must land in one window first waits for enough of it to remain.
// The limiter's state is shared by every test of a run: each test uses its own
// addresses (198.18.1-19.x) and its own contest.
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Reply, settled, TestApp } from "./app";

const WINDOW_MS = 10_000;
/** A burst may first wait most of a window for room. */
const BURST_TIMEOUT = 30_000;
const TOO_MANY = "Too many requests: try again in a minute";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits, if needed, until at least `needMs` of the current window remain. A
 * fixed wait on purpose: the limiter's windows follow the wall clock, and no
 * request can ask it when the next one starts. */
async function roomInWindow(needMs = 6_000) {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < needMs) await sleep(left + 100);
}

/** The number of the window `Date.now()` falls in. */
const windowOf = () => Math.floor(Date.now() / WINDOW_MS);

/** A browser call (no key) from `ip`. */
function browser(method: "GET" | "POST", path: string, ip: string, body?: unknown, key?: string) {
  return call(method, path, { body, key, headers: { "CF-Connecting-IP": ip } });
}

function trackSignup(app: TestApp, ip: string, email: string, referralCode: string, key?: string) {
  return browser("POST", "/api/referral/track-signup", ip, { email, contestId: app.contestId, referralCode }, key);
}

function trackPurchase(app: TestApp, ip: string, orderId: string, referralCode: string) {
  return browser("POST", "/api/referral/track-purchase", ip, {
    email: `buyer-${orderId}@example.com`,
    contestId: app.contestId,
    orderId,
    amount: 10,
    referralCode,
  });
}

function trackVisit(app: TestApp, ip: string, referralCode: string) {
  return browser("POST", "/api/referral/track-visit", ip, { referralCode, contestId: app.contestId, url: "https://shop.example/" });
}

function validateCode(app: TestApp, ip: string, code: string) {
  return browser("GET", `/api/referral/validate-code?code=${encodeURIComponent(code)}&contestId=${app.contestId}`, ip);
}

/** The documented 429: error envelope and `Retry-After: 60`. */
function expectLimited(reply: Reply) {
  expectError(reply, 429, TOO_MANY);
  expect(reply.headers.get("Retry-After")).toBe("60");
}

/** `n` calls made in parallel chunks of `chunk`, in order. */
async function inChunks(n: number, chunk: number, make: (i: number) => Promise<Reply>) {
  const replies: Reply[] = [];
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    replies.push(...(await Promise.all(Array.from({ length: size }, (_, j) => make(start + j)))));
  }
  return replies;
}

async function contestWithAdvocate() {
  const app = await TestApp.create();
  const advocate = await app.addEntry("advocate@example.com", { name: "Ada" });
  return { app, advocate };
}

const entriesOf = (app: TestApp) => count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId);
const purchasesOf = (app: TestApp) => count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?", app.contestId);

describe("track-signup and track-purchase: 20 per window per address and contest", () => {
  it("track-signup: 20 answer 200, the 21st 429 with Retry-After and writes nothing", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.1.1";
    await roomInWindow();
    const start = windowOf();
    for (let i = 0; i < 20; i++) {
      const r = await trackSignup(app, ip, `friend${i}@example.com`, advocate.referralCode);
      expect(r.status, `signup ${i}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.data.alreadyExists).toBe(false);
    }
    expect(await entriesOf(app)).toBe(21);
    const refused = await trackSignup(app, ip, "friend20@example.com", advocate.referralCode);
    expectLimited(refused);
    expect(windowOf(), "the burst stayed in one window").toBe(start);
    expect(await entriesOf(app)).toBe(21);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ? AND email = ?", app.contestId, "friend20@example.com")).toBe(0);
  }, BURST_TIMEOUT);

  it("track-purchase: 20 answer 200, the 21st 429 and writes nothing", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.2.1";
    await roomInWindow();
    const start = windowOf();
    for (let i = 0; i < 20; i++) {
      const r = await trackPurchase(app, ip, `order-${i}`, advocate.referralCode);
      expect(r.status, `purchase ${i}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    expect(await purchasesOf(app)).toBe(20);
    expectLimited(await trackPurchase(app, ip, "order-20", advocate.referralCode));
    expect(windowOf(), "the burst stayed in one window").toBe(start);
    expect(await purchasesOf(app)).toBe(20);
    expect(await count("SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ? AND order_id = 'order-20'", app.contestId)).toBe(0);
  }, BURST_TIMEOUT);

  it("signups and purchases share the write limit of an address and contest", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.3.1";
    await roomInWindow();
    for (let i = 0; i < 10; i++) expect((await trackSignup(app, ip, `f${i}@example.com`, advocate.referralCode)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await trackPurchase(app, ip, `o-${i}`, advocate.referralCode)).status).toBe(200);
    expectLimited(await trackSignup(app, ip, "f10@example.com", advocate.referralCode));
    expectLimited(await trackPurchase(app, ip, "o-10", advocate.referralCode));
  }, BURST_TIMEOUT);

  it("the same burst from another address, or to another contest, is not limited", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const { app: other, advocate: otherAdvocate } = await contestWithAdvocate();
    const ip = "198.18.4.1";
    const neighbour = "198.18.4.2";
    await roomInWindow(8_000);
    const start = windowOf();
    for (let i = 0; i < 20; i++) expect((await trackSignup(app, ip, `a${i}@example.com`, advocate.referralCode)).status).toBe(200);
    expectLimited(await trackSignup(app, ip, "a20@example.com", advocate.referralCode));
    // Another address, same contest: its own 20.
    for (let i = 0; i < 20; i++) {
      const r = await trackSignup(app, neighbour, `b${i}@example.com`, advocate.referralCode);
      expect(r.status, `neighbour ${i}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    // Same address, another contest: its own 20 as well (signups and purchases).
    for (let i = 0; i < 15; i++) {
      const r = await trackSignup(other, ip, `c${i}@example.com`, otherAdvocate.referralCode);
      expect(r.status, `other contest ${i}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    for (let i = 0; i < 5; i++) expect((await trackPurchase(other, ip, `p-${i}`, otherAdvocate.referralCode)).status).toBe(200);
    // ... and the first address is still refused in the first contest: all of
    // the above ran in the same window.
    expectLimited(await trackSignup(app, ip, "a21@example.com", advocate.referralCode));
    expect(windowOf()).toBe(start);
    expect(await entriesOf(app)).toBe(41);
    expect(await entriesOf(other)).toBe(16);
  }, BURST_TIMEOUT);

  it("a client cannot pick its own key: X-Forwarded-For and similar headers change nothing", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.5.1";
    await roomInWindow();
    for (let i = 0; i < 20; i++) expect((await trackSignup(app, ip, `x${i}@example.com`, advocate.referralCode)).status).toBe(200);
    const spoofed = await call("POST", "/api/referral/track-signup", {
      body: { email: "x20@example.com", contestId: app.contestId, referralCode: advocate.referralCode },
      headers: { "CF-Connecting-IP": ip, "X-Forwarded-For": "10.9.8.7", "X-Real-IP": "10.9.8.7", "True-Client-IP": "10.9.8.7" },
    });
    expectLimited(spoofed);
  }, BURST_TIMEOUT);

  it("with a valid private key in x-api-key, 25 signups from one address are all 200", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.6.1";
    await roomInWindow();
    for (let i = 0; i < 25; i++) {
      const r = await trackSignup(app, ip, `server${i}@example.com`, advocate.referralCode, app.privateKey);
      expect(r.status, `signup ${i}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    expect(await entriesOf(app)).toBe(26);
    // A public key is no exemption.
    for (let i = 0; i < 20; i++) {
      expect((await trackSignup(app, "198.18.6.2", `pub${i}@example.com`, advocate.referralCode, app.publicKey)).status).toBe(200);
    }
    expectLimited(await trackSignup(app, "198.18.6.2", "pub20@example.com", advocate.referralCode, app.publicKey));
  }, BURST_TIMEOUT);
});

describe("track-visit and validate-code: 300 per window per address and contest", () => {
  it("track-visit: exactly 300 of 305 answer 200 (repeats included), the rest 429", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.7.1";
    await roomInWindow(7_000);
    const start = windowOf();
    const replies = await inChunks(305, 50, () => trackVisit(app, ip, advocate.referralCode));
    expect(windowOf(), "the burst stayed in one window").toBe(start);
    const ok = replies.filter((r) => r.status === 200);
    const limited = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(300);
    expect(limited).toHaveLength(5);
    for (const r of ok) expect(r.body).toEqual({ success: true });
    for (const r of limited) expectLimited(r);
    // One row for the day: the repeats were queued and settled by the unique key.
    const rows = () => count("SELECT COUNT(*) AS n FROM visits WHERE contest_id = ?", app.contestId);
    expect(await settled(rows, 1)).toBe(1);
  }, BURST_TIMEOUT);

  it("validate-code: exactly 300 of 310 answers read from D1 come, the rest 429; a cached answer is not counted", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.8.1";
    await roomInWindow(7_000);
    const start = windowOf();
    // The valid code first (read from D1, then cached), then 309 codes asked once
    // each (all misses: what enumerating codes looks like).
    const first = await validateCode(app, ip, advocate.referralCode);
    expect(first.body.valid).toBe(true);
    const replies = [first, ...(await inChunks(309, 50, (i) => validateCode(app, ip, `NOPE-${i}`)))];
    expect(windowOf(), "the burst stayed in one window").toBe(start);
    const ok = replies.filter((r) => r.status === 200);
    expect(ok).toHaveLength(300);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(10);
    for (const r of replies.filter((r) => r.status === 429)) expectLimited(r);
    // Limited for what reads D1, yet a code answered within the cache's 10 s answers again.
    expectLimited(await validateCode(app, ip, "NOPE-NEW"));
    const again = await validateCode(app, ip, advocate.referralCode);
    expect(again.status).toBe(200);
    expect(again.body.valid).toBe(true);
    // Another address is not limited; neither is this one in another contest.
    expect((await validateCode(app, "198.18.8.2", "NOPE-OTHER")).status).toBe(200);
    const { app: other, advocate: otherAdvocate } = await contestWithAdvocate();
    expect((await validateCode(other, ip, otherAdvocate.referralCode)).body.valid).toBe(true);
  }, BURST_TIMEOUT);

  it("validate-code: repeats of a cached answer never reach the limit", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.8.3";
    await roomInWindow(7_000);
    const replies = await inChunks(320, 50, () => validateCode(app, ip, advocate.referralCode));
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
  }, BURST_TIMEOUT);

  it("track-visit and validate-code share the read limit", async () => {
    const { app, advocate } = await contestWithAdvocate();
    const ip = "198.18.9.1";
    await roomInWindow(7_000);
    const visits = await inChunks(150, 50, () => trackVisit(app, ip, advocate.referralCode));
    const checks = await inChunks(150, 50, (i) => validateCode(app, ip, `SHARED-${i}`));
    expect([...visits, ...checks].every((r) => r.status === 200)).toBe(true);
    expectLimited(await trackVisit(app, ip, advocate.referralCode));
    expectLimited(await validateCode(app, ip, "SHARED-NEW"));
  }, BURST_TIMEOUT);
});

describe("windows", () => {
  it(
    "the next window works again",
    async () => {
      const { app, advocate } = await contestWithAdvocate();
      const ip = "198.18.10.1";
      await roomInWindow();
      for (let i = 0; i < 20; i++) expect((await trackSignup(app, ip, `w${i}@example.com`, advocate.referralCode)).status).toBe(200);
      expectLimited(await trackSignup(app, ip, "refused@example.com", advocate.referralCode));
      const limitedAt = Date.now();
      let reply: Reply | undefined;
      let polls = 0;
      while (Date.now() - limitedAt < 25_000) {
        // A poll for the next window, one try a second: each try is itself a
        // signup the limit counts, so it cannot ask more often.
        await sleep(1_000);
        polls++;
        reply = await trackSignup(app, ip, `later${polls}@example.com`, advocate.referralCode);
        if (reply.status !== 429) break;
        expectLimited(reply);
      }
      expect(reply?.status, JSON.stringify(reply?.body)).toBe(200);
      expect(reply?.body.data.alreadyExists).toBe(false);
      // Within one (10-second) window of the refusal, and the refusals wrote nothing.
      expect(Date.now() - limitedAt).toBeLessThan(12_000);
      expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ? AND email = 'refused@example.com'", app.contestId)).toBe(0);
      expect(await entriesOf(app)).toBe(22);
    },
    40_000,
  );
});

describe("failed authentication: 30 per window per address", () => {
  it("30 wrong keys answer 401, the 31st 429; a valid key still works", async () => {
    const app = await TestApp.create();
    const ip = "198.18.11.1";
    await roomInWindow();
    const start = windowOf();
    const wrong = () => call("GET", `/api/v1/contests/${app.contestId}`, { key: "rt_sk_not-a-real-key", headers: { "CF-Connecting-IP": ip } });
    for (let i = 0; i < 30; i++) expectError(await wrong(), 401, "Invalid API key");
    expectLimited(await wrong());
    expect(windowOf(), "the attempts stayed in one window").toBe(start);
    // Only failures count: a valid key answers, from another address and from this one.
    const fine = await call("GET", `/api/v1/contests/${app.contestId}`, { key: app.privateKey, headers: { "CF-Connecting-IP": "198.18.11.2" } });
    expect(fine.status).toBe(200);
    const same = await call("GET", `/api/v1/contests/${app.contestId}`, { key: app.publicKey, headers: { "CF-Connecting-IP": ip } });
    expect(same.status).toBe(200);
    // Another address is not limited by this one's failures.
    expectError(
      await call("GET", `/api/v1/contests/${app.contestId}`, { key: "rt_pk_nope", headers: { "CF-Connecting-IP": "198.18.11.2" } }),
      401,
      "Invalid API key",
    );
  }, BURST_TIMEOUT);

  it("missing keys, private keys in the query and bad participant tokens count as failures too", async () => {
    const app = await TestApp.create();
    const entry = await app.addEntry("someone@example.com");
    const ip = "198.18.12.1";
    await roomInWindow();
    const headers = { "CF-Connecting-IP": ip };
    for (let i = 0; i < 10; i++) expectError(await call("GET", `/api/v1/contests/${app.contestId}`, { headers }), 401, "Invalid API key");
    for (let i = 0; i < 10; i++) {
      expectError(
        await call("GET", `/api/v1/contests/${app.contestId}?apiKey=${app.privateKey}`, { headers }),
        401,
        "Private keys are refused in the query string: send it in the x-api-key header",
      );
    }
    for (let i = 0; i < 10; i++) {
      expectError(
        await call("GET", `/api/v1/entries/${entry.id}`, { headers: { ...headers, authorization: `Bearer rtp_${entry.id}.9999999999.${"0".repeat(64)}` } }),
        401,
        "Invalid or expired participant token",
      );
    }
    expectLimited(await call("GET", `/api/v1/contests/${app.contestId}`, { headers }));
  }, BURST_TIMEOUT);
});
