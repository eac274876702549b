// Prizes (issue 24) in Chromium, the README's "Prizes" walkthrough: the owner
// defines a milestone prize with a pool of codes (pasted, then a CSV file) and
// a rank prize on the dashboard's Prizes page; three referred signups earn the
// milestone and the advocate's widget shows its code; the owner ends and
// finalizes the contest there (the confirmation counts the awards still
// pending); the final standings show, the payouts file has the rank prize's
// credit, and the hosted page shows the winners.
// The API is read only to check what the pages show.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, assertFits, DashboardApp, h1, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

/** The data of a v1 call with the demo private key, its status checked.
 * @param {string} method @param {string} path @param {unknown} [body] @param {number} [status] */
async function v1(method, path, body, status = 200) {
  const r = await app.v1(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body.data;
}

/** A page of the owner's site (same origin as the stack, answered by the
 * test) embedding the widget with the advocate's participant token.
 * @param {string} contestId @param {string} token */
async function widgetPage(contestId, token) {
  const fresh = await app.freshPage();
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><main><h1>The shop</h1><div id="rocket-referral"></div><script async src="/widget.js" data-contest="${contestId}" data-token="${token}"></script></main></body></html>`;
  await fresh.page.route(`${app.base}/prize-shop`, (route) => route.fulfill({ contentType: "text/html", body: html }));
  await fresh.page.goto(`${app.base}/prize-shop`);
  return fresh;
}

test("prizes: a milestone with codes and a rank prize defined on the dashboard; three referrals earn the code in the widget; end, finalize, and the hosted page shows the winners", async () => {
  const contest = await app.newContest({ name: "Prize run", advocatePoints: 10, friendPoints: 5 });
  const ada = await app.newEntry(contest.id, { email: "ada@example.com", name: "Ada Lovelace" });
  const { token } = await v1("POST", `/api/v1/entries/${ada.id}/token`, {}, 201);

  // 1. The owner defines the milestone prize: 3 referrals, a code each.
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/prizes`, "Prize run");
  await h1(page).filter({ hasText: "prizes" }).waitFor();
  await page.getByText("No prizes yet: define the first one below.").waitFor();
  await assertAccessible(page, "the Prizes page, empty");
  const form = page.getByRole("form", { name: "New prize" });
  await form.getByLabel("Name").fill("20% off");
  await form.getByLabel("Description (optional)").fill(XSS);
  await form.getByLabel("Kind").selectOption("milestone");
  await form.getByLabel("Counted in").selectOption("referrals");
  await form.getByLabel("Threshold").fill("3");
  await form.getByLabel("Handed out as").selectOption("code");
  await form.getByRole("button", { name: "Create prize" }).click();
  await page.getByText("Created “20% off”.").waitFor();
  const prizes = page.getByRole("list", { name: "Prizes" });
  await prizes.getByRole("heading", { name: "20% off" }).waitFor();
  const [milestone] = await v1("GET", `/api/v1/contests/${contest.id}/prizes`);
  assert.equal(milestone.name, "20% off");
  assert.deepEqual(milestone.threshold, { referrals: 3 });
  assert.equal(milestone.fulfilment.type, "code");

  // 2. Its codes: two pasted, then a CSV file (its first column, the header skipped).
  await page.getByRole("button", { name: "Add codes to 20% off" }).click();
  const codes = page.getByRole("form", { name: "Codes for 20% off" });
  await codes.getByLabel("Codes, one per line").fill("SAVE-1\nSAVE-2\n\nSAVE-1\n");
  await codes.getByRole("button", { name: "Add codes" }).click();
  await page.getByText("Added 2 codes to “20% off”; 2 available.").waitFor();
  await codes.getByLabel("CSV file").setInputFiles({
    name: "codes.csv",
    mimeType: "text/csv",
    buffer: Buffer.from('code,batch\r\nSAVE-3,b1\r\n"SAVE-4",b1\r\nSAVE-2,b1\r\n'),
  });
  await page.waitForFunction(() => document.querySelector("textarea")?.value.includes("SAVE-4"));
  await codes.getByRole("button", { name: "Add codes" }).click();
  await page.getByText("Added 2 codes to “20% off” (1 already there); 4 available.").waitFor();
  await prizes.getByText("4 codes available").waitFor();

  // 3. The rank prize: the first place, $50 of credit.
  await form.getByLabel("Name").fill("Grand prize");
  await form.getByLabel("Kind").selectOption("rank");
  await form.getByLabel("From place").fill("1");
  await form.getByLabel("Handed out as").selectOption("credit");
  await form.getByLabel("Amount").fill("50");
  assert.equal(await form.getByLabel("Currency").inputValue(), "USD", "the contest's reward currency");
  await form.getByRole("button", { name: "Create prize" }).click();
  await prizes.getByRole("heading", { name: "Grand prize" }).waitFor();
  await assertAccessible(page, "the Prizes page with two prizes");
  assert.equal(await page.locator("img").count(), 0, "the description is text");

  // 4. Two referred signups: the widget shows the progress to the milestone.
  for (const n of [1, 2]) await app.newEntry(contest.id, { email: `friend${n}@example.com`, name: `Friend ${n}`, referralCode: ada.referralCode });
  const shop = await widgetPage(contest.id, token);
  const widget = shop.page.locator("rocket-referral");
  await widget.getByText("1 more referral to unlock 20% off").waitFor();
  await widget.getByRole("heading", { name: "Prizes" }).waitFor();
  await widget.getByText("at 3 referrals").waitFor();
  assert.equal(await widget.getByRole("button", { name: "Copy code" }).count(), 0);

  // 5. The third earns it: the widget shows the oldest code, and copies it.
  await app.newEntry(contest.id, { email: "friend3@example.com", name: "Friend 3", referralCode: ada.referralCode });
  await shop.page.reload();
  await widget.getByRole("heading", { name: "Your prizes" }).waitFor();
  await widget.getByText("SAVE-1", { exact: true }).waitFor();
  await widget.getByRole("button", { name: "Copy code" }).click();
  await widget.getByText("Copied.").waitFor();
  assert.equal(await shop.page.evaluate(() => navigator.clipboard.readText()), "SAVE-1");
  await assertAccessible(shop.page, "the widget with a prize earned");
  assert.equal(await widget.locator("img").count(), 0);
  assertClean(shop.log);
  await shop.context.close();
  const earned = await v1("GET", `/api/v1/contests/${contest.id}/prize-awards?status=earned`);
  assert.deepEqual(
    earned.map((/** @type {any} */ a) => [a.prizeId, a.entryId, a.code]),
    [[milestone.id, ada.id, "SAVE-1"]],
  );

  // 6. A fourth signup waits for review (its two awards): the finalize confirmation counts them.
  await v1("PATCH", `/api/v1/contests/${contest.id}`, { referralAwards: "review" });
  await app.newEntry(contest.id, { email: "friend4@example.com", name: "Friend 4", referralCode: ada.referralCode });
  assert.equal((await app.awards(contest.id, "pending")).length, 2);

  // 7. The owner sees the award, ends and finalizes the contest.
  await page.reload();
  const awards = page.getByRole("list", { name: "Prize awards" });
  await awards.getByText("ada@example.com", { exact: true }).waitFor();
  await awards.getByText("SAVE-1", { exact: true }).waitFor();
  await page.getByRole("button", { name: "End the contest now…" }).click();
  await page.getByRole("group", { name: "Confirm ending the contest" }).getByRole("button", { name: "Yes, end it" }).click();
  await page.getByText("The contest has ended", { exact: false }).first().waitFor();
  assert.equal((await v1("GET", `/api/v1/contests/${contest.id}`)).status, "ended");
  await page.getByRole("button", { name: "Finalize…" }).click();
  const confirm = page.getByRole("group", { name: "Confirm finalizing the contest" });
  await confirm.getByText("2 awards are still pending review: they do not count.", { exact: false }).waitFor();
  await assertAccessible(page, "the finalize confirmation");
  await confirm.getByRole("button", { name: "Yes, finalize" }).click();
  await page.getByText("The contest is finalized", { exact: false }).first().waitFor();
  const standings = page.getByRole("table", { name: "Final standings" });
  await standings.waitFor();
  const first = standings.getByRole("row").nth(1);
  assert.deepEqual(
    (await first.getByRole("cell").allTextContents()).slice(0, 3),
    ["1", "Ada Lovelace", "30"],
  );
  await awards.getByRole("heading", { name: /Grand prize/ }).waitFor();
  const rankAwards = await v1("GET", `/api/v1/contests/${contest.id}/prize-awards?status=earned`);
  assert.ok(
    rankAwards.some((/** @type {any} */ a) => a.entryId === ada.id && a.rank === 1 && a.code === null),
    JSON.stringify(rankAwards),
  );
  await assertAccessible(page, "the Prizes page, finalized");

  // 8. The payouts file: Ada is owed the $50 credit of the rank prize.
  await page.getByLabel("Format").selectOption("generic");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download payouts CSV" }).click()]);
  assert.equal(download.suggestedFilename(), `${contest.id}-payouts-generic.csv`);
  const rows = readFileSync(/** @type {string} */ (await download.path()), "utf8").trim().split(/\r?\n/);
  assert.equal(rows[0], "entryId,email,name,amount,currency");
  assert.deepEqual(rows.slice(1), [`${ada.id},ada@example.com,Ada Lovelace,50.00,USD`]);
  await page.getByText(`Downloaded ${contest.id}-payouts-generic.csv`, { exact: false }).waitFor();
  assertClean(log);

  // 9. The hosted page: the results, the winner's name masked.
  const visitor = await app.freshPage({ width: 360, height: 740 });
  await visitor.page.goto(`${app.base}/r/${contest.id}`);
  const hosted = visitor.page.locator("rocket-referral");
  await hosted.getByRole("heading", { name: "Results" }).waitFor();
  await hosted.getByText("Grand prize").waitFor();
  await hosted.getByText("Ada L.", { exact: true }).waitFor();
  assert.equal(await hosted.getByText("Lovelace").count(), 0, "the full name is not shown");
  await hosted.getByText("Earned by 1").waitFor();
  await assertAccessible(visitor.page, "the hosted page with the results");
  await assertFits(visitor.page, "the hosted page with the results");
  await visitor.context.close();
  await context.close();
});
