// The dashboard's Email settings (issue 26) in headless Chromium against the
// local stack: the sender and the default language of a contest's messages,
// saved in one PATCH of what changed, shown again on reload, the API's refusal
// shown; axe-core on the page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, assertFits, DashboardApp, h1, signIn, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

test("email settings: sender, reply-to and language go out in one PATCH and come back on reload", async () => {
  const contest = await app.newContest({ name: "Mail settings" });
  const { page, context, log } = await app.freshPage();
  /** @type {Record<string, unknown>[]} */
  const patches = [];
  page.on("request", (r) => r.method() === "PATCH" && patches.push(JSON.parse(r.postData() ?? "null")));
  await page.goto(`${app.stack.base}/dashboard/contests/${contest.id}/settings`);
  await signIn(page, "Mail settings");
  await assertAccessible(page, "the contest settings page with its Email fieldset");

  await page.getByLabel("Sender address").fill("contest@mail.example.com");
  await page.getByLabel("Sender name").fill("Mail <b>settings</b>");
  await page.getByLabel("Reply-to address").fill("help@example.com");
  await page.getByLabel("Default language").selectOption("de");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(patches, [
    { emailFrom: "contest@mail.example.com", emailFromName: "Mail <b>settings</b>", emailReplyTo: "help@example.com", emailLocale: "de" },
  ]);
  const saved = (await app.stack.v1("GET", `/api/v1/contests/${contest.id}`)).body.data;
  assert.equal(saved.emailFrom, "contest@mail.example.com");
  assert.equal(saved.emailLocale, "de");

  await page.reload();
  await h1(page).filter({ hasText: "Mail settings" }).waitFor();
  assert.equal(await page.getByLabel("Sender name").inputValue(), "Mail <b>settings</b>");
  assert.equal(await page.getByLabel("Default language").inputValue(), "de");

  // Cleared: null goes out for it alone.
  await page.getByLabel("Reply-to address").fill("");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(patches.at(-1), { emailReplyTo: null });
  assertClean(log);
  await context.close();
});

test("email confirmation: the switch and the days go out in one PATCH and come back on reload", async () => {
  const contest = await app.newContest({ name: "Opt in" });
  const { page, context, log } = await app.freshPage();
  /** @type {Record<string, unknown>[]} */
  const patches = [];
  page.on("request", (r) => r.method() === "PATCH" && patches.push(JSON.parse(r.postData() ?? "null")));
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/settings`, "Opt in");
  const box = page.getByRole("checkbox", { name: "Require email confirmation" });
  assert.equal(await box.isChecked(), false);
  assert.equal(await page.getByLabel("Days to confirm").inputValue(), "7");
  await box.check();
  await page.getByLabel("Days to confirm").fill("3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(patches, [{ requireEmailConfirmation: true, confirmationDays: 3 }]);
  const saved = (await app.v1("GET", `/api/v1/contests/${contest.id}`)).body.data;
  assert.equal(saved.requireEmailConfirmation, true);
  assert.equal(saved.confirmationDays, 3);

  await page.reload();
  await h1(page).filter({ hasText: "Opt in" }).waitFor();
  assert.equal(await page.getByRole("checkbox", { name: "Require email confirmation" }).isChecked(), true);
  assert.equal(await page.getByLabel("Days to confirm").inputValue(), "3");
  // Out of range (1 to 90): the form refuses it, nothing is sent.
  await page.getByLabel("Days to confirm").fill("91");
  await page.getByRole("button", { name: "Save settings" }).click();
  assert.equal(await page.getByLabel("Days to confirm").evaluate((el) => /** @type {HTMLInputElement} */ (el).validity.rangeOverflow), true);
  assert.equal(patches.length, 1);
  assertClean(log);
  await context.close();
});

/** The contest's messages once none is queued (10 s at most).
 * @param {string} contestId */
async function settledEmails(contestId) {
  for (let i = 0; ; i++) {
    const list = (await app.v1("GET", `/api/v1/contests/${contestId}/emails`)).body.data;
    if (i >= 40 || (list.length > 0 && list.every((/** @type {any} */ m) => m.status !== "queued"))) return list;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("the Email page lists what was sent and what failed, with the error", async () => {
  // No sender yet: the welcome message is written and fails at once, saying why.
  const contest = await app.newContest({ name: "Mail log" });
  assert.equal((await app.v1("PUT", `/api/v1/contests/${contest.id}/email-templates/welcome`, { enabled: true })).status, 200);
  await app.newEntry(contest.id, { email: "wendy@example.com", name: XSS });
  const failed = await settledEmails(contest.id);
  assert.deepEqual(
    failed.map((/** @type {any} */ m) => [m.kind, m.to, m.status]),
    [["welcome", "wendy@example.com", "failed"]],
  );
  await app.v1("PATCH", `/api/v1/contests/${contest.id}`, { emailFrom: "contest@shop.example" });
  const vic = await app.newEntry(contest.id, { email: "vic@example.com", name: "Vic" });
  assert.equal((await app.v1("POST", `/api/v1/entries/${vic.id}/sign-in-email`)).status, 202);
  await settledEmails(contest.id);

  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/email`, "Mail log");
  const list = page.getByRole("list", { name: "Email messages" });
  const rows = list.getByRole("listitem");
  await rows.first().waitFor();
  const wendy = rows.filter({ hasText: "wendy@example.com" });
  assert.equal(await wendy.count(), 1);
  await wendy.getByText("Failed: The contest has no sender address (PATCH email.from)").waitFor();
  assert.equal(await wendy.locator(".badge").textContent(), "failed");
  const vicRows = rows.filter({ hasText: "vic@example.com" });
  // Vic's welcome and his sign-in link, both sent.
  assert.deepEqual((await vicRows.locator("h3").allTextContents()).sort(), ["Sign-in link to vic@example.com", "Welcome to vic@example.com"]);
  assert.deepEqual(await vicRows.locator(".badge").allTextContents(), ["sent", "sent"]);
  await assertAccessible(page, "the Email page");

  // Only the failed ones.
  await page.getByLabel("Show").selectOption("failed");
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Email messages"] > li').length === 1);
  assert.match((await rows.first().textContent()) ?? "", /wendy@example\.com/);
  assertClean(log);
  await context.close();
});

