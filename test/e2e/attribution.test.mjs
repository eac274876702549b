// Attribution that survives browsers (issue 15), in headless Chromium against
// the local https stack: consent=required (nothing stored, read or sent until
// consent; revoking clears) and first-party mode (the worker under /rt/ on the
// site's own domain sets the referral cookie from the server, shared by its
// subdomains). www., app. and cdn.shop.test resolve to the stack
// (--host-resolver-rules); their pages are answered by the test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO, launchChromium, startStack } from "./stack.mjs";

/** @type {import("./stack.mjs").Stack} */
let stack;
/** @type {import("playwright-core").Browser} */
let browser;
let port = "";

before(async () => {
  stack = await startStack({ protocol: "https" });
  port = new URL(stack.base).port;
  // The shop pages are answered by the test (no address), the stack is on loopback.
  browser = await launchChromium(["--host-resolver-rules=MAP *.shop.test 127.0.0.1", "--disable-features=LocalNetworkAccessChecks"]);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** @param {string} sub */
const site = (sub) => `https://${sub}.shop.test:${port}`;

/** A fresh advocate in the demo contest.
 * @param {string} name */
async function newAdvocate(name) {
  const r = await stack.v1("POST", `/api/v1/contests/${DEMO.contestId}/entries`, { email: `${name}-${Date.now()}@example.com`, name });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data;
}

/** Visits of an entry in D1 once `count` are there (the queue's consumer writes
 * them), or what is there after 10 s.
 * @param {string} entryId @param {number} count */
async function visitsOf(entryId, count) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = stack.sql(`SELECT id FROM visits WHERE entry_id = '${entryId}'`);
    if (rows.length >= count || Date.now() > deadline) return rows.length;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A context whose pages at `paths` of the shop's hosts are the given HTML (the
 * rest goes to the stack), recording every request the pages make and every
 * cookie a script writes.
 * @param {(url: URL) => string | undefined} pageFor */
async function shopContext(pageFor) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.route(/shop\.test/, (route) => {
    const url = new URL(route.request().url());
    const html = pageFor(url);
    return html === undefined ? route.continue() : route.fulfill({ contentType: "text/html", body: html });
  });
  // What scripts write to document.cookie (the server's Set-Cookie is not among it).
  await context.addInitScript(() => {
    const desc = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(Document.prototype, "cookie"));
    /** @type {string[]} */
    const writes = [];
    Object.defineProperty(window, "cookieWrites", { value: writes });
    Object.defineProperty(document, "cookie", {
      configurable: true,
      get: () => desc.get?.call(document),
      set: (v) => {
        writes.push(String(v));
        desc.set?.call(document, v);
      },
    });
  });
  /** @type {string[]} */
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  return { context, requests };
}

/** @param {import("playwright-core").Page} page */
const answered = (page) => page.waitForFunction(() => window.RocketTracker && !("q" in window.RocketTracker));

/** @param {string} src @param {string} [before] */
const pageWith = (src, before = "") => `<!doctype html><html lang="en"><title>Shop</title>${before}<script async src="${src}"></script><h1>Shop</h1></html>`;

/** The rt_ref cookies the browser holds for a URL.
 * @param {import("playwright-core").BrowserContext} context @param {string} url */
const refCookies = async (context, url) => (await context.cookies(url)).filter((c) => c.name === "rt_ref");

const STUB = `<script>!function(w,t){t=w.RocketTracker=w.RocketTracker||{q:[]};["getReferralCode","trackSignup","trackPurchase","consent"].forEach(function(m){t[m]=t[m]||function(){var a=arguments;return new Promise(function(r){t.q.push([m,a,r])})}});t.ready=t.ready||function(c){t.q.push(["ready",[c]])}}(window);</script>`;

