// The owner's first hour in the dashboard (issue 27), in Chromium against the
// local stack: a new contest's getting-started checklist with the tracker's and
// the widget's snippets (ticked from what the contest has seen; the screenshot
// docs/dashboard-getting-started.png for the README), the referral funnel of
// one population, an ended contest's card, the purchase wording after an
// approved browser purchase, the review cards' details (buyer and amount,
// fraud signals, the friend, a proof URL as a safe link), and money shown only
// for a monetary contest. axe-core on every page changed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, DashboardApp, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

/** A keyless call as a browser at `address` makes it (the tracker's, the widget's).
 * @param {string} method @param {string} path @param {Record<string, unknown> | undefined} body @param {string} address */
async function browser(method, path, body, address) {
  const res = await fetch(`${app.base}${path}`, {
    method,
    headers: { "content-type": "application/json", "cf-connecting-ip": address },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** @param {string} method @param {string} path @param {unknown} [body] */
async function v1(method, path, body) {
  const r = await app.v1(method, path, body);
  assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data;
}

/** The checklist's steps as [title, state]. @param {import("playwright-core").Page} page */
const steps = (page) =>
  page
    .getByRole("list", { name: "Getting-started steps" })
    .locator(":scope > li h3")
    .evaluateAll((hs) => hs.map((h) => [h.querySelector(".step-title")?.textContent ?? "", h.querySelector(".badge")?.textContent ?? ""]));

test("a new contest's settings: the getting-started checklist with the tracker's and the widget's snippets, each step ticked from what the contest has seen", async () => {
  const contest = await app.newContest({ name: "First hour shop" });
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/settings`, "First hour shop");
  const checklist = page.getByRole("region", { name: "Getting started" });
  await checklist.waitFor();
  await checklist.getByText("4 of 4 steps left.", { exact: false }).waitFor();
  assert.deepEqual(await steps(page), [
    ["Install the tracker", "not yet"],
    ["Add the widget", "not yet"],
    ["Connect Stripe", "not yet"],
    ["Make a test referral", "not yet"],
  ]);
  // The snippets to paste, for this contest on this origin.
  const trackerTag = `<script async src="${app.base}/referral-tracker.js?campaignId=${contest.id}"></script>`;
  const widgetTag = `<div id="rocket-referral"></div>\n<script async src="${app.base}/widget.js" data-contest="${contest.id}"></script>`;
  assert.equal(await checklist.locator("#start-tracker").textContent(), trackerTag);
  assert.equal(await checklist.locator("#start-widget").textContent(), widgetTag);
  assert.equal(await checklist.locator("#start-stripe").textContent(), `${app.base}/api/webhooks/stripe/${contest.id}`);
  // The widget's own section, with its token line explained.
  const widget = page.getByRole("region", { name: "Participant widget" });
  assert.equal(await widget.locator("#widget-snippet").textContent(), widgetTag);
  assert.equal(
    await widget.locator("#widget-token-snippet").textContent(),
    `<div id="rocket-referral"></div>\n<script async src="${app.base}/widget.js" data-contest="${contest.id}" data-token="PARTICIPANT_TOKEN"></script>`,
  );
  await widget.getByText("carries a participant token your server mints for that customer", { exact: false }).waitFor();
  await widget.getByText("never put an API key in a page", { exact: false }).waitFor();
  await widget.getByRole("button", { name: "Copy widget script with a participant token" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await widget.locator("#widget-token-snippet").textContent());
  await assertAccessible(page, "the settings page with the checklist");
  await page.evaluate(() => window.scrollTo(0, 0));
  await checklist.screenshot({ path: new URL("../../docs/dashboard-getting-started.png", import.meta.url).pathname });

  // The tracker records a referred visit, and the widget loads its join form.
  const owner = await app.newEntry(contest.id, { email: "owner@example.com", name: "Owner" });
  await browser("POST", "/api/referral/track-visit", { contestId: contest.id, referralCode: owner.referralCode }, "198.51.100.61");
  await app.visitsWritten(contest.id, 1);
  await browser("GET", `/api/referral/join?contestId=${contest.id}`, undefined, "198.51.100.62");
  await checklist.getByRole("button", { name: "Check again" }).click();
  await checklist.getByText("2 of 4 steps left.", { exact: false }).waitFor();
  assert.deepEqual(await steps(page), [
    ["Install the tracker", "done"],
    ["Add the widget", "done"],
    ["Connect Stripe", "not yet"],
    ["Make a test referral", "not yet"],
  ]);
  await checklist.getByText("Seen: a visit through a referral link was recorded.").waitFor();
  assert.equal(await checklist.locator("#start-tracker").count(), 0, "a done step's snippet is put away");

  // Stripe's secret set in the form, and a referred signup: done.
  await page.getByLabel("Stripe signing secret", { exact: true }).fill("whsec_first_hour");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Saved.").waitFor();
  assert.equal((await v1("GET", `/api/v1/contests/${contest.id}/checklist`)).stripeSeen, true);
  await checklist.getByText("1 of 4 steps left.", { exact: false }).waitFor();
  assert.deepEqual((await steps(page)).map(([, state]) => state), ["done", "done", "done", "not yet"]);
  await browser("POST", "/api/referral/track-signup", { contestId: contest.id, email: "friend@example.com", referralCode: owner.referralCode }, "198.51.100.63");
  await page.reload();
  await page.getByText("Getting started: done.", { exact: false }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Getting started" }).count(), 0);
  await assertAccessible(page, "the settings page, all steps done");
  assertClean(log);
  await context.close();
});

test("the overview's referral funnel: referred visits -> referred signups -> referred buyers, each step saying what it counts", async () => {
  const contest = await app.newContest({ name: "Funnel shop" });
  const ada = await app.newEntry(contest.id, { email: "ada@example.com", name: "Ada" });
  for (const n of [1, 2]) await browser("POST", "/api/referral/track-visit", { contestId: contest.id, referralCode: ada.referralCode }, `198.51.100.7${n}`);
  await app.visitsWritten(contest.id, 2);
  // One referred signup, who buys twice; two signups nobody referred.
  await app.newEntry(contest.id, { email: "ben@example.com", referralCode: ada.referralCode });
  await app.newEntry(contest.id, { email: "cy@example.com" });
  for (const orderId of ["o-1", "o-2"]) await v1("POST", `/api/v1/contests/${contest.id}/purchases`, { email: "ben@example.com", orderId, amount: 10 });
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/overview`, "Funnel shop");
  const funnel = page.getByRole("list", { name: "Referral funnel" });
  await funnel.waitFor();
  assert.deepEqual(
    await funnel.locator("li").evaluateAll((items) =>
      items.map((li) => [".funnel-step", ".funnel-count", ".funnel-rate"].map((c) => li.querySelector(c)?.textContent ?? "")),
    ),
    [
      ["Referred visits", "2", ""],
      ["Referred signups", "1", " (50.0% of referred visits)"],
      ["Referred buyers", "1", " (100.0% of referred signups)"],
    ],
  );
  await funnel.getByText("Visits through an advocate's referral link, each address counted once a day.").waitFor();
  await funnel.getByText("signups nobody referred are not counted here", { exact: false }).waitFor();
  await funnel.getByText("Referred signups with at least one verified purchase: 2 purchases between them.").waitFor();
  assert.equal(await page.getByText("300.0%", { exact: false }).count(), 0);
  await assertAccessible(page, "the overview's funnel");
  assertClean(log);
  await context.close();
});

test("an ended contest's card says when it ended, never 'ends' ahead", async () => {
  const past = await app.newContest({ name: "Summer sale (over)", endsAt: "2026-06-01T00:00:00Z" });
  const stopped = await app.newContest({ name: "Stopped early", endsAt: "2099-12-31T00:00:00Z" });
  const ended = await v1("POST", `/api/v1/contests/${stopped.id}/end`);
  const running = await app.newContest({ name: "Still running", endsAt: "2099-12-31T00:00:00Z" });
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, "/dashboard/", "Contests");
  const card = (/** @type {string} */ name) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
  await card("Summer sale (over)").getByText(`${past.id} · ended on 2026-06-01 00:00 UTC`).waitFor();
  await card("Stopped early").getByText(`${stopped.id} · ended on ${ended.endedAt.slice(0, 10)} ${ended.endedAt.slice(11, 16)} UTC`).waitFor();
  await card("Still running").getByText(`${running.id} · ends 2099-12-31 00:00 UTC`).waitFor();
  for (const name of ["Summer sale (over)", "Stopped early"]) {
    assert.equal(await card(name).getByText("ends ", { exact: false }).count(), 0, `${name}: no future tense`);
    assert.equal(await card(name).locator(".badge").textContent(), "ended");
  }
  await assertAccessible(page, "the contests list");
  assertClean(log);
  await context.close();
});

test("review cards and purchases: a held purchase's buyer and amount, the fraud signals, the friend, a proof URL as a safe link; an approved browser purchase's wording", async () => {
  const contest = await app.newContest({ name: "Review details", referralAwards: "review" });
  const ada = await app.newEntry(contest.id, { email: "ada@example.com", name: "Ada Advocate" });
  // A referral held for review (a browser signup), one held for fraud (a disposable address).
  const nina = await browser("POST", "/api/referral/track-signup", { contestId: contest.id, email: "nina@example.com", name: "Nina Friend", referralCode: ada.referralCode }, "198.51.100.81");
  await browser("POST", "/api/referral/track-signup", { contestId: contest.id, email: "x@mailinator.com", referralCode: ada.referralCode }, "198.51.100.82");
  // A purchase only the browser reported: its award to Ada waits.
  await browser("POST", "/api/referral/track-purchase", { contestId: contest.id, email: "nina@example.com", orderId: "order-69", amount: 69 }, "198.51.100.81");
  // Manual bonus completions: an https proof, a javascript: one and markup.
  const bonus = await v1("POST", `/api/v1/contests/${contest.id}/bonus-actions`, { action: "Post a review", description: "Write about us", points: 15, confirmationType: "manual" });
  const proofs = ["https://example.com/my-review?id=1", "javascript:alert(1)", XSS];
  for (const [i, proof] of proofs.entries()) {
    const e = await app.newEntry(contest.id, { email: `proof${i}@example.com`, name: `Proof ${i}` });
    await v1("POST", `/api/v1/entries/${e.id}/bonus-actions/${bonus.id}/complete`, { proof });
  }

  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/review`, "Review details");
  const awards = page.getByRole("list", { name: "Pending awards" });
  await awards.waitFor();
  await awards.getByText("Purchase: $69.00 by nina@example.com, order order-69, reported by the browser (tracker), not verified.").waitFor();
  await awards.getByText("Friend: Nina Friend (nina@example.com) joined through this advocate's link.").waitFor();
  await awards.getByText("Referred by: Ada Advocate (ada@example.com).").first().waitFor();
  assert.equal(await awards.getByText("the friend's address is at a disposable-email domain").count(), 2, "both awards of the fraud hold");
  const completions = page.getByRole("list", { name: "Pending bonus completions" });
  const link = completions.getByRole("link", { name: proofs[0] });
  assert.equal(await link.getAttribute("href"), proofs[0]);
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.equal(await completions.getByRole("link").count(), 1, "javascript: and markup are not links");
  await completions.getByText(proofs[1], { exact: true }).waitFor();
  await completions.getByText(XSS, { exact: true }).waitFor();
  await assertAccessible(page, "the review page with details");

  // Approve the purchase's award; the Purchases page says what each word means.
  const held = awards.getByRole("listitem").filter({ hasText: "Purchase: $69.00" });
  await held.getByRole("button", { name: /^Approve .*: \+\d+ purchase$/ }).click();
  await page.getByRole("status").filter({ hasText: /^Approved .*: \+\d+ purchase\.$/ }).waitFor();
  const [purchase] = await v1("GET", `/api/v1/contests/${contest.id}/purchases`);
  assert.deepEqual([purchase.status, purchase.awardStatus], ["unverified", "confirmed"]);
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Purchases" }).click();
  const row = page.getByRole("list", { name: "Purchases" }).getByRole("listitem").first();
  await row.getByText("Purchase not verified: only a browser reported it, no trusted source has.").waitFor();
  await row.getByText(`Points: ${purchase.pointsAwarded}, confirmed: approved by you on the Review page`).waitFor();
  assert.ok(purchase.pointsAwarded > 0);
  assert.equal(await row.locator(".badge").textContent(), "not verified");
  assert.equal(await row.getByText("(confirmed)").count(), 0);
  await assertAccessible(page, "the purchases page");
  assertClean(log);
  await context.close();
});

test("money only for a monetary contest: a points-only contest's settings say so and its Prizes page has no payouts; a monetary one has", async () => {
  const points = await app.newContest({ name: "Points only" });
  assert.deepEqual([points.rewardType, points.hasMonetaryReward], ["Points", false]);
  const money = await app.newContest({ name: "Cash rewards", referrerReward: 20 });
  assert.deepEqual([money.rewardType, money.hasMonetaryReward], ["Monetary", true]);
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${points.id}/settings`, "Points only");
  assert.equal(await page.getByLabel("Reward type").inputValue(), "Points");
  await page.getByText("Points: no amounts of money are shown to you or to participants.").waitFor();
  await page.getByText("Of monetary rewards: not used while the reward type is points.").waitFor();
  await assertAccessible(page, "a points-only contest's settings");
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Prizes" }).click();
  await page.getByRole("heading", { name: "Prizes", level: 2 }).first().waitFor();
  await page.getByRole("heading", { name: "End and finalize" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Payouts" }).count(), 0);
  await assertAccessible(page, "a points-only contest's prizes page");

  await page.goto(`${app.base}/dashboard/contests/${money.id}/settings`);
  await page.getByText("Money in the reward currency: balances and payouts are shown once a reward is above 0.").waitFor();
  assert.equal(await page.getByLabel("Reward type").inputValue(), "Monetary");
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Prizes" }).click();
  await page.getByRole("heading", { name: "Payouts" }).waitFor();
  assertClean(log);
  await context.close();
});