test("the message editor: on/off, subject with placeholders, the API's refusal, a test send in the list, reset to default", async () => {
  const contest = await app.newContest({ name: "Mail words", emailFrom: "contest@shop.example" });
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/email`, "Mail words");
  const messages = page.getByRole("list", { name: "Messages" }).getByRole("listitem");
  await messages.first().waitFor();
  assert.deepEqual(await messages.locator("h3").allTextContents(), [
    "Welcome",
    "Confirm address",
    "Referral counted",
    "Prize earned",
    "Results",
    "Sign-in link",
  ]);
  assert.deepEqual(await messages.locator(".badge").allTextContents(), ["off", "off", "off", "off", "off", "on"]);

  // The sign-in link cannot be switched off; confirm follows the setting.
  const portal = messages.filter({ has: page.getByRole("heading", { name: "Sign-in link" }) });
  await portal.getByRole("button", { name: "Edit Sign-in link" }).click();
  await portal.getByText("Always sent: participants ask for it.").waitFor();
  assert.equal(await portal.getByRole("checkbox").count(), 0);
  await portal.getByRole("button", { name: "Close Sign-in link" }).click();

  const welcome = messages.filter({ has: page.getByRole("heading", { name: "Welcome" }) });
  await welcome.getByRole("button", { name: "Edit Welcome" }).click();
  const form = welcome.getByRole("form", { name: "Welcome message" });
  assert.equal(await form.getByLabel("Subject").inputValue(), "Welcome to {{contestName}}");
  assert.match(await form.getByText("Placeholders:").textContent() ?? "", /\{\{name\}\}.*\{\{referralLink\}\}.*\{\{portalLink\}\}/);
  await assertAccessible(page, "the Email page with a message's editor open");
  await page.setViewportSize({ width: 360, height: 740 });
  await assertFits(page, "the Email page with a message's editor open");
  await page.setViewportSize({ width: 1280, height: 900 });

  // A placeholder the message does not have: the API's refusal is shown, nothing saved.
  await form.getByLabel("Subject").fill("Hi {{nope}}");
  await form.getByRole("button", { name: "Save Welcome" }).click();
  await welcome.getByRole("alert").filter({ hasText: "nope" }).waitFor();
  const kept = (await app.v1("GET", `/api/v1/contests/${contest.id}/email-templates/welcome`)).body.data;
  assert.equal(kept.custom.subject, false);

  await form.getByRole("checkbox", { name: "Send welcome messages" }).check();
  await form.getByLabel("Subject").fill(`Hello {{name}}, ${XSS}`);
  await form.getByRole("button", { name: "Save Welcome" }).click();
  await welcome.getByRole("status").filter({ hasText: "Welcome: saved." }).waitFor();
  assert.deepEqual(log.bodies.filter((b) => b.method === "PUT").map((b) => b.body), [
    { subject: "Hi {{nope}}" },
    { enabled: true, subject: `Hello {{name}}, ${XSS}` },
  ]);
  assert.equal(await welcome.locator(".badge").textContent(), "on");
  const saved = (await app.v1("GET", `/api/v1/contests/${contest.id}/email-templates/welcome`)).body.data;
  assert.equal(saved.enabled, true);
  assert.equal(saved.subject, `Hello {{name}}, ${XSS}`);

  // A test send goes to the owner's address and shows in the list below.
  await welcome.getByRole("button", { name: "Send a test of Welcome" }).click();
  await welcome.getByRole("status").filter({ hasText: "A test of welcome is on its way to contest@shop.example." }).waitFor();
  const sent = page.getByRole("list", { name: "Email messages" }).getByRole("listitem").filter({ hasText: "Test to contest@shop.example" });
  await sent.locator(".badge", { hasText: "sent" }).waitFor({ timeout: 15_000 });

  // Back to the shipped text, after a confirmation; still on.
  await form.getByRole("button", { name: "Reset to default (Welcome)" }).click();
  await welcome.getByRole("group", { name: "Confirm resetting Welcome" }).getByRole("button", { name: "Yes, reset" }).click();
  await welcome.getByRole("status").filter({ hasText: "Welcome: back to the shipped text." }).waitFor();
  assert.equal(await form.getByLabel("Subject").inputValue(), "Welcome to {{contestName}}");
  assert.deepEqual(log.bodies.filter((b) => b.method === "PUT").at(-1)?.body, { subject: null, text: null, html: null });
  const reset = (await app.v1("GET", `/api/v1/contests/${contest.id}/email-templates/welcome`)).body.data;
  assert.equal(reset.customized, false);
  assert.equal(reset.enabled, true);
  assertClean(log, /status of 409/);
  await context.close();
});