test("consent=required: nothing stored, read or sent until consent(true), then both; consent(false) clears what was stored", async () => {
  const adv = await newAdvocate("consent");
  // The tracker from another origin (not first-party): the script writes the cookie.
  const src = `${site("cdn")}/referral-tracker.js?campaignId=${DEMO.contestId}&consent=required`;
  const { context, requests } = await shopContext((url) => (url.pathname.startsWith("/landing") || url.pathname === "/next" ? pageWith(src) : undefined));
  const page = await context.newPage();
  await page.goto(`${site("www")}/landing?ref=${adv.referralCode}`);
  await answered(page);
  const toStack = () => requests.filter((u) => u.startsWith(site("cdn")) && !u.includes("/referral-tracker.js?"));
  assert.deepEqual(toStack(), [], "only the loader was fetched: no wasm, no API call");
  assert.deepEqual(await refCookies(context, site("www")), []);
  const before = await page.evaluate(async () => ({
    code: window.RocketTracker.getReferralCode(),
    signup: await window.RocketTracker.trackSignup("early@example.com"),
    local: localStorage.getItem("rt_ref"),
    session: sessionStorage.getItem("rt_visit"),
    writes: /** @type {any} */ (window).cookieWrites.length,
  }));
  assert.deepEqual(before, { code: adv.referralCode, signup: { success: false, error: "No consent" }, local: null, session: null, writes: 0 });
  assert.deepEqual(toStack(), [], "trackSignup without consent sent nothing");

  // A single-page app moves on before the visitor consents: the landing's code is kept in memory.
  await page.evaluate(() => history.pushState(null, "", "/landing/products"));
  const visit = page.waitForResponse((r) => r.url().endsWith("/api/referral/track-visit"));
  await page.evaluate(() => window.RocketTracker.consent(true));
  assert.equal((await visit).status(), 200);
  await answered(page);
  assert.equal(await visitsOf(adv.id, 1), 1, "the visit was recorded once consent came");
  const cookie = (await refCookies(context, site("www")))[0];
  assert.equal(cookie?.value, adv.referralCode);
  assert.equal(cookie.domain, ".shop.test", "on the registrable domain, as without consent mode");
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);

  // The next page (no ?ref): before consent the stored code is not even read.
  await page.goto(`${site("www")}/next`);
  await answered(page);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), null);
  await page.evaluate(() => window.RocketTracker.consent(true));
  await answered(page);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);

  // Revoked: the cookie (on every domain), localStorage and the session's visit are gone; nothing is sent.
  await page.evaluate(() => localStorage.setItem("rt_ref", "FALLBACK-COPY"));
  const sent = toStack().length;
  const after = await page.evaluate(async () => {
    window.RocketTracker.consent(false);
    return {
      code: window.RocketTracker.getReferralCode(),
      signup: await window.RocketTracker.trackSignup("late@example.com"),
      local: localStorage.getItem("rt_ref"),
      session: sessionStorage.getItem("rt_visit"),
      cookie: document.cookie,
    };
  });
  assert.deepEqual(after, { code: null, signup: { success: false, error: "No consent" }, local: null, session: null, cookie: "" });
  assert.deepEqual(await refCookies(context, site("www")), []);
  assert.deepEqual(await refCookies(context, site("app")), []);
  assert.equal(toStack().length, sent, "nothing sent after revoking");
  await context.close();
});

test("consent(true) queued by the inline stub before the loader runs is replayed: stored and sent", async () => {
  const adv = await newAdvocate("stub-consent");
  const src = `${site("cdn")}/referral-tracker.js?campaignId=${DEMO.contestId}&consent=required`;
  const { context } = await shopContext((url) =>
    url.pathname === "/stub" ? pageWith(src, `${STUB}<script>RocketTracker.consent(true)</script>`) : undefined,
  );
  const page = await context.newPage();
  const visit = page.waitForResponse((r) => r.url().endsWith("/api/referral/track-visit"));
  await page.goto(`${site("www")}/stub?ref=${adv.referralCode}`);
  assert.equal((await visit).status(), 200);
  await answered(page);
  assert.equal((await refCookies(context, site("www")))[0]?.value, adv.referralCode);
  assert.equal(await visitsOf(adv.id, 1), 1);
  await context.close();
});

test("consent defaults to implied: today's behaviour, and consent(false) still clears", async () => {
  const adv = await newAdvocate("implied");
  const src = `${site("cdn")}/referral-tracker.js?campaignId=${DEMO.contestId}`;
  const { context } = await shopContext((url) => (url.pathname === "/implied" ? pageWith(src) : undefined));
  const page = await context.newPage();
  const visit = page.waitForResponse((r) => r.url().endsWith("/api/referral/track-visit"));
  await page.goto(`${site("www")}/implied?ref=${adv.referralCode}`);
  assert.equal((await visit).status(), 200);
  await answered(page);
  assert.equal((await refCookies(context, site("www")))[0]?.value, adv.referralCode);
  await page.evaluate(() => window.RocketTracker.consent(false));
  assert.deepEqual(await refCookies(context, site("www")), []);
  await context.close();
});

