// The owner dashboard's exports page and the rest of the contest settings
// (issue 11) in headless Chromium against the local stack. Exports: each CSV
// downloaded from the page (the key in x-api-key, never in a URL), parsed as
// RFC 4180 and compared with what the API lists and with the bytes of the
// same export fetched directly; formula cells inert; progress and the API's
// errors shown. Settings: purchase points, currency rates, rewards, campaign
// texts and exposeReferrerEmail set through the form, sent in one PATCH of the
// changed fields, returned by the API.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, assertFits, DashboardApp, DEMO, h1, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

const FORMULA = '=HYPERLINK("x")';

/** RFC 4180: comma-separated cells, CRLF row ends (the last row's too),
 * quoted cells with doubled quotes, line breaks inside quotes.
 * @param {string} text @returns {string[][]} */
function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {string[]} */
  let row = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
        assert.ok(i === text.length || text[i] === "," || text[i] === "\r", `a closing quote ends its cell (at ${i})`);
      } else {
        cell += c;
        i += 1;
      }
    } else if (c === '"') {
      assert.equal(cell, "", `a quote opens a cell only at its start (at ${i})`);
      quoted = true;
      i += 1;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
      i += 1;
    } else if (c === "\r") {
      assert.equal(text[i + 1], "\n", `CR only as part of CRLF (at ${i})`);
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 2;
    } else {
      assert.notEqual(c, "\n", `no bare LF outside quotes (at ${i})`);
      cell += c;
      i += 1;
    }
  }
  assert.ok(!quoted, "no quote left open");
  assert.ok(cell === "" && row.length === 0, "the file ends with CRLF");
  return rows;
}

/** A cell as the export writes a value: text made inert, null empty.
 * @param {unknown} v */
function cell(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return String(v);
}

