// The lazy tracker (issue 14) in headless Chromium against the local stack: a
// visitor without a referral downloads the loader only (at most 3,000 B gzip,
// no wasm); a referred one the loader, the tracker script and the wasm (at most
// 12,000 B gzip in all). wrangler dev does not compress, so each body fetched
// is gzipped (level 9) here, as scripts/size.mjs does with the files.
// The main thread's start-up (the tracker's performance measures) is printed,
// not asserted: a figure, not a timed test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { BUDGET } from "../../scripts/size.mjs";
import { DEMO, launchChromium, startStack } from "./stack.mjs";

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

const TRACKER_FILE = /^\/referral-tracker(\.js|\/[0-9a-f]{12}\.js|\.[0-9a-f]{12}\.wasm)$/;

/** A page in a fresh context (or the given one) that records the tracker's
 * files as fetched (name, gzip-9 size of the body, bytes on the wire from CDP,
 * cache-control), API calls and page errors.
 * @param {import("playwright-core").BrowserContext} [context] */
async function trackedPage(context) {
  context ??= await browser.newContext();
  // The demo page's referral widget (its own script and API calls) is not the tracker's.
  await context.route("**/demo-widget.json", (route) => route.fulfill({ contentType: "application/json", body: "null" }));
  const page = await context.newPage();
  /** @type {{ name: string, gzip: number, cacheControl: string }[]} */
  const files = [];
  /** @type {Promise<void>[]} */
  const pending = [];
  /** @type {Map<string, number>} */
  const wire = new Map();
  /** @type {{ api: string[], errors: string[], console: string[] }} */
  const log = { api: [], errors: [], console: [] };
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (!TRACKER_FILE.test(path)) return;
    pending.push(
      r.body().then((body) =>
        void files.push({ name: path.slice(1), gzip: gzipSync(body, { level: 9 }).length, cacheControl: r.headers()["cache-control"] ?? "" }),
      ),
    );
  });
  page.on("request", (r) => r.url().includes("/api/") && log.api.push(r.url()));
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("console", (m) => log.console.push(`${m.type()}: ${m.text()}`));
  // Bytes on the wire as Chromium counts them (headers included), for the printout.
  const cdp = await context.newCDPSession(page);
  /** @type {Map<string, string>} */
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId);
    if (url && TRACKER_FILE.test(new URL(url).pathname)) wire.set(new URL(url).pathname.slice(1), e.encodedDataLength);
  });
  await cdp.send("Network.enable");
  const fetched = async () => {
    await Promise.all(pending);
    return files.map((f) => ({ ...f, wire: wire.get(f.name) ?? 0 }));
  };
  return { page, context, log, fetched };
}

/** Resolves once the tracker answers the API (its queue gone).
 * @param {import("playwright-core").Page} page */
const answered = (page) => page.waitForFunction(() => window.RocketTracker && !("q" in window.RocketTracker));

/** The tracker's start-up measures on this page, in ms.
 * @param {import("playwright-core").Page} page */
const startUp = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType("measure")
        .filter((m) => m.name.startsWith("rocket-tracker:"))
        .map((m) => [m.name, Math.round(m.duration * 100) / 100]),
    ),
  );

/** The files fetched, by kind: the loader, the hashed tracker script, the wasm.
 * @param {{ name: string }[]} files */
const kinds = (files) =>
  files.map((f) =>
    f.name === "referral-tracker.js"
      ? "loader"
      : /^referral-tracker\/[0-9a-f]{12}\.js$/.test(f.name)
        ? "script"
        : /^referral-tracker\.[0-9a-f]{12}\.wasm$/.test(f.name)
          ? "wasm"
          : f.name,
  );

/** @param {{ name: string, gzip: number, wire: number }[]} files */
const table = (files) => files.map((f) => `${f.name} ${f.gzip} B gzip (${f.wire} B on the wire, headers included)`).join("; ");

test("a visitor without a referral downloads only the loader: at most 3,000 B gzip, no wasm", async () => {
  const { page, context, log, fetched } = await trackedPage();
  await page.goto(`${stack.base}/`);
  await answered(page);
  // The demo page's ready() callback ran with the loader's answer.
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.getElementById("referral-code")).textContent === "none");
  // getReferralCode answers synchronously from the loader, without the wasm.
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), null);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode() === null), true, "a value, not a promise");
  // The page has nothing in flight (Chromium's network idle): a wasm fetch the
  // loader started would be among its requests.
  await page.waitForLoadState("networkidle");
  const files = await fetched();
  assert.deepEqual(files.map((f) => f.name), ["referral-tracker.js"], "the loader only");
  const loader = /** @type {{ gzip: number, cacheControl: string }} */ (files[0]);
  assert.ok(loader.gzip <= BUDGET.loaderGzip, `loader ${loader.gzip} B gzip, budget ${BUDGET.loaderGzip}`);
  assert.match(loader.cacheControl, /max-age=300/);
  const measures = await startUp(page);
  assert.ok("rocket-tracker:loader" in measures, JSON.stringify(measures));
  assert.ok(!("rocket-tracker:wasm" in measures), "the wasm never ran");
  console.log(`no referral: ${table(files)}; main-thread start-up ${JSON.stringify(measures)} ms`);
  assert.deepEqual(log.api, []);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.console, []);
  assert.equal((await context.cookies()).find((c) => c.name === "rt_ref"), undefined);
  await context.close();
});