test("first-party mode: under /rt/ on the site's domain the visit's answer sets the cookie (no script writes it), shared by www. and app.", async () => {
  const adv = await newAdvocate("first-party");
  const src = `/rt/referral-tracker.js?campaignId=${DEMO.contestId}&cookieDays=30`;
  const { context, requests } = await shopContext((url) => (url.pathname === "/landing" || url.pathname === "/account" ? pageWith(src) : undefined));
  const page = await context.newPage();
  const visit = page.waitForResponse((r) => r.url().endsWith("/api/referral/track-visit"));
  await page.goto(`${site("www")}/landing?ref=${adv.referralCode}`);
  const answer = await visit;
  assert.equal(answer.url(), `${site("www")}/rt/api/referral/track-visit`, "same-origin, under the prefix");
  assert.equal(answer.status(), 200);
  assert.equal(
    await answer.headerValue("set-cookie"),
    `rt_ref=${adv.referralCode}; Path=/; Max-Age=2592000; Domain=shop.test; SameSite=Lax; Secure`,
  );
  await answered(page);
  // The tracker's files came from under the prefix too, from the page's origin.
  const tracker = requests.filter((u) => /referral-tracker/.test(u));
  assert.ok(tracker.length === 3 && tracker.every((u) => u.startsWith(`${site("www")}/rt/`)), tracker.join("\n"));
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).cookieWrites), [], "no script wrote a cookie");
  assert.equal(await page.evaluate(() => localStorage.getItem("rt_ref")), null);
  const cookie = (await refCookies(context, site("www")))[0];
  assert.equal(cookie?.value, adv.referralCode);
  assert.equal(cookie.domain, ".shop.test");
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, "Lax");
  assert.equal(cookie.httpOnly, false, "the tracker reads it");
  const days = (cookie.expires * 1000 - Date.now()) / 86_400_000;
  assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);
  assert.equal(await visitsOf(adv.id, 1), 1);

  // Another subdomain of the site shares it: getReferralCode reads it there.
  const app = await context.newPage();
  await app.goto(`${site("app")}/account`);
  await answered(app);
  assert.equal(await app.evaluate(() => window.RocketTracker.getReferralCode()), adv.referralCode);
  // A signup there carries the code (the wasm loads for it, from app.'s own /rt/).
  const signup = app.waitForRequest((r) => r.url().endsWith("/api/referral/track-signup"));
  await app.evaluate(() => window.RocketTracker.trackSignup(`fp-${Date.now()}@example.com`));
  const body = JSON.parse(/** @type {string} */ ((await signup).postData()));
  assert.equal(body.referralCode, adv.referralCode);
  assert.equal((await signup).url(), `${site("app")}/rt/api/referral/track-signup`);
  await context.close();
});

test("first-party mode with consent=required: no request under /rt/api and no cookie until consent(true); then the server sets it", async () => {
  const adv = await newAdvocate("first-party-consent");
  const src = `/rt/referral-tracker.js?campaignId=${DEMO.contestId}&consent=required`;
  const { context, requests } = await shopContext((url) => (url.pathname === "/welcome" ? pageWith(src) : undefined));
  const page = await context.newPage();
  await page.goto(`${site("www")}/welcome?ref=${adv.referralCode}`);
  await answered(page);
  assert.deepEqual(requests.filter((u) => u.includes("/rt/") && !u.includes("/rt/referral-tracker.js?")), [], "only the loader");
  assert.deepEqual(await refCookies(context, site("www")), []);
  const visit = page.waitForResponse((r) => r.url().endsWith("/rt/api/referral/track-visit"));
  await page.evaluate(() => window.RocketTracker.consent(true));
  assert.match((await (await visit).headerValue("set-cookie")) ?? "", new RegExp(`^rt_ref=${adv.referralCode}; Path=/; Max-Age=5184000; Domain=shop\\.test;`));
  assert.equal((await refCookies(context, site("app")))[0]?.value, adv.referralCode);
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).cookieWrites), []);
  await context.close();
});
