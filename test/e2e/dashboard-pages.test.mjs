// The owner dashboard's contest pages and API keys (issue 11, second slice) in
// headless Chromium against the local stack: data made through the API, then
// worked in the UI and checked through the API again. Participants (disqualify,
// reinstate, adjust points, ledger, a bonus completion, erase after a
// confirmation), review of held awards (one and many), purchases (filter,
// partial and full refund), bonus actions (create, edit, reorder, delete; the
// quiz answer never shown back), API keys (create, rotate, revoke, the last
// private key refused); navigation, deep links, 360 px, axe-core on every page,
// and a participant named as markup shown as text.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, assertFits, DashboardApp, DEMO, h1, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;
/** @type {import("./stack.mjs").Stack} */
let stack;

before(async () => {
  app = await DashboardApp.start();
  stack = app.stack;
});

after(async () => {
  await app?.stop();
});

/** @param {{ width?: number, height?: number }} [viewport] */
const freshPage = (viewport) => app.freshPage(viewport);
/** @param {import("playwright-core").Page} page @param {string} url @param {string | RegExp} heading */
const openSignedIn = (page, url, heading) => app.openSignedIn(page, url, heading);
/** @param {Record<string, unknown>} fields */
const newContest = (fields) => app.newContest(fields);
/** @param {string} contestId @param {Record<string, unknown>} body */
const newEntry = (contestId, body) => app.newEntry(contestId, body);
/** @param {string} entryId */
const entry = (entryId) => app.entry(entryId);
/** @param {string} contestId @param {string} status */
const awards = (contestId, status) => app.awards(contestId, status);