/** Every page of a v1 list. @param {string} path */
async function listAll(path) {
  const all = [];
  for (let page = 1; ; page++) {
    const r = await app.v1("GET", `${path}${path.includes("?") ? "&" : "?"}limit=100&page=${page}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    all.push(...r.body.data);
    if (page >= r.body.pagination.totalPages) return all;
  }
}

/** The export as the API serves it, fetched directly. @param {string} contestId @param {string} kind */
async function directExport(contestId, kind) {
  const res = await fetch(`${app.base}/api/v1/contests/${contestId}/export/${kind}.csv`, {
    headers: { "x-api-key": DEMO.privateKey },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/csv/);
  return Buffer.from(await res.arrayBuffer());
}

/** Rows sorted by their first cell (the id), for comparing sets of rows.
 * @param {string[][]} rows @param {boolean} [numeric] */
const byId = (rows, numeric = false) =>
  [...rows].sort((a, b) => (numeric ? Number(a[0]) - Number(b[0]) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const HEADERS = {
  participants: ["id", "email", "name", "referralCode", "referredBy", "referredByCode", "totalPoints", "pendingPoints", "referralCount", "status", "disqualifiedReason", "source", "fraudScore", "createdAt"],
  purchases: ["id", "orderId", "email", "entryId", "creditedEntryId", "amount", "currency", "refundedAmount", "pointsAwarded", "awardStatus", "referralCode", "source", "status", "createdAt", "verifiedAt"],
  ledger: ["id", "entryId", "email", "points", "reason", "refId", "note", "status", "holdReason", "createdAt", "reviewedAt"],
};

/** A contest with participants (one named as markup, one as a formula, one
 * with a quote, a comma and a line break), purchases (one refunded in part)
 * and awards of every kind the API makes by hand. */
async function contestWithData() {
  const contest = await app.newContest({ name: "Exported contest", purchasePointsPerUnit: 1 });
  const advocate = await app.newEntry(contest.id, { email: "advocate@example.com", name: XSS });
  const friend = await app.newEntry(contest.id, { email: "friend@example.com", name: FORMULA, referralCode: advocate.referralCode });
  const third = await app.newEntry(contest.id, { email: "third@example.com", name: 'Line one\nsaid "hi", twice', referralCode: advocate.referralCode });
  const buy = async (/** @type {Record<string, unknown>} */ body) => {
    const r = await app.v1("POST", `/api/v1/contests/${contest.id}/purchases`, body);
    assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
    return r.body.data;
  };
  await buy({ email: "friend@example.com", orderId: "order-1", amount: 49.99, currency: "USD" });
  await buy({ email: "third@example.com", orderId: "-order,2", amount: 120, currency: "USD" });
  const purchases = await listAll(`/api/v1/contests/${contest.id}/purchases`);
  const refunded = purchases.find((p) => p.orderId === "-order,2");
  const refund = await app.v1("POST", `/api/v1/purchases/${refunded.id}/refund`, { amount: 20 });
  assert.equal(refund.status, 201, JSON.stringify(refund.body));
  const adjust = await app.v1("POST", `/api/v1/entries/${third.id}/adjust-points`, { points: -3, reason: "@support: +3 was a mistake" });
  assert.ok(adjust.status === 200 || adjust.status === 201, JSON.stringify(adjust.body));
  return { contest, advocate, friend, third };
}

test("exports: each CSV downloads from the page with the key in a header, parses as RFC 4180, equals the API's lists and its direct export; formulas inert", async () => {
  const { contest } = await contestWithData();
  const entries = await listAll(`/api/v1/contests/${contest.id}/entries?sort=joined`);
  const purchases = await listAll(`/api/v1/contests/${contest.id}/purchases`);
  const awards = await listAll(`/api/v1/contests/${contest.id}/awards`);
  assert.equal(entries.length, 3);
  assert.equal(purchases.length, 2);
  assert.ok(purchases.some((p) => p.refundedAmount === 20), "one purchase refunded in part");
  assert.ok(awards.length >= 5, JSON.stringify(awards));

  /** @type {Record<string, string[][]>} */
  const expected = {
    participants: entries.map((e) => [
      e.id, e.email, e.name, e.referralCode, e.referredBy, e.referredByCode, e.totalPoints, e.pendingPoints,
      e.referralCount, e.status, e.disqualifiedReason, e.source, e.fraudScore, e.createdAt,
    ].map(cell)),
    purchases: purchases.map((p) => [
      p.id, p.orderId, p.email, p.entryId, p.creditedEntryId, p.amount, p.currency, p.refundedAmount,
      p.pointsAwarded, p.awardStatus ?? "none", p.referralCode, p.source, p.status, p.createdAt, p.verifiedAt,
    ].map(cell)),
    ledger: awards.map((a) => [
      a.id, a.entryId, a.email, a.points, a.reason, a.cause.id, a.note, a.status, a.holdReason, a.createdAt, a.reviewedAt,
    ].map(cell)),
  };

  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/exports`, "Exported contest");
  await page.getByRole("heading", { name: "Download as CSV" }).waitFor();
  await page.getByText(/a text cell starting with =, \+, - or @ is saved with a leading '/).waitFor();
  await assertAccessible(page, "the exports page");

  /** @type {Record<string, string[][]>} */
  const files = {};
  for (const kind of /** @type {const} */ (["participants", "purchases", "ledger"])) {
    const button = page.getByRole("button", { name: `Download ${kind} CSV` });
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    const name = `${contest.id}-${kind}.csv`;
    assert.equal(download.suggestedFilename(), name);
    const bytes = readFileSync(/** @type {string} */ (await download.path()));
    await page.getByRole("status").filter({ hasText: `Downloaded ${name}` }).waitFor();

    assert.ok(bytes.equals(await directExport(contest.id, kind)), `${kind}: the same bytes as the API's export`);
    const rows = parseCsv(bytes.toString("utf8"));
    assert.deepEqual(rows[0], HEADERS[kind], `${kind}: the header row`);
    const body = rows.slice(1);
    assert.equal(body.length, expected[kind].length, `${kind}: one row per record`);
    assert.deepEqual(byId(body, kind === "ledger"), byId(expected[kind], kind === "ledger"), `${kind}: the rows the API lists`);
    // Join order / oldest first.
    const created = body.map((r) => r[HEADERS[kind].indexOf("createdAt")]);
    assert.deepEqual(created, [...created].sort(), `${kind}: oldest first`);
    files[kind] = rows;
    // What the page says about the file's columns is its header row.
    await page.getByText(HEADERS[kind].join(", "), { exact: true }).waitFor();
  }

  // The formula and markup names are text; the formula cell cannot run.
  const names = files.participants.slice(1).map((r) => r[2]);
  assert.ok(names.includes(`'${FORMULA}`), JSON.stringify(names));
  assert.ok(names.includes(XSS));
  assert.ok(names.includes('Line one\nsaid "hi", twice'), "a quoted cell keeps its line break, comma and quotes");
  const raw = readFileSync(/** @type {string} */ (await (await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download participants CSV" }).click(),
  ]))[0].path()), "utf8");
  assert.ok(raw.includes(`"'=HYPERLINK(""x"")"`), "the formula cell is quoted and prefixed with '");
  assert.ok(files.purchases.slice(1).some((r) => r[1] === "'-order,2" && r[7] === "20"), "order id inert; refunded in part");
  assert.ok(files.ledger.slice(1).some((r) => r[6] === "'@support: +3 was a mistake" && r[3] === "-3"), "the adjustment's note inert, its points a number");
  // Every cell starting with one of = + - @ is prefixed, apart from numbers.
  for (const [kind, rows] of Object.entries(files)) {
    for (const row of rows.slice(1)) {
      for (const c of row) assert.ok(!/^[=+@]/.test(c) && !/^-(?!\d)/.test(c), `${kind}: ${JSON.stringify(c)} is inert`);
    }
  }

  // Each export went with the key in x-api-key; no URL holds it.
  const exportCalls = log.apiCalls.filter((c) => c.url.includes("/export/"));
  assert.equal(exportCalls.length, 4);
  assert.ok(exportCalls.every((c) => c.key === DEMO.privateKey && !c.url.includes("apiKey")));
  assert.equal(await page.locator("img").count(), 0);
  assertClean(log);
  await context.close();
});

