// A visitor follows an advocate's link to the demo page: the tracker stores the
// code in a first-party cookie and hands it back through RocketTracker.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO, launchChromium, startStack } from "./stack.mjs";

let stack;
let browser;

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
  assert.match(out, /\/\?ref=ADA2026/);
  assert.match(out, /validate-code\?code=ADA2026&contestId=ct_demo/);
});

test("?ref= on the demo page becomes a cookie and getReferralCode()", async () => {
  const page = await browser.newPage();
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
  await page.waitForFunction(() => document.getElementById("referral-code").textContent !== "none");
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
    referrerEmail: "ad***@example.com", // masked: the demo contest does not set exposeReferrerEmail
    referrerName: "Ada Advocate",
    contestId: DEMO.contestId,
  });
  const unknown = await fetch(`${stack.base}/api/referral/validate-code?code=NOPE&contestId=${DEMO.contestId}`);
  assert.equal(unknown.status, 200);
  assert.deepEqual(await unknown.json(), { valid: false });
});

test("the tracker script and its wasm are served as static assets", async () => {
  const js = await fetch(`${stack.base}/referral-tracker.js?campaignId=${DEMO.contestId}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type"), /javascript/);
  assert.equal(js.headers.get("access-control-allow-origin"), "*");
  const wasmName = (await js.text()).match(/referral-tracker\.[0-9a-f]{12}\.wasm/)?.[0];
  assert.ok(wasmName, "the script names its content-hashed wasm");
  const wasm = await fetch(`${stack.base}/${wasmName}`);
  assert.equal(wasm.status, 200);
  assert.match(wasm.headers.get("content-type"), /application\/wasm/);
  assert.equal(wasm.headers.get("access-control-allow-origin"), "*");
  assert.match(wasm.headers.get("cache-control"), /immutable/);
});

test("unknown API routes are JSON 404s through the full stack", async () => {
  const res = await fetch(`${stack.base}/api/v1/nothing-here`);
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { success: false, error: "Not found" });
});
