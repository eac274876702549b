// The README's walkthrough, "Run the demo contest from the dashboard", step by
// step in Chromium against `npm start`'s stack: a friend follows the demo
// advocate's link, signs up and pays in the demo shop; the owner signs in with
// the printed demo key and sees it all on the overview, approves the purchase
// the browser reported, finds the friend, refunds in part and exports the
// participants. No curl, no API call but the page's own: the test reads the
// API only to check what the pages show.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, DashboardApp, DEMO, h1, signIn } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

/** @param {string} path */
async function read(path) {
  const r = await app.v1("GET", path);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data;
}

test("the README's walkthrough: a referred friend signs up and pays in the demo shop; the owner runs the demo contest from the dashboard", async () => {
  const output = app.stack.output();
  const demoUrl = /Demo page \(referred visit\): +(\S+)/.exec(output)?.[1];
  const dashboardUrl = /Dashboard: +(\S+)/.exec(output)?.[1];
  assert.equal(demoUrl, `${app.base}/?ref=${DEMO.referralCode}`, "npm start prints the demo link");
  assert.equal(dashboardUrl, `${app.base}/dashboard/`, "npm start prints the dashboard");
  assert.match(output, new RegExp(`private ${DEMO.privateKey}`), "npm start prints the demo private key");
  const before = await read(`/api/v1/contests/${DEMO.contestId}/stats`);

  // 1-3. The friend: the referral link, a signup, a payment, in the demo shop.
  const shop = await app.freshPage();
  await shop.page.goto(demoUrl);
  await shop.page.fill("#signup-email", "walk@example.com");
  await shop.page.fill("#signup-name", "Walker Friend");
  await shop.page.click("#signup button");
  await shop.page.waitForFunction(() => document.getElementById("signup-result")?.textContent !== "");
  await shop.page.fill("#checkout-email", "walk@example.com");
  await shop.page.fill("#checkout-order", "walk-order-1");
  await shop.page.fill("#checkout-amount", "80");
  await shop.page.click("#checkout button");
  await shop.page.waitForFunction(() => document.getElementById("checkout-result")?.textContent !== "");
  await shop.context.close();
  // The visit is written by the queue's consumer, soon after: before the
  // overview reads the numbers it shows.
  await app.visitsWritten(DEMO.contestId, before.visits + 1);

  // 4. The owner signs in with the printed demo key.
  const { page, context, log } = await app.freshPage();
  await page.goto(dashboardUrl);
  await signIn(page);

  // 5. The demo contest's overview: one more visit and signup; the purchase
  // only the browser reported is not revenue (the owner sees it as unverified).
  await page.getByRole("link", { name: "Demo launch contest" }).click();
  await h1(page).filter({ hasText: "Demo launch contest" }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/dashboard/contests/${DEMO.contestId}/overview`);
  const stats = await read(`/api/v1/contests/${DEMO.contestId}/stats`);
  assert.deepEqual(
    [
      stats.visits - before.visits,
      stats.signups - before.signups,
      stats.referredSignups - before.referredSignups,
      stats.purchases - before.purchases,
      stats.unverified.purchases - before.unverified.purchases,
    ],
    [1, 1, 1, 0, 1],
  );
  /** @param {string} label */
  const figure = (label) =>
    page.locator('dl[aria-label="Key numbers"] dt', { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd").textContent();
  await page.locator("dt", { hasText: /^Visits$/ }).waitFor();
  assert.equal(await figure("Visits"), String(stats.visits));
  assert.equal(await figure("Signups"), String(stats.signups));
  assert.equal(await figure("Purchases"), String(stats.purchases));
  await page.locator(".chart canvas").first().waitFor();
  await assertAccessible(page, "the demo contest's overview");

  // 6. Review: the purchase only a browser reported waits; approve it and
  // Ada's total goes up by its points.
  const ada = (await read(`/api/v1/contests/${DEMO.contestId}/entries?q=${DEMO.referralCode}`))[0];
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Review" }).click();
  const pending = page.getByRole("list", { name: "Pending awards" });
  const held = pending.getByRole("listitem").filter({ hasText: "only a browser reported this purchase" });
  await held.first().waitFor();
  // The names arrive after the list (one read per entry): wait for Ada's.
  const approve = held.first().getByRole("button", { name: /^Approve Ada Advocate: / });
  await approve.waitFor();
  const label = (await approve.getAttribute("aria-label")) ?? "";
  assert.match(label, /^Approve Ada Advocate: \+\d+ /, label);
  const points = Number(/\+(\d+)/.exec(label)?.[1]);
  await approve.click();
  await page.getByRole("status").filter({ hasText: `Approved Ada Advocate` }).waitFor();
  const after = (await read(`/api/v1/entries/${ada.id}`)).totalPoints;
  assert.equal(after, ada.totalPoints + points, "the approved award counts");

  // 7. Participants: find the friend by email; they came from the tracker.
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Participants" }).click();
  // (The Search button, not Enter: the new page's heading takes the focus once
  // the contest has loaded, which may follow the typing.)
  await page.getByLabel("Search email, name or code").fill("walk@");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const people = page.getByRole("list", { name: "Participants" });
  // The unsearched list (Ada first) gives way to the search's answer.
  await people.getByRole("heading", { level: 3, name: "Walker Friend" }).waitFor();
  await people.getByRole("heading", { level: 3, name: DEMO.advocateName }).waitFor({ state: "detached" });
  assert.equal(await people.getByRole("listitem").count(), 1);
  assert.equal(await people.getByRole("heading", { level: 3 }).textContent(), "Walker Friend");
  await people.getByText("from tracker").waitFor();

  // 8. Purchases: refund 30 of the 80.
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Purchases" }).click();
  const order = page.getByRole("listitem").filter({ hasText: "walk-order-1" });
  await order.waitFor();
  await order.getByRole("button", { name: "Refund…" }).click();
  const refund = page.getByRole("form", { name: "Refund order walk-order-1" });
  await refund.getByLabel(/^Amount to refund/).fill("30");
  await refund.getByRole("button", { name: "Refund", exact: true }).click();
  await page.getByRole("status").filter({ hasText: /Refunded/ }).waitFor();
  const purchase = (await read(`/api/v1/contests/${DEMO.contestId}/purchases?limit=100`)).find((/** @type {any} */ p) => p.orderId === "walk-order-1");
  assert.equal(purchase.refundedAmount, 30);

  // 9. Exports: the participants CSV has the friend.
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Exports" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download participants CSV" }).click()]);
  const csv = readFileSync(/** @type {string} */ (await download.path()), "utf8");
  assert.match(csv.split("\r\n")[0] ?? "", /^id,email,name,referralCode,/);
  assert.ok(csv.split("\r\n").some((line) => line.includes("walk@example.com") && line.includes("Walker Friend")), csv);
  assertClean(log);
  await context.close();
});