test("exports: the button shows progress, then the API's error as it comes; the page fits 360 px and passes axe-core there", async () => {
  const { page, context, log } = await app.freshPage({ width: 360, height: 740 });
  /** @type {() => void} */
  let release = () => {};
  const held = new Promise((r) => (release = () => r(undefined)));
  await page.route("**/export/purchases.csv", async (route) => {
    await held;
    await route.fulfill({
      status: 429,
      contentType: "application/json",
      headers: { "retry-after": "60" },
      body: JSON.stringify({ success: false, error: "Too many requests: try again in a minute" }),
    });
  });
  await app.openSignedIn(page, `/dashboard/contests/${DEMO.contestId}/exports`, "Demo launch contest");
  await page.getByRole("heading", { name: "Download as CSV" }).waitFor();
  await assertFits(page, "the exports page");
  await assertAccessible(page, "the exports page at 360 px");

  await page.getByRole("button", { name: "Download purchases CSV" }).click();
  const busy = page.getByRole("button", { name: "Preparing…" });
  await busy.waitFor();
  assert.ok(await busy.isDisabled(), "no second download while one is prepared");
  release();
  await page.getByRole("alert").filter({ hasText: "Too many requests: try again in a minute" }).waitFor();
  await page.getByRole("button", { name: "Download purchases CSV" }).waitFor();

  // The others still work.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download ledger CSV" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${DEMO.contestId}-ledger.csv`);
  assert.deepEqual(parseCsv(readFileSync(/** @type {string} */ (await download.path()), "utf8"))[0], HEADERS.ledger);
  await assertFits(page, "the exports page after downloading");
  await assertAccessible(page, "the exports page with an error shown");
  assertClean(log, /status of 429/);
  await context.close();
});

