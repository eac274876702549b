// Participant email in Chromium (issue 26), on `npm start`'s stack: getting
// back to one's link. A participant asks for their link on the contest's
// hosted page ("Get your link by email"), opens the link of the `portal`
// message, and the hosted page shows their view: the token came in the URL's
// fragment, was kept in the browser's storage and taken out of the URL; a
// reload keeps the view, "Not you?" forgets it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { signIn } from "./dashboard-kit.mjs";
import { EXPLORER, launchChromium, sentMail, startStack } from "./stack.mjs";

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

/** The widget's shadow content.
 * @param {import("playwright-core").Page} page */
const widget = (page) => page.locator("rocket-referral");

/** The hosted-page link of the `portal` message to `to`, read from the
 * explorer (the message the worker really sent).
 * @param {string} contestId @param {string} to */
async function portalLink(contestId, to) {
  const rows = stack.sql(`SELECT to_address FROM emails WHERE contest_id = '${contestId}' AND kind = 'portal'`);
  assert.deepEqual(rows.map((r) => r.to_address), [to], "one portal message, to the participant");
  const pattern = new RegExp(`https?://[^"\\s\\\\<>]+/r/${contestId}#token=rtp_[\\w.-]+`);
  for (let i = 0; i < 60; i++) {
    for (const text of await sentMail(stack.base)) {
      const link = pattern.exec(text)?.[0];
      if (link && text.includes(to)) return link;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`no portal message to ${to} in ${EXPLORER}`);
}

test("the portal link: asked for on the hosted page, it signs in there; a reload keeps the view, \"Not you?\" forgets it", async () => {
  const contest = await v1("POST", "/api/v1/contests", { name: "Way back" }, 201);
  stack.sql(`UPDATE contests SET email_from = 'contest@shop.example' WHERE id = '${contest.id}'`);
  const ada = await v1("POST", `/api/v1/contests/${contest.id}/entries`, { email: "ada@example.com", name: "Ada" }, 201);

  const asking = await browser.newContext();
  const page = await asking.newPage();
  await page.goto(`${stack.base}/r/${contest.id}`);
  const w = widget(page);
  await w.getByRole("button", { name: "Get your link by email" }).click();
  await w.getByLabel("Email").fill("ADA@example.com");
  await w.getByRole("button", { name: "Get your link by email" }).click();
  await w.getByText("If that address is in, a link is on its way.").waitFor();
  // The page answered the same as for anyone: nothing of the entry on it.
  const asked = await page.evaluate(() => document.querySelector("rocket-referral")?.shadowRoot?.textContent ?? "");
  assert.ok(!asked.includes(ada.referralCode), asked);
  await asking.close();

  const link = await portalLink(contest.id, "ada@example.com");
  const context = await browser.newContext();
  const landing = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  landing.on("pageerror", (e) => errors.push(String(e)));
  await landing.goto(link);
  const box = landing.getByRole("textbox", { name: "Your referral link" });
  await box.waitFor();
  assert.match(await box.inputValue(), new RegExp(`[?&]ref=${ada.referralCode}(#|$)`));
  assert.equal(new URL(landing.url()).hash, "", "the token is gone from the URL");
  assert.equal(new URL(landing.url()).pathname, `/r/${contest.id}`);
  const kept = await landing.evaluate((id) => localStorage.getItem(`rocket-referral:${id}`), contest.id);
  assert.match(kept ?? "", new RegExp(`^rtp_${ada.id}\\.`), "kept in the visitor's storage");

  await landing.reload();
  await box.waitFor();
  assert.match(await box.inputValue(), new RegExp(`[?&]ref=${ada.referralCode}(#|$)`));

  await widget(landing).getByRole("button", { name: "Not you?" }).click();
  await widget(landing).getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  assert.equal(await landing.evaluate((id) => localStorage.getItem(`rocket-referral:${id}`), contest.id), null);
  await landing.reload();
  await widget(landing).getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  assert.equal(await box.count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a join keeps its token: a reload of the hosted page shows the new participant's view", async () => {
  const contest = await v1("POST", "/api/v1/contests", { name: "Keep me" }, 201);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.base}/r/${contest.id}`);
  const w = widget(page);
  await w.getByLabel("Email").fill("newbie@example.com");
  await w.getByRole("button", { name: "Join" }).click();
  const box = page.getByRole("textbox", { name: "Your referral link" });
  await box.waitFor();
  const first = await box.inputValue();
  await page.reload();
  await box.waitFor();
  assert.equal(await box.inputValue(), first);
  await context.close();
});

test("the dashboard's participant panel: the referral link, a participant token shown once with the widget snippet, the sign-in email queued", async () => {
  const contest = await v1("POST", "/api/v1/contests", { name: "Owner helps" }, 201);
  stack.sql(`UPDATE contests SET email_from = 'contest@shop.example' WHERE id = '${contest.id}'`);
  const ada = await v1("POST", `/api/v1/contests/${contest.id}/entries`, { email: "ada@example.com", name: "Ada" }, 201);
  const context = await browser.newContext();
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${stack.base}/dashboard/contests/${contest.id}/participants`);
  await signIn(page, "Owner helps");
  const row = page.getByRole("list", { name: "Participants" }).getByRole("listitem").first();
  await row.getByRole("button", { name: "Manage" }).click();
  const panel = row.getByRole("region", { name: "Access" });
  await panel.getByRole("link", { name: `${stack.base}/r/${contest.id}?ref=${ada.referralCode}` }).waitFor();

  await panel.getByRole("button", { name: "Mint a participant token" }).click();
  const snippet = await panel.locator("pre code").textContent();
  const token = /data-token="(rtp_[\w.-]+)"/.exec(snippet ?? "")?.[1] ?? "";
  assert.match(token, new RegExp(`^rtp_${ada.id}\\.`), snippet ?? "");
  assert.ok(snippet?.includes(`data-contest="${contest.id}"`) && snippet.includes(`${stack.base}/widget.js`), snippet ?? "");
  const read = await fetch(`${stack.base}/api/v1/entries/${ada.id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(read.status, 200, "the minted token reads its entry");
  await panel.getByRole("button", { name: "Done, hide it" }).click();
  assert.equal(await panel.locator("pre").count(), 0, "shown once");

  await panel.getByRole("button", { name: "Send sign-in email" }).click();
  await panel.getByText("Sign-in email on its way to ada@example.com.").waitFor();
  const rows = stack.sql(`SELECT entry_id FROM emails WHERE contest_id = '${contest.id}' AND kind = 'portal'`);
  assert.deepEqual(rows.map((r) => r.entry_id), [ada.id]);
  assert.deepEqual(errors, []);
  await context.close();
});
