// Confirmed signups in Chromium (issue 26, double opt-in), on `npm start`'s
// stack and its demo page: the owner requires email confirmation; a friend
// signs up on the demo shop through an advocate's link (the tracker, as a
// visitor would); the `confirm` message Miniflare's simulated binding sent
// carries a link that, opened in the browser, lands on the contest's hosted
// page and confirms the signup: the advocate's pending referral becomes
// confirmed and the advocate gets `referral.confirmed`. An advocate whose
// address unsubscribed (through the link of a message it got) is told
// nothing optional.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO, EXPLORER, launchChromium, sentMail, startStack } from "./stack.mjs";

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

/** The data of a v1 call with the demo private key, its status checked.
 * @param {string} method @param {string} path @param {unknown} [body] @param {number} [status] */
async function v1(method, path, body, status = 200) {
  const r = await stack.v1(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body.data;
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** The first match of `pattern` in a sent message to `to`, waited for (15 s).
 * @param {string} to @param {RegExp} pattern */
async function linkIn(to, pattern) {
  for (let i = 0; i < 60; i++) {
    for (const text of await sentMail(stack.base)) {
      const link = pattern.exec(text)?.[0];
      if (link && text.includes(to)) return link.replaceAll("\\u0026", "&");
    }
    await sleep(250);
  }
  assert.fail(`no message to ${to} matching ${pattern} in ${EXPLORER}`);
}

/** The contest's `emails` rows of `kind` (D1), once none is queued (10 s at most).
 * @param {string} kind */
async function settledRows(kind) {
  const query = `SELECT to_address, status FROM emails WHERE contest_id = '${DEMO.contestId}' AND kind = '${kind}' ORDER BY to_address`;
  for (let i = 0; i < 40; i++) {
    const rows = stack.sql(query);
    if (rows.length > 0 && rows.every((r) => r.status !== "queued")) return rows;
    await sleep(250);
  }
  return stack.sql(query);
}

/** The referral awards of `advocateId` in the demo contest, by status.
 * @param {string} advocateId @param {string} status */
async function referralAwards(advocateId, status) {
  const awards = await v1("GET", `/api/v1/contests/${DEMO.contestId}/awards?status=${status}&limit=100`);
  return awards.filter((/** @type {any} */ a) => a.entryId === advocateId && a.reason === "referral_advocate");
}

/** Signs `email` up on the demo shop, referred by `code` (the advocate's link),
 * in a fresh browser; answers the tracker's answer as the page shows it.
 * @param {string} code @param {string} email @param {string} name */
async function signUpOnDemoPage(code, email, name) {
  const context = await browser.newContext();
  // The demo page's own referral widget is the demo advocate's; not this test's.
  await context.route("**/demo-widget.json", (route) => route.fulfill({ contentType: "application/json", body: "null" }));
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${stack.base}/?ref=${code}`);
  await page.waitForFunction(() => window.RocketTracker && !("q" in window.RocketTracker));
  await page.fill("#signup-email", email);
  await page.fill("#signup-name", name);
  await page.click("#signup button");
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.getElementById("signup-result")).textContent !== "");
  const answer = JSON.parse(/** @type {string} */ (await page.textContent("#signup-result")));
  assert.deepEqual(errors, []);
  await context.close();
  return answer;
}

/** Turns an optional message on for the demo contest, as the owner does.
 * @param {string} kind */
async function turnOn(kind) {
  const template = await v1("PUT", `/api/v1/contests/${DEMO.contestId}/email-templates/${kind}`, { enabled: true });
  assert.equal(template.enabled, true);
}

test("a referred signup on the demo page is confirmed from its confirm email; the advocate's referral counts and they hear of it; an unsubscribed advocate hears nothing optional", async () => {
  const contest = await v1("PATCH", `/api/v1/contests/${DEMO.contestId}`, {
    requireEmailConfirmation: true,
    emailFrom: "contest@shop.example",
  });
  assert.equal(contest.requireEmailConfirmation, true);
  await turnOn("referral.confirmed");
  const ann = await v1("POST", `/api/v1/contests/${DEMO.contestId}/entries`, { email: "ann@example.com", name: "Ann" }, 201);

  // The friend signs up on the demo shop through Ann's link: held behind the address.
  const signup = await signUpOnDemoPage(ann.referralCode, "friend@example.com", "Fay Friend");
  assert.equal(signup.success, true, JSON.stringify(signup));
  assert.equal(signup.data.status, "pending", JSON.stringify(signup));
  const held = await referralAwards(ann.id, "pending");
  assert.deepEqual(held.map((/** @type {any} */ a) => a.holdReason), ["email_unconfirmed"]);
  assert.equal((await v1("GET", `/api/v1/entries/${ann.id}`)).totalPoints, 0);
  const [fay] = await v1("GET", `/api/v1/contests/${DEMO.contestId}/entries?q=friend%40example.com`);
  assert.equal(fay.emailConfirmation, "pending");

  // The confirm message, as the binding sent it: its link lands on the hosted page.
  const link = await linkIn("friend@example.com", /https?:\/\/[^"\s\\<>]+\/api\/referral\/confirm\?token=rtc_[\w.-]+/);
  assert.ok(link.startsWith(stack.base), link);
  const context = await browser.newContext();
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(link);
  const landed = new URL(page.url());
  assert.equal(landed.pathname, `/r/${DEMO.contestId}`);
  assert.equal(landed.searchParams.get("confirmed"), "1");
  await page.locator("rocket-referral").waitFor();
  // The hosted page says so, as text a screen reader announces.
  assert.equal(await page.getByRole("status").filter({ hasText: "confirmed" }).textContent(), "Your email address is confirmed: your signup counts.");

  const confirmed = await v1("GET", `/api/v1/entries/${fay.id}`);
  assert.equal(confirmed.emailConfirmation, null);
  assert.ok(confirmed.emailConfirmedAt, "confirmed through the link");
  // Ann's referral counts now, and she is told.
  assert.deepEqual(await referralAwards(ann.id, "pending"), []);
  assert.equal((await referralAwards(ann.id, "confirmed")).length, 1);
  assert.equal((await v1("GET", `/api/v1/entries/${ann.id}`)).totalPoints, contest.advocatePoints);
  assert.deepEqual(await settledRows("referral.confirmed"), [{ to_address: "ann@example.com", status: "sent" }]);
  const told = await linkIn("ann@example.com", /A referral counted for you in [^"\\]+/);
  assert.match(told, /^A referral counted for you in /);
  const toAnn = (await sentMail(stack.base)).filter((m) => m.includes("ann@example.com"));
  assert.equal(toAnn.length, 1, "Ann got one message");
  assert.match(toAnn[0] ?? "", new RegExp(`You have ${contest.advocatePoints} points`));

  // A second opening of the same link confirms nothing more.
  await page.goto(link);
  assert.equal(new URL(page.url()).searchParams.get("confirmed"), "already");
  assert.equal(await page.getByRole("status").filter({ hasText: "confirmed" }).textContent(), "Your email address was already confirmed.");
  assert.equal((await referralAwards(ann.id, "confirmed")).length, 1);
  assert.deepEqual(errors, []);
  await context.close();

  // Bob asks for his sign-in link (always sent) and unsubscribes through the
  // link in it; then his friend's confirmed referral tells him nothing.
  const bob = await v1("POST", `/api/v1/contests/${DEMO.contestId}/entries`, { email: "bob@example.com", name: "Bob" }, 201);
  const asked = await fetch(`${stack.base}/api/referral/portal-link`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ contestId: DEMO.contestId, email: "bob@example.com" }),
  });
  assert.equal(asked.status, 202);
  const unsubscribe = await linkIn("bob@example.com", /https?:\/\/[^"\s\\<>]+\/api\/referral\/unsubscribe\?token=[\w.%-]+/);
  const leaving = await browser.newContext();
  const out = await (await leaving.newPage()).goto(unsubscribe);
  assert.equal(out?.status(), 200);
  await leaving.close();

  await signUpOnDemoPage(bob.referralCode, "gus@example.com", "Gus");
  const gusLink = await linkIn("gus@example.com", /https?:\/\/[^"\s\\<>]+\/api\/referral\/confirm\?token=rtc_[\w.-]+/);
  const confirming = await browser.newContext();
  await (await confirming.newPage()).goto(gusLink);
  await confirming.close();
  assert.equal((await referralAwards(bob.id, "confirmed")).length, 1, "Bob's referral counts");
  assert.deepEqual(await settledRows("referral.confirmed"), [
    { to_address: "ann@example.com", status: "sent" },
    { to_address: "bob@example.com", status: "suppressed" },
  ]);
  const toBob = (await sentMail(stack.base)).filter((m) => m.includes("bob@example.com"));
  assert.equal(toBob.length, 1, "only the sign-in message he asked for");
});