test("review: held referral awards with why each is held; approve one (the total changes), reject one, approve the rest at once; a markup name is text", async () => {
  const contest = await newContest({ name: "Reviewed referrals", referralAwards: "review", advocatePoints: 10, friendPoints: 5 });
  const advocate = await newEntry(contest.id, { email: "advocate@example.com", name: XSS });
  const friends = [];
  for (const n of [1, 2, 3]) {
    friends.push(await newEntry(contest.id, { email: `friend${n}@example.com`, name: `Friend ${n}`, referralCode: advocate.referralCode }));
  }
  const held = await awards(contest.id, "pending");
  const advocateAwards = held.filter((a) => a.entryId === advocate.id);
  assert.equal(advocateAwards.length, 3, JSON.stringify(held));
  assert.ok(advocateAwards.every((a) => a.holdReason === "review"));
  assert.equal((await entry(advocate.id)).totalPoints, 0);

  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/review`, "Reviewed referrals");
  const list = page.getByRole("list", { name: "Pending awards" });
  await list.getByText(XSS, { exact: true }).first().waitFor();
  assert.equal(await list.getByRole("listitem").count(), held.length);
  await page.getByText("this contest reviews every referral").first().waitFor();
  await assertAccessible(page, "the review page");
  assert.equal(await page.locator("img").count(), 0, "no element made from the name");

  // Approve one advocate award: the advocate's total goes up by the advocate points.
  const [first, second] = advocateAwards;
  await page.getByRole("button", { name: `Approve ${XSS}: +10 referral` }).first().click();
  await page.getByRole("status").filter({ hasText: `Approved ${XSS}: +10 referral.` }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[aria-label="Pending awards"] > li').length === n, held.length - 1);
  const approvedNow = (await awards(contest.id, "confirmed")).filter((a) => a.entryId === advocate.id);
  assert.equal(approvedNow.length, 1);
  assert.ok([first.id, second.id, advocateAwards[2].id].includes(approvedNow[0].id));
  assert.equal((await entry(advocate.id)).totalPoints, 10, "the approved award counts in the total");

  // Reject one: it never counts.
  await page.getByRole("button", { name: `Reject ${XSS}: +10 referral` }).first().click();
  await page.getByRole("status").filter({ hasText: `Rejected ${XSS}: +10 referral.` }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[aria-label="Pending awards"] > li').length === n, held.length - 2);
  assert.equal((await awards(contest.id, "rejected")).length, 1);
  const after = await entry(advocate.id);
  assert.equal(after.totalPoints, 10);
  assert.equal(after.pendingPoints, 10);

  // Many at once: select all, approve selected.
  await page.getByLabel("Select all on this page").check();
  await page.getByRole("button", { name: `Approve selected (${held.length - 2})` }).click();
  await page.getByRole("status").filter({ hasText: `Approved ${held.length - 2} of ${held.length - 2} awards.` }).waitFor();
  await page.getByText("Nothing is waiting for review.").waitFor();
  assert.deepEqual(await awards(contest.id, "pending"), []);
  const done = await entry(advocate.id);
  assert.equal(done.totalPoints, 20);
  assert.equal(done.pendingPoints, 0);
  assert.equal((await entry(friends[0].id)).pendingPoints, 0);
  const reviews = log.bodies.filter((b) => b.path.endsWith("/awards/review"));
  assert.equal(reviews.length, 1);
  assert.deepEqual(Object.keys(/** @type {object} */ (reviews[0].body)), ["confirm"]);
  await page.waitForTimeout(200);
  assertClean(log);
  await context.close();
});

test("participants: listed page by page; disqualify with a reason and reinstate, adjust points, the ledger, a bonus completion approved, erase after a confirmation; a markup name is text", async () => {
  const contest = await newContest({ name: "People to manage" });
  const target = await newEntry(contest.id, { email: "target@example.com", name: XSS });
  for (let n = 1; n <= 21; n++) await newEntry(contest.id, { email: `p${n}@example.com`, name: `Person ${n}` });
  const bonus = await stack.v1("POST", `/api/v1/contests/${contest.id}/bonus-actions`, {
    action: "Post a review",
    description: "Write about us",
    points: 15,
    confirmationType: "manual",
  });
  assert.equal(bonus.status, 201, JSON.stringify(bonus.body));
  const completion = await stack.v1("POST", `/api/v1/entries/${target.id}/bonus-actions/${bonus.body.data.id}/complete`, { proof: "https://example.com/review" });
  assert.equal(completion.body.data?.completionStatus, "pending", JSON.stringify(completion.body));

  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/participants`, "People to manage");
  const list = page.getByRole("list", { name: "Participants" });
  await list.getByRole("listitem").first().waitFor();
  assert.equal(await list.getByRole("listitem").count(), 20, "20 a page");
  await page.getByRole("heading", { name: "Participants (22)" }).waitFor();
  await assertAccessible(page, "the participants page");
  // Newest first or oldest first: the target is on one of the two pages.
  let row = list.getByRole("listitem").filter({ has: page.getByRole("heading", { name: XSS, exact: true }) });
  if ((await row.count()) === 0) {
    await page.getByRole("button", { name: "Next page" }).click();
    await page.getByText("Page 2 of 2").waitFor();
    await row.waitFor();
  }
  assert.equal(await row.getByRole("heading", { level: 3 }).textContent(), XSS);
  assert.equal(await page.locator("img").count(), 0, "no element made from the name");

  await row.getByRole("button", { name: "Manage" }).click();
  await assertAccessible(page, "the participants page with a participant opened");

  // Disqualify with a reason, then reinstate.
  await row.getByLabel("Reason for disqualifying").fill("Fake accounts");
  await row.getByRole("button", { name: "Disqualify" }).click();
  await page.getByRole("status").filter({ hasText: `Disqualified ${XSS}.` }).waitFor();
  let e = await entry(target.id);
  assert.equal(e.disqualified, true);
  assert.equal(e.disqualifiedReason, "Fake accounts");
  await row.getByText("Disqualified: Fake accounts").waitFor();
  await row.locator(".badge", { hasText: "disqualified" }).waitFor();
  await row.getByRole("button", { name: "Reinstate" }).click();
  await page.getByRole("status").filter({ hasText: `Reinstated ${XSS}.` }).waitFor();
  assert.equal((await entry(target.id)).disqualified, false);

  // The pending bonus completion, approved from the participant's row.
  await row.getByRole("button", { name: "Approve Post a review" }).click();
  await page.getByRole("status").filter({ hasText: `Approved “Post a review” for ${XSS}: +15 points.` }).waitFor();
  assert.equal((await entry(target.id)).totalPoints, 15);

  // Adjust points: the total moves and the ledger shows the row with its reason.
  await row.getByLabel("Points to add (negative to remove)").fill("7");
  await row.getByLabel("Reason for the adjustment").fill("Conference bonus");
  await row.getByRole("button", { name: "Adjust points" }).click();
  await page.getByRole("status").filter({ hasText: `Adjusted ${XSS} by +7: now 22 points.` }).waitFor();
  assert.equal((await entry(target.id)).totalPoints, 22);
  const ledger = row.getByRole("list", { name: `Ledger of ${XSS}` });
  await ledger.getByText("adjustment: Conference bonus").waitFor();
  await ledger.getByText("bonus action: Post a review").waitFor();
  const api = await stack.v1("GET", `/api/v1/entries/${target.id}/ledger`);
  assert.equal(await ledger.getByRole("listitem").count(), api.body.data.entries.length);

  // Erase: nothing happens until confirmed; Cancel keeps the entry.
  await row.getByRole("button", { name: "Erase this participant…" }).click();
  const confirm = row.getByRole("group", { name: "Confirm erasure" });
  await confirm.getByText("This cannot be undone.").waitFor();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  assert.equal((await entry(target.id)).email, "target@example.com");
  await row.getByRole("button", { name: "Erase this participant…" }).click();
  await assertAccessible(page, "the erase confirmation");
  await row.getByRole("group", { name: "Confirm erasure" }).getByRole("button", { name: "Yes, erase" }).click();
  await page.getByRole("status").filter({ hasText: `Erased ${XSS}.` }).waitFor();
  // The anonymous row stays in the list (a read by id may answer 404 once erased).
  const listed = [];
  for (const n of [1, 2]) listed.push(...(await stack.v1("GET", `/api/v1/contests/${contest.id}/entries?page=${n}`)).body.data);
  const erased = listed.find((x) => x.id === target.id);
  assert.equal(erased.email, "(erased)");
  assert.equal(erased.name, null);
  assert.equal(erased.totalPoints, 22, "the ledger stays");
  const erasedRow = list.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "(erased)", exact: true }) });
  await erasedRow.locator(".badge", { hasText: "erased" }).waitFor();
  assert.equal(await erasedRow.getByRole("button", { name: "Manage" }).count(), 0, "nothing left to manage");
  assert.deepEqual(
    log.bodies.map((b) => `${b.method} ${b.path}`),
    [
      `POST /api/v1/entries/${target.id}/disqualify`,
      `POST /api/v1/entries/${target.id}/reinstate`,
      `POST /api/v1/entries/${target.id}/bonus-actions/${bonus.body.data.id}/approve`,
      `POST /api/v1/entries/${target.id}/adjust-points`,
      `DELETE /api/v1/entries/${target.id}`,
    ],
  );
  assert.deepEqual(log.bodies[0].body, { reason: "Fake accounts" });
  assert.deepEqual(log.bodies[3].body, { points: 7, reason: "Conference bonus" });
  await page.waitForTimeout(200);
  assertClean(log);
  await context.close();
});