test("a referred visitor downloads loader, tracker script and wasm: at most 12,000 B gzip in all; the cookie is set; a stored code loads the wasm on the next page", async () => {
  const { page, context, log, fetched } = await trackedPage();
  await page.goto(`${stack.base}/?ref=${DEMO.referralCode}`);
  await answered(page);
  await page.waitForFunction(
    (code) => /** @type {HTMLElement} */ (document.getElementById("referral-code")).textContent === code,
    DEMO.referralCode,
  );
  const cookie = (await context.cookies()).find((c) => c.name === "rt_ref");
  assert.equal(cookie?.value, DEMO.referralCode);
  assert.equal(cookie?.sameSite, "Lax");
  const files = await fetched();
  assert.deepEqual(kinds(files).sort(), ["loader", "script", "wasm"], files.map((f) => f.name).join(", "));
  // The hashed files are cached for good (www/_headers).
  for (const f of files.filter((f) => f.name !== "referral-tracker.js")) assert.match(f.cacheControl, /immutable/, f.name);
  const total = files.reduce((s, f) => s + f.gzip, 0);
  assert.ok(total <= BUDGET.totalGzip, `referred total ${total} B gzip, budget ${BUDGET.totalGzip}: ${table(files)}`);
  const measures = await startUp(page);
  assert.ok("rocket-tracker:loader" in measures && "rocket-tracker:wasm" in measures, JSON.stringify(measures));
  console.log(`referred: ${total} B gzip in all: ${table(files)}; main-thread start-up ${JSON.stringify(measures)} ms`);
  assert.deepEqual(log.errors, []);

  // The next page without ?ref: the stored code is a referral, so the wasm runs.
  const next = await context.newPage();
  await next.goto(`${stack.base}/`);
  await answered(next);
  assert.equal(await next.evaluate(() => window.RocketTracker.getReferralCode()), DEMO.referralCode);
  assert.ok("rocket-tracker:wasm" in (await startUp(next)), "the wasm ran for the stored code");
  await context.close();
});

test("without a referral, trackSignup loads the wasm on demand and answers as before; so does a call the inline stub queued", async () => {
  const { page, context, log, fetched } = await trackedPage();
  await page.goto(`${stack.base}/`);
  await answered(page);
  // The page has nothing in flight (Chromium's network idle): a wasm fetch the
  // loader started would be among its requests.
  await page.waitForLoadState("networkidle");
  assert.deepEqual((await fetched()).map((f) => f.name), ["referral-tracker.js"]);
  const [signup, during] = await page.evaluate(async () => {
    const api = /** @type {RocketTrackerApi} */ (window.RocketTracker);
    const answer = api.trackSignup("nobody@example.com", "No Body");
    // While the wasm loads, the API ready() gives still answers with a value.
    const code = api.getReferralCode();
    return [await answer, code];
  });
  assert.deepEqual(signup, { success: false, error: "Not referred" });
  assert.equal(during, null);
  assert.deepEqual(kinds(await fetched()).sort(), ["loader", "script", "wasm"], "the tracker script and the wasm came on demand");
  // Now answered by the wasm: still not referred.
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), null);
  assert.deepEqual(log.api, [], "an unreferred signup is not sent");
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.console, []);
  await context.close();

  // A call queued before the loader ran (the stub's queue, filled here before
  // any page script) loads the wasm too, and is answered.
  const queued = await trackedPage();
  await queued.page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.RocketTracker = { q: [["trackSignup", ["early@example.com"], (/** @type {unknown} */ r) => (w.earlyAnswer = r)]] };
  });
  await queued.page.goto(`${stack.base}/`);
  await queued.page.waitForFunction(() => /** @type {any} */ (window).earlyAnswer);
  assert.deepEqual(await queued.page.evaluate(() => /** @type {any} */ (window).earlyAnswer), { success: false, error: "Not referred" });
  assert.ok((await queued.fetched()).some((f) => f.name.endsWith(".wasm")));
  await queued.context.close();
});