test("settings: purchase points, currency rates, rewards, campaign texts and the advocate's email go out in one PATCH of the changed fields and come back from the API", async () => {
  // Monetary named: a contest without rewards is points-only by default (issue 27).
  const contest = await app.newContest({ name: "Every setting", currencyRates: { EUR: 1.08 }, rewardType: "Monetary" });
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/settings`, "Every setting");
  await assertAccessible(page, "the settings page");

  // The form shows what the API holds.
  assert.equal(await page.getByLabel("Purchase points per unit").inputValue(), String(contest.purchasePointsPerUnit));
  assert.equal(await page.getByLabel("Purchase points go to").inputValue(), contest.purchasePointsTo);
  assert.equal(await page.getByLabel("Currency 1", { exact: true }).inputValue(), "EUR");
  assert.equal(await page.getByLabel("Rate 1 (in USD)").inputValue(), "1.08");
  assert.equal(await page.getByLabel("Reward type").inputValue(), contest.rewardType);
  assert.equal(await page.getByLabel("Show the advocate's full email when a code is checked").isChecked(), false);

  await page.getByLabel("Purchase points per unit").fill("2.5");
  await page.getByLabel("Purchase points go to").selectOption("buyer");
  await page.getByLabel("Points currency").fill("eur");
  await page.getByLabel("Max points per purchase").fill("5000");
  await page.getByLabel("Max points per adjustment").fill("250");
  // EUR is now the points currency: its rate goes, USD and JPY come.
  await page.getByRole("button", { name: "Remove currency 1" }).click();
  await page.getByRole("button", { name: "Add a currency rate" }).click();
  await page.getByLabel("Currency 1", { exact: true }).fill("usd");
  await page.getByLabel("Rate 1 (in EUR)").fill("0.92");
  await page.getByRole("button", { name: "Add a currency rate" }).click();
  await page.getByLabel("Currency 2", { exact: true }).fill("JPY");
  await page.getByLabel("Rate 2 (in EUR)").fill("0.0061");
  await page.getByLabel("Reward type").selectOption("Points");
  await page.getByLabel("Referrer reward").fill("20");
  await page.getByLabel("Referee reward").fill("7.5");
  await page.getByLabel("Reward currency").fill("gbp");
  await page.getByLabel("Campaign URL").fill("https://shop.example/launch?ref=1");
  await page.getByLabel("Reward header").fill("Give 7.50, get 20");
  await page.getByLabel("Reward text").fill(`Friends get points.\n${XSS}`);
  await page.getByLabel("Share widget header").fill("Share your link");
  await page.getByLabel("Share widget text").fill("=1+1 stays text");
  await page.getByLabel("Show the advocate's full email when a code is checked").check();
  await assertAccessible(page, "the settings page with rate rows");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

  const patches = log.bodies.filter((b) => b.method === "PATCH");
  assert.deepEqual(patches, [
    {
      method: "PATCH",
      path: `/api/v1/contests/${contest.id}`,
      body: {
        purchasePointsPerUnit: 2.5,
        purchasePointsTo: "buyer",
        pointsCurrency: "EUR",
        maxPointsPerPurchase: 5000,
        maxPointsPerAdjustment: 250,
        currencyRates: { USD: 0.92, JPY: 0.0061 },
        rewardType: "Points",
        referrerReward: 20,
        refereeReward: 7.5,
        rewardCurrency: "GBP",
        campaignUrl: "https://shop.example/launch?ref=1",
        rewardHeader: "Give 7.50, get 20",
        rewardDescription: `Friends get points.\n${XSS}`,
        shareWidgetHeader: "Share your link",
        shareWidgetDescription: "=1+1 stays text",
        exposeReferrerEmail: true,
      },
    },
  ]);
  const saved = (await app.v1("GET", `/api/v1/contests/${contest.id}`)).body.data;
  assert.equal(saved.purchasePointsPerUnit, 2.5);
  assert.equal(saved.purchasePointsTo, "buyer");
  assert.equal(saved.pointsCurrency, "EUR");
  assert.equal(saved.maxPointsPerPurchase, 5000);
  assert.equal(saved.maxPointsPerAdjustment, 250);
  assert.deepEqual(saved.currencyRates, { JPY: 0.0061, USD: 0.92 });
  assert.equal(saved.rewardType, "Points");
  assert.equal(saved.referrerReward, 20);
  assert.equal(saved.refereeReward, 7.5);
  assert.equal(saved.rewardCurrency, "GBP");
  assert.equal(saved.campaignUrl, "https://shop.example/launch?ref=1");
  assert.equal(saved.rewardHeader, "Give 7.50, get 20");
  assert.equal(saved.rewardDescription, `Friends get points.\n${XSS}`);
  assert.equal(saved.shareWidgetHeader, "Share your link");
  assert.equal(saved.shareWidgetDescription, "=1+1 stays text");
  assert.equal(saved.exposeReferrerEmail, true);
  assert.equal(saved.name, "Every setting", "unchanged");
  // The Referral Rocket campaign shows the same rewards and texts.
  const campaign = await fetch(`${app.base}/api/v1/getCampaign?id=${contest.id}`, { headers: { "x-api-key": DEMO.privateKey } });
  const shown = await campaign.json();
  assert.equal(shown.referrerRewardValue, 20);
  assert.equal(shown.refereeRewardValue, 7.5);
  assert.equal(shown.shareWidgetHeader, "Share your link");

  // A reload shows what the API holds, the rates in code order.
  await page.reload();
  await h1(page).filter({ hasText: "Every setting" }).waitFor();
  assert.equal(await page.getByLabel("Currency 1", { exact: true }).inputValue(), "JPY");
  assert.equal(await page.getByLabel("Currency 2", { exact: true }).inputValue(), "USD");
  assert.equal(await page.getByLabel("Purchase points per unit").inputValue(), "2.5");
  assert.equal(await page.getByLabel("Reward text").inputValue(), `Friends get points.\n${XSS}`);
  assert.equal(await page.getByLabel("Show the advocate's full email when a code is checked").isChecked(), true);
  assert.equal(await page.locator("img").count(), 0, "the markup stays text");

  // The same number written otherwise is no change; a removed rate sends the
  // whole map that remains; a cleared text sends null.
  await page.getByLabel("Referee reward").fill("7.50");
  await page.getByLabel("Reward currency").fill("GBP");
  await page.getByRole("button", { name: "Remove currency 1" }).click();
  await page.getByLabel("Reward header").fill("");
  await page.getByLabel("Show the advocate's full email when a code is checked").uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(log.bodies.filter((b) => b.method === "PATCH").at(-1)?.body, {
    currencyRates: { USD: 0.92 },
    rewardHeader: null,
    exposeReferrerEmail: false,
  });
  const again = (await app.v1("GET", `/api/v1/contests/${contest.id}`)).body.data;
  assert.deepEqual(again.currencyRates, { USD: 0.92 });
  assert.equal(again.rewardHeader, null);
  assert.equal(again.exposeReferrerEmail, false);

  // A currency listed twice is refused before anything is sent.
  const before = log.bodies.length;
  await page.getByRole("button", { name: "Add a currency rate" }).click();
  await page.getByLabel("Currency 2", { exact: true }).fill("usd");
  await page.getByLabel("Rate 2 (in EUR)").fill("1");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("alert").filter({ hasText: "USD is listed twice" }).waitFor();
  assert.equal(log.bodies.length, before, "nothing sent");
  // Removing all rates clears the map.
  await page.getByRole("button", { name: "Remove currency 2" }).click();
  await page.getByRole("button", { name: "Remove currency 1" }).click();
  await page.getByText("No rates: every purchase is counted in EUR.").waitFor();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(log.bodies.at(-1)?.body, { currencyRates: {} });
  assert.deepEqual((await app.v1("GET", `/api/v1/contests/${contest.id}`)).body.data.currencyRates, {});
  assertClean(log);
  await context.close();
});

test("settings at 360 px with currency rate rows: the page fits and passes axe-core", async () => {
  const contest = await app.newContest({ name: "Narrow settings", currencyRates: { EUR: 1.08, JPY: 0.0067 } });
  const { page, context, log } = await app.freshPage({ width: 360, height: 740 });
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/settings`, "Narrow settings");
  await page.getByLabel("Currency 2", { exact: true }).waitFor();
  await assertFits(page, "the settings page");
  await assertAccessible(page, "the settings page at 360 px");
  assertClean(log);
  await context.close();
});
