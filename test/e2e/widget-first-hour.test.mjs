// Issue 27, a participant's first hour, in Chromium on `npm start`'s stack:
// - the demo shop's own signup form (the tracker's trackSignup) is followed by
//   the widget on the same page showing that new participant (the signup's
//   answer carried their token; the tracker kept it for the widget);
// - an ended contest's widget shows the participant's standing and the results,
//   and no invitation to share or to earn;
// - money only for a contest with a monetary reward;
// - the hosted page /r/<contestId>: the contest's name (also the title), its
//   description and end, who invited the visitor, its prizes;
// - a join waiting for its confirmation link says to check the inbox.
// axe-core on each.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, DashboardApp, DEMO } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

/** The browser's own console line for a refused request. */
const RESOURCE = /^error: Failed to load resource/;

/** The data of a v1 call with the demo private key, its status checked.
 * @param {string} method @param {string} path @param {unknown} [body] @param {number} [status] */
async function v1(method, path, body, status = 200) {
  const r = await app.v1(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body.data;
}

/** A page of the owner's site (the stack's origin, answered by the test)
 * embedding the widget, with a participant token or without.
 * @param {string} contestId @param {string} [token] */
async function widgetPage(contestId, token) {
  const fresh = await app.freshPage();
  const data = `data-contest="${contestId}"${token ? ` data-token="${token}"` : ""}`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><main><h1>The shop</h1><div id="rocket-referral"></div><script async src="/widget.js" ${data}></script></main></body></html>`;
  await fresh.page.route(`${app.base}/first-hour-shop`, (route) => route.fulfill({ contentType: "text/html", body: html }));
  await fresh.page.goto(`${app.base}/first-hour-shop`);
  return fresh;
}

/** An entry and a participant token for it.
 * @param {string} contestId @param {Record<string, unknown>} fields */
async function advocate(contestId, fields) {
  const entry = await app.newEntry(contestId, fields);
  const { token } = await v1("POST", `/api/v1/entries/${entry.id}/token`, {}, 201);
  return { entry, token: /** @type {string} */ (token) };
}

test("the demo shop: a referred customer signs up through the shop's own form and the widget on that page shows their link, also after a reload", async () => {
  const { page, context, log } = await app.freshPage();
  // The shop's page for visitors who are not signed in: the widget without a token.
  await context.route("**/demo-widget.json", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ contestId: DEMO.contestId }) }),
  );
  await page.goto(`${app.base}/?ref=${DEMO.referralCode}`);
  const widget = page.locator("rocket-referral");
  await widget.getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  await page.locator("#referral-code").filter({ hasText: DEMO.referralCode }).waitFor();
  await assertAccessible(page, "the demo shop with the join form");

  // The shop's own form: RocketTracker.trackSignup.
  await page.getByLabel("Email", { exact: true }).first().fill("first-hour@example.com");
  await page.getByLabel("Name", { exact: true }).fill("Fiona Hour");
  await page.getByRole("button", { name: "Create account" }).click();
  const linkBox = widget.getByRole("textbox", { name: "Your referral link" });
  await linkBox.waitFor();
  const answer = JSON.parse(/** @type {string} */ (await page.locator("#signup-result").textContent()));
  assert.equal(answer.success, true, JSON.stringify(answer));
  const made = await app.entry(answer.data.entryId);
  assert.equal(made.email, "first-hour@example.com");
  assert.equal(made.referredByCode, DEMO.referralCode);
  assert.equal(new URL(await linkBox.inputValue()).searchParams.get("ref"), made.referralCode);
  assert.equal(await widget.getByLabel("Email").count(), 0, "the join form is gone");
  // Kept where the widget looks, for this contest only.
  const kept = await page.evaluate((id) => localStorage.getItem(`rocket-referral:${id}`), DEMO.contestId);
  assert.match(kept ?? "", new RegExp(`^rtp_${made.id}\\.`));
  await assertAccessible(page, "the demo shop with the new participant's widget");

  // A reload shows the same participant.
  await page.reload();
  await widget.getByRole("textbox", { name: "Your referral link" }).waitFor();
  assert.equal(new URL(await widget.getByRole("textbox", { name: "Your referral link" }).inputValue()).searchParams.get("ref"), made.referralCode);

  // Someone else's email typed into the shop's form: no token, the widget is unchanged.
  await widget.getByRole("button", { name: "Not you?" }).click();
  await widget.getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  await page.getByLabel("Email", { exact: true }).first().fill(DEMO.advocateEmail);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.locator("#signup-result").filter({ hasText: "alreadyExists" }).waitFor();
  assert.doesNotMatch(/** @type {string} */ (await page.locator("#signup-result").textContent()), /rtp_/);
  assert.equal(await page.evaluate((id) => localStorage.getItem(`rocket-referral:${id}`), DEMO.contestId), null);
  await widget.getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  assertClean(log, RESOURCE);
  await context.close();
});

test("an ended contest's widget: the participant's standing and the results, no invitation to share or to earn", async () => {
  const contest = await app.newContest({
    name: "Autumn run",
    advocatePoints: 10,
    friendPoints: 5,
    shareWidgetHeader: "Bring a friend",
    shareWidgetDescription: "Give your friends 10 points when they join.",
  });
  await v1("POST", `/api/v1/contests/${contest.id}/bonus-actions`, { action: "Follow us", description: "Follow the shop", points: 5, confirmationType: "click", destinationUrl: "https://example.com/follow" }, 201);
  await v1("POST", `/api/v1/contests/${contest.id}/prizes`, { name: "Champion mug", kind: "rank", ranks: { from: 1, to: 1 }, fulfilment: { type: "manual" } }, 201);
  const { entry: ada, token } = await advocate(contest.id, { email: "ada@example.com", name: "Ada Lovelace" });
  await app.newEntry(contest.id, { email: "friend@example.com", name: "Friend", referralCode: ada.referralCode });

  // While it runs: the invitation.
  const running = await widgetPage(contest.id, token);
  const live = running.page.locator("rocket-referral");
  await live.getByRole("textbox", { name: "Your referral link" }).waitFor();
  await live.getByText("Give your friends 10 points when they join.").waitFor();
  await live.getByRole("heading", { name: "Earn more points" }).waitFor();
  await running.context.close();

  // Ended and finalized.
  await v1("POST", `/api/v1/contests/${contest.id}/end`, {});
  await v1("POST", `/api/v1/contests/${contest.id}/finalize`, {});
  for (let i = 0; i < 50 && !(await app.entry(ada.id)).finalStanding; i++) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual((await app.entry(ada.id)).finalStanding, { rank: 1, points: 10 });

  const { page, context, log } = await widgetPage(contest.id, token);
  const w = page.locator("rocket-referral");
  await w.getByRole("heading", { name: "This contest has ended." }).waitFor();
  await w.getByRole("heading", { name: "Your standing" }).waitFor();
  await w.getByText("Final rank 1 · 10 points").waitFor();
  await w.getByRole("heading", { name: "Results" }).waitFor();
  await w.locator(".prizes.mine").getByText("Champion mug").waitFor();
  await w.locator(".winners").getByText("Ada L.").waitFor();
  await w.getByRole("heading", { name: "Top 10" }).waitFor();
  // No invitation: no link, no share buttons, no texts about inviting, no bonus actions.
  assert.equal(await w.getByRole("textbox", { name: "Your referral link" }).count(), 0);
  assert.equal(await w.getByRole("group", { name: "Share" }).count(), 0);
  assert.equal(await w.getByText("Give your friends", { exact: false }).count(), 0);
  assert.equal(await w.getByText("Earn more points").count(), 0);
  assert.equal(await w.getByText("Bring a friend").count(), 0);
  await assertAccessible(page, "an ended contest's widget");
  assertClean(log);
  await context.close();
});

test("money only when the contest has a monetary reward: a points-only contest shows no rewards balance", async () => {
  const pointsOnly = await app.newContest({ name: "Points only" });
  const monetary = await app.newContest({ name: "Cash back", rewardType: "Monetary", referrerReward: 5, refereeReward: 2, rewardCurrency: "EUR" });
  for (const [contest, shown] of /** @type {const} */ ([
    [pointsOnly, false],
    [monetary, true],
  ])) {
    const { entry, token } = await advocate(contest.id, { email: "bea@example.com", name: "Bea" });
    assert.ok((await app.entry(entry.id)).rewards, "the entry has reward balances to show or not");
    const { page, context, log } = await widgetPage(contest.id, token);
    const w = page.locator("rocket-referral");
    await w.getByRole("textbox", { name: "Your referral link" }).waitFor();
    await w.locator("dd.points").waitFor();
    assert.equal(await w.getByText("Rewards balance").count(), shown ? 1 : 0, contest.name);
    if (shown) assert.match(/** @type {string} */ (await w.locator("dd.rewards").textContent()), /€/);
    assert.equal(await w.getByText("$", { exact: false }).count(), 0, `${contest.name}: no dollars`);
    await assertAccessible(page, `the widget of "${contest.name}"`);
    assertClean(log);
    await context.close();
  }
});

test("the hosted page /r/<contestId>: the contest's name as heading and title, its description, end, who invited the visitor and its prizes", async () => {
  const contest = await app.newContest({
    name: "Coffee for a year",
    description: "Refer friends to the roastery; the top three win a year of coffee.",
    endsAt: "2099-12-31T12:00:00.000Z",
  });
  await v1("POST", `/api/v1/contests/${contest.id}/prizes`, { name: "A year of coffee", kind: "rank", ranks: { from: 1, to: 3 }, fulfilment: { type: "manual" } }, 201);
  const ada = await app.newEntry(contest.id, { email: "ada@example.com", name: "Ada King Lovelace" });
  const { page, context, log } = await app.freshPage({ width: 360, height: 740 });
  await page.goto(`${app.base}/r/${contest.id}?ref=${ada.referralCode}`);
  await page.getByRole("heading", { level: 1, name: "Coffee for a year" }).waitFor();
  await page.waitForFunction(() => document.title === "Coffee for a year");
  await page.getByText("Ada L. invited you.").waitFor();
  await page.getByText("Refer friends to the roastery; the top three win a year of coffee.").waitFor();
  await page.getByText("Ends December 31, 2099.").waitFor();
  const w = page.locator("rocket-referral");
  await w.getByRole("heading", { name: "Prizes" }).waitFor();
  await w.getByText("A year of coffee").waitFor();
  await w.getByText("places 1–3").waitFor();
  await w.getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  const stale = page.getByText("Referral program");
  assert.equal(await stale.count(), 0, JSON.stringify(await stale.evaluateAll((els) => els.map((e) => e.outerHTML))));
  // Never the advocate's email or full name.
  const text = /** @type {string} */ (await page.locator("body").textContent());
  assert.ok(!text.includes("Lovelace") && !text.includes("ada@example.com"), text);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, "fits 360 px");
  await assertAccessible(page, "the hosted page");
  // README's picture of the hosted page ("Participant widget").
  await page.screenshot({ path: new URL("../../docs/hosted-page.png", import.meta.url).pathname, fullPage: true });

  // Back without the code: the tracker's cookie still says who invited them.
  await page.goto(`${app.base}/r/${contest.id}`);
  await page.getByText("Ada L. invited you.").waitFor();
  assertClean(log, RESOURCE);
  await context.close();

  // Another visitor, with no code: no "invited you".
  const other = await app.freshPage();
  await other.page.goto(`${app.base}/r/${contest.id}`);
  await other.page.getByRole("heading", { level: 1, name: "Coffee for a year" }).waitFor();
  await other.page.locator("rocket-referral").getByRole("heading", { name: "Join and get your referral link" }).waitFor();
  assert.equal(await other.page.getByText("invited you", { exact: false }).count(), 0);
  assertClean(other.log, RESOURCE);
  await other.context.close();
});

test("a join waiting for its confirmation link says to check the inbox", async () => {
  const contest = await app.newContest({
    name: "Confirmed only",
    requireEmailConfirmation: true,
    emailFrom: "contest@example.com",
  });
  const { page, context, log } = await widgetPage(contest.id);
  const w = page.locator("rocket-referral");
  await w.getByLabel("Email").fill("pending@example.com");
  await w.getByRole("button", { name: "Join", exact: true }).click();
  await w.getByRole("textbox", { name: "Your referral link" }).waitFor();
  await w.getByText("Check your inbox to confirm your email.").waitFor();
  const made = await v1("GET", `/api/v1/contests/${contest.id}/entries?limit=10`);
  assert.equal(made[0]?.emailConfirmation, "pending", JSON.stringify(made));
  await assertAccessible(page, "the widget awaiting the confirmation link");
  // A reload still says so: the entry itself is pending.
  await page.reload();
  await w.getByRole("textbox", { name: "Your referral link" }).waitFor();
  await w.getByText("Check your inbox to confirm your email.").waitFor();
  assertClean(log);
  await context.close();

  // Without double opt-in, no such line.
  const plain = await app.newContest({ name: "Open to all" });
  const other = await widgetPage(plain.id);
  const o = other.page.locator("rocket-referral");
  await o.getByLabel("Email").fill("direct@example.com");
  await o.getByRole("button", { name: "Join", exact: true }).click();
  await o.getByRole("textbox", { name: "Your referral link" }).waitFor();
  await o.locator("dd.points").waitFor();
  assert.equal(await o.getByText("Check your inbox", { exact: false }).count(), 0);
  assertClean(other.log);
  await other.context.close();
});
