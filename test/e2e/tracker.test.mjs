// RocketTracker end to end: the demo shop in headless Chromium against the local
// stack (worker in workerd, real local D1), checked in D1 and through the API.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { DEMO, freePort, launchChromium, startStack } from "./stack.mjs";

/** @type {import("./stack.mjs").Stack} */
let stack;
/** @type {import("playwright-core").Browser} */
let browser;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A fresh advocate in the demo contest (so tests do not share counts).
 * @param {string} name */
async function newAdvocate(name) {
  const r = await stack.v1("POST", `/api/v1/contests/${DEMO.contestId}/entries`, { email: `${name}@example.com`, name });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data;
}

/** @param {string} email */
async function entryByEmail(email) {
  const r = await stack.v1("GET", `/api/v1/contests/${DEMO.contestId}/entries?limit=100`);
  return r.body.data.find((/** @type {{ email: string }} */ e) => e.email === email);
}

/** Visits of an entry in D1, once `count` of them have landed (the tracker's
 * keepalive fetch is not awaited by the page), or whatever is there after 10 s.
 * @param {string} entryId
 * @param {number} count */
async function visitsOf(entryId, count) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = stack.sql(`SELECT url FROM visits WHERE entry_id = '${entryId}'`);
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A page in a fresh browser context that records console output and page errors. */
async function freshPage() {
  const context = await browser.newContext();
  // These tests are the tracker's: the demo page's referral widget (its own
  // API calls, tested in widget.test.mjs) is left out.
  await context.route("**/demo-widget.json", (route) => route.fulfill({ contentType: "application/json", body: "null" }));
  const page = await context.newPage();
  /** @type {{ console: string[], errors: string[], api: string[] }} */
  const log = { console: [], errors: [], api: [] };
  page.on("console", (m) => log.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("request", (r) => r.url().includes("/api/") && log.api.push(r.url()));
  return { page, context, log };
}

/** Resolves once the tracker has replaced its queue with the real API.
 * @param {import("playwright-core").Page} page */
const loaded = (page) => page.waitForFunction(() => window.RocketTracker && !("q" in window.RocketTracker));

test("an advocate's link sets the cookie and records one visit in D1", async () => {
  const adv = await newAdvocate("link-adv");
  const { page, context, log } = await freshPage();
  const landing = /** @type {import("playwright-core").Response} */ (
    await page.goto(`${stack.base}/?ref=${adv.referralCode}&utm=x`)
  );
  // Our pages carry a strict policy, and the tracker and demo run under it.
  assert.match(landing.headers()["content-security-policy"] ?? "", /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.equal(landing.headers()["x-content-type-options"], "nosniff");
  await loaded(page);
  await page.waitForFunction(
    (code) => /** @type {HTMLElement} */ (document.getElementById("referral-code")).textContent === code,
    adv.referralCode,
  );
  assert.deepEqual(log.console.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);
  const cookie = (await context.cookies()).find((c) => c.name === "rt_ref");
  assert.equal(cookie?.value, adv.referralCode);
  assert.equal(cookie?.sameSite, "Lax");
  // Origin and path only: `utm` is not a utm_* parameter, and the code is not kept.
  assert.deepEqual(await visitsOf(adv.id, 1), [{ url: `${stack.base}/` }]);
  // A reload in the same session is not a second visit.
  await page.reload();
  await loaded(page);
  // Nothing in flight, then a marker: another advocate's visit, queued after
  // anything the reload sent. Once the queue has written it, a second visit
  // of the reload would have been written too.
  await page.waitForLoadState("networkidle");
  const marker = await newAdvocate("link-marker");
  const other = await freshPage();
  await other.page.goto(`${stack.base}/?ref=${marker.referralCode}`);
  await loaded(other.page);
  assert.equal((await visitsOf(marker.id, 1)).length, 1, "the marker visit is written");
  await other.context.close();
  assert.equal(stack.sql(`SELECT COUNT(*) AS n FROM visits WHERE entry_id = '${adv.id}'`)[0].n, 1);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a visit keeps the page's origin, path and utm_* parameters only: no code, no other parameter, no fragment", async () => {
  const adv = await newAdvocate("utm-adv");
  const { page, context, log } = await freshPage();
  /** @type {string[]} */
  const sent = [];
  page.on(
    "request",
    (r) => r.url().endsWith("/api/referral/track-visit") && sent.push(JSON.parse(/** @type {string} */ (r.postData())).url),
  );
  await page.goto(`${stack.base}/?ref=${adv.referralCode}&utm_source=news&secret=abc#token=xyz`);
  await loaded(page);
  assert.deepEqual(await visitsOf(adv.id, 1), [{ url: `${stack.base}/?utm_source=news` }]);
  assert.deepEqual(sent, [`${stack.base}/?utm_source=news`], "the tracker itself sends no more");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("signup and purchase from the demo shop; the owner's trusted report confirms the purchase; the leaderboard shows it", async () => {
  const adv = await newAdvocate("shop-adv");
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/?ref=${adv.referralCode}`);
  await loaded(page);
  await page.fill("#signup-email", "shopper@example.com");
  await page.fill("#signup-name", "Sho Pper");
  await page.click("#signup button");
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.getElementById("signup-result")).textContent !== "");
  const signup = JSON.parse(/** @type {string} */ (await page.textContent("#signup-result")));
  assert.equal(signup.success, true, JSON.stringify(signup));
  assert.deepEqual(signup.data.pointsAwarded, { advocate: 10, friend: 5 });
  assert.equal(signup.data.status, "confirmed");
  const friend = await entryByEmail("shopper@example.com");
  assert.equal(friend.referredBy, adv.id);
  assert.equal(friend.totalPoints, 5);
  assert.equal(friend.source, "tracker");

  const pay = async () => {
    await page.evaluate(() => (/** @type {HTMLElement} */ (document.getElementById("checkout-result")).textContent = ""));
    await page.fill("#checkout-email", "shopper@example.com");
    await page.fill("#checkout-order", "demo-order-1");
    await page.click("#checkout button");
    await page.waitForFunction(() => /** @type {HTMLElement} */ (document.getElementById("checkout-result")).textContent !== "");
    return JSON.parse(/** @type {string} */ (await page.textContent("#checkout-result")));
  };
  // The browser's report is a claim: recorded, its 50 points pending.
  const first = await pay();
  assert.equal(first.data.pointsAwarded, 0, JSON.stringify(first));
  assert.equal(first.data.status, "pending");
  assert.equal(first.data.purchaseStatus, "unverified");
  assert.equal(first.data.creditedEntryId, adv.id);
  const again = await pay();
  assert.equal(again.data.alreadyExists, true);
  assert.equal(again.data.pointsAwarded, 0);
  const held = (await stack.v1("GET", `/api/v1/entries/${adv.id}`)).body.data;
  assert.equal(held.totalPoints, 10);
  assert.equal(held.pendingPoints, 50);

  // The owner's server reports the same order with its private key: confirmed once.
  const trusted = await stack.v1("POST", `/api/v1/contests/${DEMO.contestId}/purchases`, {
    email: "shopper@example.com",
    orderId: "demo-order-1",
    amount: 49.99,
  });
  assert.equal(trusted.status, 201, JSON.stringify(trusted.body));
  assert.equal(trusted.body.data.pointsAwarded, 50);
  assert.equal(trusted.body.data.purchaseStatus, "verified");
  const board = (await stack.v1("GET", `/api/v1/contests/${DEMO.contestId}/leaderboard?limit=100`)).body.data;
  const row = board.find((/** @type {{ entryId: string }} */ r) => r.entryId === adv.id);
  assert.equal(row.totalPoints, 60);
  assert.equal(row.pendingPoints, 0);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("Stripe Payment Links and buy buttons carry the code, including ones added later; the site's own value stays", async () => {
  const { page, context } = await freshPage();
  await page.goto(`${stack.base}/?ref=${DEMO.referralCode}`);
  await loaded(page);
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.getElementById("buy-button")).hasAttribute("client-reference-id"));
  assert.equal(await page.getAttribute("#payment-link", "href"), `https://buy.stripe.com/test_demo_link?client_reference_id=${DEMO.referralCode}`);
  assert.equal(await page.getAttribute("#own-link", "href"), "https://buy.stripe.com/test_demo_link?client_reference_id=SITE-SET");
  assert.equal(await page.getAttribute("#buy-button", "client-reference-id"), DEMO.referralCode);
  await page.click("#add-link");
  await page.waitForFunction(() =>
    /** @type {HTMLAnchorElement} */ (document.getElementById("late-link")).href.includes("client_reference_id="),
  );
  assert.equal(await page.getAttribute("#late-link", "href"), `https://buy.stripe.com/test_added_later?client_reference_id=${DEMO.referralCode}`);
  await context.close();
});

test("calls made before the wasm loads are queued and replayed in order", async () => {
  const adv = await newAdvocate("early-adv");
  const { page, context } = await freshPage();
  /** @type {(value?: unknown) => void} */
  let release = () => {};
  const held = new Promise((r) => (release = r));
  await page.route("**/referral-tracker.*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${stack.base}/?ref=${adv.referralCode}`, { waitUntil: "domcontentloaded" });
  // The wasm is held back: these go through the stub's queue.
  const results = page.evaluate(() =>
    Promise.all([
      window.RocketTracker.getReferralCode(),
      window.RocketTracker.trackSignup("early@example.com", "Early Bird"),
    ]),
  );
  // (The demo page's own ready() may be queued too, depending on when demo.js ran.)
  assert.deepEqual(
    await page.evaluate(() =>
      /** @type {RocketTrackerQueue} */ (window.RocketTracker).q.map((c) => c[0]).filter((m) => m !== "ready"),
    ),
    ["getReferralCode", "trackSignup"],
    "the two calls are queued",
  );
  release();
  const [code, signup] = await results;
  assert.equal(code, adv.referralCode);
  assert.equal(signup.success, true, JSON.stringify(signup));
  assert.equal((await entryByEmail("early@example.com")).referredBy, adv.id);
  await context.close();
});

test("a page without ?ref sends nothing, sets nothing and logs nothing", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/`);
  await loaded(page);
  // The page has nothing in flight (Chromium's network idle): a request the
  // tracker started would be among its requests.
  await page.waitForLoadState("networkidle");
  assert.deepEqual(log.api, []);
  assert.deepEqual(log.console, []);
  assert.deepEqual(log.errors, []);
  assert.equal((await context.cookies()).find((c) => c.name === "rt_ref"), undefined);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), null);
  const signup = await page.evaluate(() => window.RocketTracker.trackSignup("nobody@example.com"));
  assert.equal(signup.success, false);
  assert.deepEqual(log.api, [], "an unreferred signup is not sent");
  await context.close();
});

test("a ?ref= that arrives through pushState in a single-page app is captured", async () => {
  const adv = await newAdvocate("spa-adv");
  const { page, context } = await freshPage();
  await page.goto(`${stack.base}/`);
  await loaded(page);
  await page.evaluate((code) => history.pushState({}, "", `/pricing?ref=${code}`), adv.referralCode);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);
  assert.equal((await visitsOf(adv.id, 1)).length, 1);
  await context.close();
});

test("an unreachable API fails quietly with one console warning", async () => {
  const { page, context, log } = await freshPage();
  await page.route("**/api/**", (route) => route.abort());
  await page.goto(`${stack.base}/?ref=${DEMO.referralCode}`);
  await loaded(page);
  const answers = await page.evaluate(() =>
    Promise.all([window.RocketTracker.trackSignup("x@example.com"), window.RocketTracker.trackPurchase("o", 5, "USD", "x@example.com")]),
  );
  assert.deepEqual(answers.map((a) => a.success), [false, false]);
  assert.equal(log.console.filter((m) => m.startsWith("warning")).length, 1, log.console.join("\n"));
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("the cookie goes on the registrable domain, so subdomains share the referral", async () => {
  const adv = await newAdvocate("subdomain-adv");
  // www.shop.test and app.shop.test both resolve to the local stack.
  const port = new URL(stack.base).port;
  const mapped = await launchChromium(["--host-resolver-rules=MAP *.shop.test 127.0.0.1"]);
  try {
    const context = await mapped.newContext();
    const page = await context.newPage();
    await page.goto(`http://www.shop.test:${port}/?ref=${adv.referralCode}`);
    await loaded(page);
    const cookie = (await context.cookies(`http://www.shop.test:${port}`)).find((c) => c.name === "rt_ref");
    assert.equal(cookie?.domain, ".shop.test");
    await page.goto(`http://app.shop.test:${port}/`);
    await loaded(page);
    assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);
  } finally {
    await mapped.close();
  }
});

test("a site on another origin loading the script from the worker's origin works (CORS)", async () => {
  const adv = await newAdvocate("xorigin-adv");
  const port = await freePort();
  const site = createServer((req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<!doctype html><script async src="${stack.base}/referral-tracker.js?campaignId=${DEMO.contestId}"></script><p id="shop">other shop</p>`);
  });
  await /** @type {Promise<void>} */ (new Promise((r) => site.listen(port, "127.0.0.1", r)));
  const { page, context, log } = await freshPage();
  // localhost:<port> is another origin (and site) than 127.0.0.1:<worker port>.
  await page.goto(`http://localhost:${port}/landing?ref=${adv.referralCode}`);
  await loaded(page);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);
  const cookie = (await context.cookies(`http://localhost:${port}`)).find((c) => c.name === "rt_ref");
  assert.equal(cookie?.value, adv.referralCode, "first-party cookie on the site's own host");
  const signup = await page.evaluate(() => window.RocketTracker.trackSignup("cross@example.com"));
  assert.equal(signup.success, true, JSON.stringify(signup));
  assert.equal((await entryByEmail("cross@example.com")).referredBy, adv.id);
  assert.equal((await visitsOf(adv.id, 1)).length, 1);
  assert.deepEqual(log.errors, []);
  await context.close();
  site.close();
});

test("a purchase whose amount is not a number is refused in the page, with the reason", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/?ref=${DEMO.referralCode}`);
  await loaded(page);
  log.api.length = 0;
  const answer = await page.evaluate(() => window.RocketTracker.trackPurchase("o-x", "lots", "USD", "x@example.com"));
  assert.equal(answer.success, false);
  assert.match(answer.error ?? "", /Invalid amount/);
  assert.deepEqual(log.api, []);
  await context.close();
});

test("on https the referral cookie is Secure", async () => {
  const secure = await startStack({ protocol: "https" });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${secure.base}/?ref=${DEMO.referralCode}`);
    await loaded(page);
    const cookie = (await context.cookies(secure.base)).find((c) => c.name === "rt_ref");
    assert.equal(cookie?.value, DEMO.referralCode);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, "Lax");
    await context.close();
  } finally {
    await secure.stop();
  }
});