test("without the wasm, getReferralCode answers what the wasm answers for any stored value", async () => {
  const { page, context, fetched } = await trackedPage();
  await page.goto(`${stack.base}/`);
  await answered(page);
  // Cookie (as written to document.cookie) and localStorage values, stored after
  // the loader looked (as another tab would): the loader's answer, then the wasm's.
  const cases = [
    [null, null],
    ["ABC-1_x", null],
    ["%41BC", null],
    ["a+b", "LS0"],
    ["%zz", "LS1"],
    ["%FF", "LS2"],
    ["", "LS3"],
    ["<bad>", "LS4"],
    [null, "bad code"],
    [null, "LS-5"],
    ["x".repeat(65), null],
    ["y".repeat(64), null],
  ];
  const answers = (/** @type {boolean} */ viaWasm) =>
    page.evaluate(
      async ({ cases, viaWasm }) => {
        const out = [];
        for (const [cookie, stored] of cases) {
          document.cookie = cookie === null ? "rt_ref=; Max-Age=0; Path=/" : `rt_ref=${cookie}; Path=/`;
          if (stored === null) localStorage.removeItem("rt_ref");
          else localStorage.setItem("rt_ref", stored);
          const answer = window.RocketTracker.getReferralCode();
          if (!viaWasm && answer !== null && typeof answer !== "string") throw new Error("not a value");
          out.push(await answer);
        }
        return out;
      },
      { cases, viaWasm },
    );
  const loader = await answers(false);
  assert.ok(!(await fetched()).some((f) => f.name.endsWith(".wasm")), "answered without the wasm");
  await page.evaluate(() => window.RocketTracker.trackSignup("load@example.com"));
  assert.ok((await fetched()).some((f) => f.name.endsWith(".wasm")));
  const wasm = await answers(true);
  assert.deepEqual(loader, wasm);
  // And the cases say what they mean to.
  assert.deepEqual(wasm, [null, "ABC-1_x", "ABC", null, "LS1", "LS2", "LS3", null, null, "LS-5", null, "y".repeat(64)]);
  await context.close();
});

test("a parameter named by the script's params= is a referral too; other parameters are not", async () => {
  const context = await browser.newContext();
  const { page, fetched } = await trackedPage(context);
  // A page of the demo shop's origin that loads the tracker with params=via.
  await context.route("**/lazy-params.html*", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><script async src="/referral-tracker.js?campaignId=${DEMO.contestId}&params=via,%20code"></script>`,
    }),
  );
  await page.goto(`${stack.base}/lazy-params.html?other=${DEMO.referralCode}`);
  await answered(page);
  // The page has nothing in flight (Chromium's network idle): a wasm fetch the
  // loader started would be among its requests.
  await page.waitForLoadState("networkidle");
  assert.ok(!(await fetched()).some((f) => f.name.endsWith(".wasm")), "no configured parameter: no wasm");
  await page.goto(`${stack.base}/lazy-params.html?code=${DEMO.referralCode}`);
  await answered(page);
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), DEMO.referralCode);
  assert.equal((await context.cookies()).find((c) => c.name === "rt_ref")?.value, DEMO.referralCode);
  await context.close();
});

test("main-thread start-up, both kinds of visit: printed (median of 7 fresh visits), not asserted", async () => {
  /** @param {string} path @param {boolean} referred */
  const visits = async (path, referred) => {
    /** @type {Record<string, number>[]} */
    const runs = [];
    for (let i = 0; i < 7; i++) {
      const { page, context } = await trackedPage();
      await page.goto(`${stack.base}${path}`);
      await answered(page);
      if (referred) await page.waitForFunction(() => performance.getEntriesByName("rocket-tracker:wasm", "measure").length > 0);
      runs.push(await startUp(page));
      await context.close();
    }
    const median = (/** @type {number[]} */ xs) => /** @type {number} */ (xs.sort((a, b) => a - b)[xs.length >> 1]);
    const total = runs.map((r) => Object.values(r).reduce((s, v) => s + v, 0));
    return { loader: median(runs.map((r) => r["rocket-tracker:loader"] ?? 0)), wasm: median(runs.map((r) => r["rocket-tracker:wasm"] ?? 0)), total: median(total), max: Math.max(...total) };
  };
  const plain = await visits("/", false);
  const referred = await visits(`/?ref=${DEMO.referralCode}`, true);
  assert.equal(plain.wasm, 0, "no wasm without a referral");
  console.log(
    `start-up (ms, median of 7): no referral: loader ${plain.loader} (max ${plain.max}); ` +
      `referred: loader ${referred.loader} + wasm ${referred.wasm} = ${referred.total} (max ${referred.max})`,
  );
});