test("purchases: filtered by status; a partial refund shows in refundedAmount, a full one makes it refunded", async () => {
  const contest = await newContest({ name: "Shop with refunds" });
  await newEntry(contest.id, { email: "buyer@example.com", name: "Buyer" });
  for (const [orderId, amount] of /** @type {const} */ ([["order-100", 100], ["order-50", 50]])) {
    const r = await stack.v1("POST", `/api/v1/contests/${contest.id}/purchases`, { email: "buyer@example.com", orderId, amount });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/purchases`, "Shop with refunds");
  const list = page.getByRole("list", { name: "Purchases" });
  await list.getByRole("listitem").nth(1).waitFor();
  await assertAccessible(page, "the purchases page");
  const row = (/** @type {string} */ order) => list.getByRole("listitem").filter({ hasText: `order ${order}` });

  // Partial: 30 of 100.
  await row("order-100").getByRole("button", { name: "Refund…" }).click();
  await row("order-100").getByLabel("Amount to refund (USD)").fill("30");
  await assertAccessible(page, "the purchases page with a refund form");
  await row("order-100").getByRole("button", { name: "Refund", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Refunded $30.00 of order order-100" }).waitFor();
  const purchases = async () =>
    /** @type {any[]} */ ((await stack.v1("GET", `/api/v1/contests/${contest.id}/purchases`)).body.data);
  let p100 = (await purchases()).find((p) => p.orderId === "order-100");
  assert.equal(p100.refundedAmount, 30);
  assert.equal(p100.status, "verified");
  await row("order-100").getByText("refunded $30.00").waitFor();

  // Full: the amount left blank refunds all that remains.
  await row("order-50").getByRole("button", { name: "Refund…" }).click();
  await row("order-50").getByRole("button", { name: "Refund", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Refunded $50.00 of order order-50" }).waitFor();
  const p50 = (await purchases()).find((p) => p.orderId === "order-50");
  assert.equal(p50.refundedAmount, 50);
  assert.equal(p50.status, "refunded");
  p100 = (await purchases()).find((p) => p.orderId === "order-100");
  assert.equal(p100.refundedAmount, 30);
  assert.deepEqual(
    log.bodies.map((b) => b.body),
    [{ amount: "30" }, {}],
  );

  // Over what remains: the API's refusal is shown.
  await row("order-100").getByRole("button", { name: "Refund…" }).click();
  await row("order-100").getByLabel("Amount to refund (USD)").evaluate((el) => el.removeAttribute("max"));
  await row("order-100").getByLabel("Amount to refund (USD)").fill("500");
  await row("order-100").getByRole("button", { name: "Refund", exact: true }).click();
  await row("order-100").getByRole("alert").filter({ hasText: /refund/i }).waitFor();

  // The filter asks the API for one status.
  await page.getByLabel("Show").selectOption("refunded");
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Purchases"] > li').length === 1);
  await row("order-50").waitFor();
  await page.getByLabel("Show").selectOption("unverified");
  await page.getByText("No purchases unverified yet.").waitFor();
  await page.getByLabel("Show").selectOption("verified");
  await row("order-100").waitFor();
  assert.equal(await list.getByRole("listitem").count(), 1);
  assertClean(log, /status of 409/);
  await context.close();
});

test("bonus actions: create (a quiz answer never shown back), edit only what changed, reorder, delete after a confirmation", async () => {
  const contest = await newContest({ name: "Bonus board" });
  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/bonus-actions`, "Bonus board");
  await page.getByText("No bonus actions yet").waitFor();
  await assertAccessible(page, "the bonus actions page");
  const create = page.getByRole("form", { name: "New bonus action" });
  await create.getByLabel("Name").fill("Follow us");
  await create.getByLabel("Description").fill("Follow the shop");
  await create.getByLabel("Points").fill("5");
  await create.getByLabel("Link (optional)").fill("https://example.com/follow");
  await create.getByRole("button", { name: "Create bonus action" }).click();
  await page.getByRole("status").filter({ hasText: "Created “Follow us”." }).waitFor();

  await create.getByLabel("Name").fill("Quiz time");
  await create.getByLabel("Description").fill("What do we sell?");
  await create.getByLabel("Confirmation").selectOption("quiz");
  await create.getByLabel("Quiz answer").fill("rockets-secret");
  await create.getByRole("button", { name: "Create bonus action" }).click();
  await page.getByRole("status").filter({ hasText: "Created “Quiz time”." }).waitFor();
  const listed = async () =>
    /** @type {any[]} */ ((await stack.v1("GET", `/api/v1/contests/${contest.id}/bonus-actions`)).body.data).sort((a, b) => a.order - b.order);
  let api = await listed();
  assert.deepEqual(api.map((a) => [a.action, a.points, a.confirmationType, a.order]), [["Follow us", 5, "click", 1], ["Quiz time", 10, "quiz", 2]]);
  assert.equal(api[0].destinationUrl, "https://example.com/follow");
  const quiz = api[1];
  const creates = log.bodies.filter((b) => b.method === "POST");
  assert.equal(/** @type {any} */ (creates[1].body).correctAnswer, "rockets-secret");
  assert.ok(!("correctAnswer" in /** @type {object} */ (creates[0].body)));

  // Edit the quiz: the answer field is empty (never shown back); only the changed fields are sent.
  const rows = page.getByRole("list", { name: "Bonus actions, in order" }).getByRole("listitem");
  await page.getByRole("button", { name: "Edit Quiz time" }).click();
  const edit = page.getByRole("form", { name: "Edit Quiz time" });
  assert.equal(await edit.getByLabel("Quiz answer").inputValue(), "");
  assert.ok(!(await page.content()).includes("rockets-secret"));
  await assertAccessible(page, "the bonus action edit form");
  await edit.getByLabel("Name").fill("Quiz night");
  await edit.getByLabel("Points").fill("12");
  await edit.getByRole("button", { name: "Save bonus action" }).click();
  await page.getByRole("status").filter({ hasText: "Saved “Quiz night”." }).waitFor();
  assert.deepEqual(log.bodies.at(-1), {
    method: "PATCH",
    path: `/api/v1/contests/${contest.id}/bonus-actions/${quiz.id}`,
    body: { action: "Quiz night", points: 12 },
  });
  // A typed answer is sent; the quiz still answers to it (the API checks it on completion).
  await page.getByRole("button", { name: "Edit Quiz night" }).click();
  await page.getByRole("form", { name: "Edit Quiz night" }).getByLabel("Quiz answer").fill("new answer");
  await page.getByRole("form", { name: "Edit Quiz night" }).getByRole("button", { name: "Save bonus action" }).click();
  await page.getByRole("status").filter({ hasText: "Saved “Quiz night”." }).waitFor();
  assert.deepEqual(log.bodies.at(-1)?.body, { correctAnswer: "new answer" });
  const player = await newEntry(contest.id, { email: "player@example.com" });
  const wrong = await stack.v1("POST", `/api/v1/entries/${player.id}/bonus-actions/${quiz.id}/complete`, { answer: "rockets-secret" });
  assert.equal(wrong.status, 400);
  const right = await stack.v1("POST", `/api/v1/entries/${player.id}/bonus-actions/${quiz.id}/complete`, { answer: "New Answer" });
  assert.equal(right.body.data?.pointsAdded, 12, JSON.stringify(right.body));

  // Reorder: the quiz moves up.
  await page.getByRole("button", { name: "Move Quiz night up" }).click();
  await page.getByRole("status").filter({ hasText: "Moved “Quiz night” up." }).waitFor();
  api = await listed();
  assert.deepEqual(api.map((a) => a.action), ["Quiz night", "Follow us"]);
  assert.equal(await rows.first().getByRole("heading").textContent(), "Quiz night");
  assert.ok(log.bodies.filter((b) => b.method === "PATCH").slice(-2).every((b) => Object.keys(/** @type {object} */ (b.body)).join() === "order"));

  // Delete, after a confirmation.
  await page.getByRole("button", { name: "Delete Follow us" }).click();
  await page.getByRole("group", { name: "Confirm deleting Follow us" }).getByRole("button", { name: "Yes, delete" }).click();
  await page.getByRole("status").filter({ hasText: "Deleted “Follow us”." }).waitFor();
  assert.deepEqual((await listed()).map((a) => a.action), ["Quiz night"]);
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Bonus actions, in order"] > li').length === 1);
  assertClean(log);
  await context.close();
});