// Last: its signups from this address would raise the fraud score of the demo
// shop's signup above (several signups from one address within the hour).
test("trackSignup(email, { name, turnstileToken }) sends the token, also through the stub's queue; trackSignup(email, name) still works", async () => {
  const adv = await newAdvocate("turnstile-adv");
  const { page, context, log } = await freshPage();
  /** @type {unknown[]} */
  const bodies = [];
  page.on(
    "request",
    (r) => r.url().endsWith("/api/referral/track-signup") && bodies.push(JSON.parse(/** @type {string} */ (r.postData()))),
  );
  /** @type {(value?: unknown) => void} */
  let release = () => {};
  const held = new Promise((r) => (release = r));
  await page.route("**/referral-tracker.*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${stack.base}/?ref=${adv.referralCode}`, { waitUntil: "domcontentloaded" });
  // Before the wasm: queued by the inline stub, replayed with the same arguments.
  const early = page.evaluate(() => window.RocketTracker.trackSignup("q@example.com", { name: "Q", turnstileToken: "QUEUED.TOKEN" }));
  release();
  await early;
  await loaded(page);
  await page.evaluate(() =>
    window.RocketTracker.trackSignup("t@example.com", { name: "T", turnstileToken: "XXXX.DUMMY.TOKEN.XXXX" }),
  );
  await page.evaluate(() => window.RocketTracker.trackSignup("u@example.com", "U"));
  // What is not a string is left out, never thrown on.
  // @ts-expect-error: deliberately not strings
  await page.evaluate(() => window.RocketTracker.trackSignup("v@example.com", { name: 5, turnstileToken: { x: 1 } }));
  const base = { contestId: DEMO.contestId, referralCode: adv.referralCode };
  assert.deepEqual(bodies, [
    { email: "q@example.com", ...base, name: "Q", turnstileToken: "QUEUED.TOKEN" },
    { email: "t@example.com", ...base, name: "T", turnstileToken: "XXXX.DUMMY.TOKEN.XXXX" },
    { email: "u@example.com", ...base, name: "U" },
    { email: "v@example.com", ...base },
  ]);
  assert.deepEqual(log.errors, []);
  await context.close();
});
