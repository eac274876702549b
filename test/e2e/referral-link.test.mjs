// A visitor follows an advocate's link to the demo page: the tracker stores the
// code in a first-party cookie and hands it back through RocketTracker.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { DEMO, launchChromium, startStack } from "./stack.mjs";

/** @type {import("./stack.mjs").Stack} */
let stack;
/** @type {import("playwright-core").Browser} */
let browser;

/** A pattern matching `text` as it is. @param {string} text */
const literally = (text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test("the run command prints the URLs to try", () => {
  const out = stack.output();
  assert.match(out, literally(`/?ref=${DEMO.referralCode}`));
  assert.match(out, literally(`validate-code?code=${DEMO.referralCode}&contestId=${DEMO.contestId}`));
});

test("the demo page embeds the tracker for the demo contest and links the demo code", () => {
  const page = readFileSync(new URL("../../www/index.html", import.meta.url), "utf8");
  assert.match(page, literally(`src="/referral-tracker.js?campaignId=${DEMO.contestId}&`));
  assert.match(page, literally(`href="/?ref=${DEMO.referralCode}"`));
});

test("?ref= on the demo page becomes a cookie and getReferralCode()", async () => {
  const page = await browser.newPage();
  /** @type {Error[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${stack.base}/?ref=${DEMO.referralCode}`);
  await page.waitForFunction(() => window.RocketTracker?.getReferralCode?.() !== null, null, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), DEMO.referralCode);
  const cookies = await page.context().cookies();
  const ref = cookies.find((c) => c.name === "rt_ref");
  assert.ok(ref, "rt_ref cookie set");
  assert.equal(ref.value, DEMO.referralCode);
  assert.equal(ref.sameSite, "Lax");
  assert.ok(ref.expires * 1000 > Date.now() + 59 * 86_400_000, "cookie lasts 60 days");

  // The code survives navigation to a page without ?ref.
  await page.goto(`${stack.base}/`);
  await page.waitForFunction(
    () => /** @type {HTMLElement} */ (document.getElementById("referral-code")).textContent !== "none",
  );
  assert.equal(await page.evaluate(() => window.RocketTracker.getReferralCode()), DEMO.referralCode);
  assert.deepEqual(errors, []);
  await page.close();
});

test("validate-code answers for the seeded demo code, and not for an unknown one", async () => {
  const ok = await fetch(
    `${stack.base}/api/referral/validate-code?code=${DEMO.referralCode}&contestId=${DEMO.contestId}`,
  );
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), {
    valid: true,
    // masked (the first two characters of the local part): the demo contest does not set exposeReferrerEmail
    referrerEmail: DEMO.advocateEmail.replace(/^(.{1,2})[^@]*@/, "$1***@"),
    referrerName: DEMO.advocateName,
    contestId: DEMO.contestId,
  });
  const unknown = await fetch(`${stack.base}/api/referral/validate-code?code=NOPE&contestId=${DEMO.contestId}`);
  assert.equal(unknown.status, 200);
  assert.deepEqual(await unknown.json(), { valid: false });
});

test("the tracker script and its wasm are served as static assets", async () => {
  const js = await fetch(`${stack.base}/referral-tracker.js?campaignId=${DEMO.contestId}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type") ?? "", /javascript/);
  assert.equal(js.headers.get("access-control-allow-origin"), "*");
  const wasmName = (await js.text()).match(/referral-tracker\.[0-9a-f]{12}\.wasm/)?.[0];
  assert.ok(wasmName, "the script names its content-hashed wasm");
  const wasm = await fetch(`${stack.base}/${wasmName}`);
  assert.equal(wasm.status, 200);
  assert.match(wasm.headers.get("content-type") ?? "", /application\/wasm/);
  assert.equal(wasm.headers.get("access-control-allow-origin"), "*");
  assert.match(wasm.headers.get("cache-control") ?? "", /immutable/);
});

test("the browser sources and the type-checking config are not served (www/.assetsignore)", async () => {
  for (const path of ["/src/api/client.ts", "/tsconfig.json"]) {
    const res = await fetch(`${stack.base}${path}`);
    assert.equal(res.status, 404, path);
  }
});

test("unknown API routes are JSON 404s through the full stack", async () => {
  const res = await fetch(`${stack.base}/api/v1/nothing-here`);
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { success: false, error: "Not found" });
});