test("API keys: create one (shown once), rotate it, revoke it; the last private key cannot be revoked and the API's message says so", async () => {
  const before = /** @type {any[]} */ ((await stack.v1("GET", "/api/v1/api-keys")).body.data);
  const { page, context, log } = await freshPage();
  await openSignedIn(page, "/dashboard/", "Contests");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await h1(page).filter({ hasText: "API keys" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/dashboard/keys");
  const active = page.getByRole("list", { name: "Active keys" });
  await active.getByRole("listitem").first().waitFor();
  await page.getByText("(this tab’s key)").waitFor();
  await assertAccessible(page, "the API keys page");

  await page.getByLabel("Type").selectOption("private");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByText("Copy it now: it is shown only this once.").waitFor();
  const made = /** @type {string} */ (await page.locator("#fresh-key").textContent());
  assert.match(made, /^rt_sk_[a-z0-9]+$/);
  const check = await fetch(`${stack.base}/api/v1/contests?limit=1`, { headers: { "x-api-key": made } });
  assert.equal(check.status, 200, "the new key works");
  let keys = /** @type {any[]} */ ((await stack.v1("GET", "/api/v1/api-keys")).body.data);
  assert.equal(keys.length, before.length + 1);
  const madeRow = keys.find((k) => made.startsWith(k.prefix) && k.active);
  assert.ok(madeRow);
  await assertAccessible(page, "the API keys page with a new key");

  // Rotate it: a new key replaces it, shown once; the old one stops working.
  await page.getByRole("button", { name: `Rotate ${madeRow.prefix}` }).click();
  await page.getByRole("heading", { name: `New key replacing ${madeRow.prefix}…` }).waitFor();
  const rotated = /** @type {string} */ (await page.locator("#fresh-key").textContent());
  assert.notEqual(rotated, made);
  assert.equal((await fetch(`${stack.base}/api/v1/contests?limit=1`, { headers: { "x-api-key": made } })).status, 401);
  assert.equal((await fetch(`${stack.base}/api/v1/contests?limit=1`, { headers: { "x-api-key": rotated } })).status, 200);
  keys = (await stack.v1("GET", "/api/v1/api-keys")).body.data;
  const rotatedRow = keys.find((k) => rotated.startsWith(k.prefix) && k.active);
  assert.ok(rotatedRow);
  await page.getByRole("button", { name: "Done, hide it" }).click();
  assert.equal(await page.locator("#fresh-key").count(), 0);

  // Revoke the rotated key, after a confirmation.
  await page.getByRole("button", { name: `Revoke ${rotatedRow.prefix}` }).click();
  await page.getByRole("group", { name: `Confirm revoking ${rotatedRow.prefix}` }).getByRole("button", { name: "Yes, revoke" }).click();
  await page.getByRole("status").filter({ hasText: `Revoked ${rotatedRow.prefix}….` }).waitFor();
  assert.equal((await fetch(`${stack.base}/api/v1/contests?limit=1`, { headers: { "x-api-key": rotated } })).status, 401);
  await page.getByRole("list", { name: "Revoked keys" }).getByText(rotatedRow.prefix).waitFor();

  // The demo key is now the last private key: the API refuses, and says why.
  const demo = keys.find((k) => DEMO.privateKey.startsWith(k.prefix) && k.active);
  await page.getByRole("button", { name: `Revoke ${demo.prefix}` }).click();
  await page.getByRole("group", { name: `Confirm revoking ${demo.prefix}` }).getByText("you will be signed out").waitFor();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  const alert = page.getByRole("alert").filter({ hasText: /private key/i });
  await alert.waitFor();
  const refusal = await stack.v1("DELETE", `/api/v1/api-keys/${demo.id}`);
  assert.equal(refusal.status, 409);
  assert.equal(await alert.textContent(), refusal.body.error, "the API's own message");
  await h1(page).filter({ hasText: "API keys" }).waitFor();
  assert.equal((await stack.v1("GET", "/api/v1/contests?limit=1")).status, 200, "the demo key still works");
  assertClean(log, /status of (401|409)/);
  await context.close();
});

test("a contest's pages link to each other; deep links reload on every page; at 360 px the pages fit and pass axe-core", async () => {
  const contest = await newContest({ name: "Navigated", referralAwards: "review" });
  const a = await newEntry(contest.id, { email: "nav-a@example.com", name: XSS });
  await newEntry(contest.id, { email: "nav-b@example.com", name: "B", referralCode: a.referralCode });
  const { page, context, log } = await freshPage({ width: 360, height: 740 });
  await openSignedIn(page, `/dashboard/contests/${contest.id}/settings`, "Navigated");
  const nav = page.getByRole("navigation", { name: "This contest" });
  for (const [label, tab] of [
    ["Participants", "participants"],
    ["Review", "review"],
    ["Purchases", "purchases"],
    ["Bonus actions", "bonus-actions"],
    ["Prizes", "prizes"],
    ["Exports", "exports"],
    ["Overview", "overview"],
    ["Settings", "settings"],
  ]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await h1(page).filter({ hasText: `Navigated ${label.toLowerCase()}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/dashboard/contests/${contest.id}/${tab}`);
    assert.equal(await nav.getByRole("link", { name: label, exact: true }).getAttribute("aria-current"), "page");
    // The new page takes the focus (its heading, once shown).
    await page.waitForFunction(() => document.activeElement?.tagName === "H1" && document.activeElement.textContent?.startsWith("Navigated"));
    await page.waitForFunction(() => ![...document.querySelectorAll("p")].some((p) => p.textContent === "Loading…"));
    if (tab === "participants") await page.getByRole("button", { name: "Manage" }).first().click();
    await assertFits(page, tab);
    await assertAccessible(page, `the ${tab} page at 360 px`);
    // A reload of the deep link shows the same page.
    await page.reload();
    await h1(page).filter({ hasText: label.toLowerCase() }).waitFor();
  }
  await page.goto(`${stack.base}/dashboard/keys`);
  await h1(page).filter({ hasText: "API keys" }).waitFor();
  await page.getByRole("list", { name: "Active keys" }).getByRole("listitem").first().waitFor();
  await assertFits(page, "keys");
  await assertAccessible(page, "the API keys page at 360 px");
  await page.goto(`${stack.base}/dashboard/contests/${contest.id}/nothing`);
  await h1(page).filter({ hasText: "Page not found" }).waitFor();
  assert.equal(await page.locator("img").count(), 0);
  assertClean(log);
  await context.close();
});

test("rotating the key this tab signed in with goes on with the new key; revoking it signs the tab out", async () => {
  const made = await stack.v1("POST", "/api/v1/api-keys", { type: "private" });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const own = made.body.data;
  const { page, context, log } = await freshPage();
  /** @type {string[]} */
  const sent = [];
  page.on("request", (r) => new URL(r.url()).pathname.startsWith("/api/") && sent.push(r.headers()["x-api-key"] ?? ""));
  await page.goto(`${stack.base}/dashboard/keys`);
  await page.getByLabel("API key").fill(own.key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await h1(page).filter({ hasText: "API keys" }).waitFor();
  const mine = page.getByRole("list", { name: "Active keys" }).getByRole("listitem").filter({ hasText: "(this tab’s key)" });
  await mine.getByText(own.prefix).waitFor();
  await mine.getByRole("button", { name: `Rotate ${own.prefix}` }).click();
  await page.getByRole("heading", { name: `New key replacing ${own.prefix}…` }).waitFor();
  const rotated = /** @type {string} */ (await page.locator("#fresh-key").textContent());
  assert.equal(await page.evaluate(() => sessionStorage.getItem("rocket-tracker.dashboard.apiKey")), rotated, "the tab keeps the new key");
  const newPrefix = /** @type {any[]} */ ((await stack.v1("GET", "/api/v1/api-keys")).body.data).find((k) => k.active && rotated.startsWith(k.prefix)).prefix;
  await page.getByRole("list", { name: "Active keys" }).getByRole("listitem").filter({ hasText: "(this tab’s key)" }).getByText(newPrefix).waitFor();
  assert.equal(sent.at(-1), rotated, "the list is read with the new key");
  assert.equal(await h1(page).textContent(), "API keys", "still signed in");

  // Revoking it: the API takes it (the demo key is left), and the tab signs out.
  await page.getByRole("button", { name: `Revoke ${newPrefix}` }).click();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  await page.getByRole("status").filter({ hasText: "You revoked the key this tab signed in with" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal((await fetch(`${stack.base}/api/v1/contests?limit=1`, { headers: { "x-api-key": rotated } })).status, 401);
  assert.ok(!log.urls.some((u) => u.includes(own.key) || u.includes(rotated)), "no key in a URL");
  assertClean(log);
  await context.close();
});

test("keyboard only: select every held award with the keyboard and approve them at once", async () => {
  const contest = await newContest({ name: "Keyboard review", referralAwards: "review" });
  const a = await newEntry(contest.id, { email: "kb-a@example.com", name: "Ada" });
  await newEntry(contest.id, { email: "kb-b@example.com", name: "Bo", referralCode: a.referralCode });
  const held = await awards(contest.id, "pending");
  assert.ok(held.length >= 1);
  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/review`, "Keyboard review");
  await page.getByLabel("Select all on this page").waitFor();
  /** Tabs until `match` (run in the page) holds. @param {string} what @param {() => boolean} match */
  async function tabTo(what, match) {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(match)) return;
    }
    assert.fail(`Tab never reached ${what}`);
  }
  await tabTo("the select-all box", () => document.activeElement?.id === "select-all");
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: `Approve selected (${held.length})` }).waitFor();
  await tabTo("the approve button", () => (document.activeElement?.textContent ?? "").startsWith("Approve selected"));
  await page.keyboard.press("Enter");
  await page.getByText("Nothing is waiting for review.").waitFor();
  assert.deepEqual(await awards(contest.id, "pending"), []);
  assertClean(log);
  await context.close();
});

test("participants: screened tracker signups carry a fraud risk badge, entries from the API none; the page's screenshot for the README", async () => {
  const contest = await newContest({ name: "Screened signups" });
  const advocate = await newEntry(contest.id, { email: "maya@example.com", name: "Maya Advocate" });
  /** A signup reported by a browser (the tracker's endpoint, no key).
   * @param {string} email @param {string} name */
  const trackerSignup = async (email, name) => {
    const res = await fetch(`${stack.base}/api/referral/track-signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.7" },
      body: JSON.stringify({ contestId: contest.id, email, name, referralCode: advocate.referralCode }),
    });
    assert.equal(res.status, 200, await res.text());
  };
  await trackerSignup("leo@example.com", "Leo Friend");
  await trackerSignup("throwaway@mailinator.com", "Throw Away");
  await newEntry(contest.id, { email: "ines@example.com", name: "Ines Buyer", referralCode: advocate.referralCode });
  const listed = /** @type {any[]} */ ((await stack.v1("GET", `/api/v1/contests/${contest.id}/entries?limit=100`)).body.data);
  /** @param {string} name */
  const scoreOf = (name) => listed.find((e) => e.name === name)?.fraudScore;
  assert.deepEqual([scoreOf("Leo Friend"), scoreOf("Throw Away"), scoreOf("Maya Advocate"), scoreOf("Ines Buyer")], ["Low", "Medium", null, null]);

  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/participants`, "Screened signups");
  const list = page.getByRole("list", { name: "Participants" });
  await list.getByRole("listitem").nth(3).waitFor();
  /** @param {string} name */
  const badgesOf = (name) => list.getByRole("listitem").filter({ has: page.getByRole("heading", { name, exact: true }) }).locator(".badge").allTextContents();
  assert.deepEqual(await badgesOf("Throw Away"), ["active", "Medium fraud risk"]);
  assert.deepEqual(await badgesOf("Leo Friend"), ["active", "Low fraud risk"]);
  assert.deepEqual(await badgesOf("Maya Advocate"), ["active"]);
  assert.deepEqual(await badgesOf("Ines Buyer"), ["active"]);
  await assertAccessible(page, "the participants page with fraud badges");
  await page.screenshot({ path: new URL("../../docs/dashboard-participants.png", import.meta.url).pathname, fullPage: true });
  assertClean(log);
  await context.close();
});

test("participants: the server searches email, name and code, and sorts", async () => {
  const contest = await newContest({ name: "Searchable" });
  const ann = await newEntry(contest.id, { email: "ann@example.com", name: "Ann" });
  const bob = await newEntry(contest.id, { email: "bob@example.com", name: "Bob" });
  await newEntry(contest.id, { email: "x@example.com", name: XSS });
  assert.equal((await stack.v1("POST", `/api/v1/entries/${bob.id}/adjust-points`, { points: 50, reason: "top" })).status, 201);
  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/participants`, "Searchable");
  const list = page.getByRole("list", { name: "Participants" });
  const names = async () => list.getByRole("heading", { level: 3 }).allTextContents();
  await list.getByRole("listitem").nth(2).waitFor();
  assert.deepEqual(await names(), ["Ann", "Bob", XSS], "joined, oldest first");
  await page.getByLabel("Sort by").selectOption("points");
  await page.waitForFunction(() => document.querySelector('[aria-label="Participants"] h3')?.textContent === "Bob");
  await page.getByLabel("Search email, name or code").fill("ANN");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Participants"] > li').length === 1);
  assert.deepEqual(await names(), ["Ann"]);
  await page.getByLabel("Search email, name or code").fill(bob.referralCode);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector('[aria-label="Participants"] h3')?.textContent === "Bob");
  assert.deepEqual(await names(), ["Bob"]);
  await page.getByLabel("Search email, name or code").fill("<img");
  await page.keyboard.press("Enter");
  await page.waitForFunction((x) => document.querySelector('[aria-label="Participants"] h3')?.textContent === x, XSS);
  assert.equal(await page.locator("img").count(), 0);
  await page.getByLabel("Search email, name or code").fill("nobody-here");
  await page.keyboard.press("Enter");
  await page.getByText("No participant matches “nobody-here”.").waitFor();
  await assertAccessible(page, "the participants page with a search");
  const queries = log.urls.filter((u) => u.includes("/entries?")).map((u) => Object.fromEntries(new URL(u).searchParams));
  assert.deepEqual(queries.at(-1), { page: "1", limit: "20", sort: "points", q: "nobody-here" });
  assert.ok(ann.id);
  assertClean(log);
  await context.close();
});

test("review: pending bonus completions with their proof as text; approve one (points added), reject another", async () => {
  const contest = await newContest({ name: "Bonus review" });
  const one = await newEntry(contest.id, { email: "one@example.com", name: "One" });
  const two = await newEntry(contest.id, { email: "two@example.com", name: "Two" });
  const made = await stack.v1("POST", `/api/v1/contests/${contest.id}/bonus-actions`, {
    action: "Share a photo",
    description: "Post it",
    points: 9,
    confirmationType: "manual",
  });
  const actionId = made.body.data.id;
  for (const [e, proof] of [[one, XSS], [two, "https://example.com/p"]]) {
    const r = await stack.v1("POST", `/api/v1/entries/${e.id}/bonus-actions/${actionId}/complete`, { proof });
    assert.equal(r.body.data?.completionStatus, "pending", JSON.stringify(r.body));
  }
  const { page, context, log } = await freshPage();
  await openSignedIn(page, `/dashboard/contests/${contest.id}/review`, "Bonus review");
  const list = page.getByRole("list", { name: "Pending bonus completions" });
  await list.getByRole("listitem").nth(1).waitFor();
  await list.getByText(XSS).waitFor();
  assert.equal(await page.locator("img").count(), 0, "the proof is text");
  await assertAccessible(page, "the review page with bonus completions");
  await page.getByRole("button", { name: "Approve Share a photo for one@example.com" }).click();
  await page.getByRole("status").filter({ hasText: "Approved “Share a photo” for one@example.com: +9 points." }).waitFor();
  assert.equal((await entry(one.id)).totalPoints, 9);
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Pending bonus completions"] > li').length === 1);
  await page.getByRole("button", { name: "Reject Share a photo for two@example.com" }).click();
  await page.getByRole("status").filter({ hasText: "Rejected “Share a photo” for two@example.com." }).waitFor();
  await page.getByText("No bonus completion is waiting.").waitFor();
  const state = (await stack.v1("GET", `/api/v1/entries/${two.id}/bonus-actions`)).body.data.actions[0];
  assert.equal(state.completionStatus, "rejected");
  assert.equal((await entry(two.id)).totalPoints, 0);
  assertClean(log);
  await context.close();
});
