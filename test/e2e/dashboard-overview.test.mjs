// The dashboard's contest overview (issue 11) in headless Chromium against the
// local stack: visits, signups and purchases sent through the API, then the
// page's key numbers, chart data (its table), funnel and top advocates checked
// against the API's stats, timeseries and leaderboard; the range choice (7, 30,
// 90 days, custom, an invalid custom range refused before any request); uPlot
// downloaded only once the overview shows; an advocate named as markup shown as
// text; axe-core at desktop and 360 px; the page's screenshot for the README.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { measureDashboard } from "../../scripts/size.mjs";
import { assertAccessible, assertClean, assertFits, DashboardApp, h1, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

before(async () => {
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
});

const integer = new Intl.NumberFormat("en-US");
const cents = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** The page's revenue per currency ("$1.00 · €2.00"), as format.ts writes it.
 * @param {Record<string, number>} byCurrency */
const revenueText = (byCurrency) =>
  Object.entries(byCurrency)
    .filter(([, amount]) => amount !== 0)
    .map(([currency, amount]) => new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount))
    .join(" · ") || "0";
/** @param {number} part @param {number} whole */
const rate = (part, whole) => (whole === 0 ? "–" : `${((part / whole) * 100).toFixed(1)}%`);

/** Today's UTC date and the one `n` days before it. @param {number} n */
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** A call to the tracker's public endpoints, as a browser at `address` makes it.
 * @param {string} path @param {Record<string, unknown>} body @param {string} address */
async function tracker(path, body, address) {
  const res = await fetch(`${app.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": address },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path}: ${await res.text()}`);
}

/** @param {string} contestId @param {string} email @param {string} orderId @param {number} amount @param {string} [currency] */
async function purchase(contestId, email, orderId, amount, currency = "USD") {
  const r = await app.v1("POST", `/api/v1/contests/${contestId}/purchases`, { email, orderId, amount, currency });
  assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
}

/** A contest with three advocates (one named as markup), visits through their
 * links, referred and unreferred signups, and purchases in two currencies. */
async function busyContest(name = "Overview numbers") {
  const contest = await app.newContest({ name });
  const ada = await app.newEntry(contest.id, { email: "ada@example.com", name: XSS });
  const bea = await app.newEntry(contest.id, { email: "bea@example.com", name: "Bea Advocate" });
  await app.newEntry(contest.id, { email: "cy@example.com", name: "Cy Quiet" });
  let address = 1;
  for (let i = 0; i < 6; i++) await tracker("/api/referral/track-visit", { contestId: contest.id, referralCode: ada.referralCode }, `198.51.100.${address++}`);
  for (let i = 0; i < 3; i++) await tracker("/api/referral/track-visit", { contestId: contest.id, referralCode: bea.referralCode }, `198.51.100.${address++}`);
  await app.visitsWritten(contest.id, 9);
  for (const friend of ["finn", "gus", "hal"]) {
    await tracker("/api/referral/track-signup", { contestId: contest.id, email: `${friend}@example.com`, name: friend, referralCode: ada.referralCode }, `203.0.113.${address++}`);
  }
  await app.newEntry(contest.id, { email: "ivy@example.com", name: "Ivy", referralCode: bea.referralCode });
  await app.newEntry(contest.id, { email: "jo@example.com", name: "Jo" });
  await purchase(contest.id, "finn@example.com", "order-1", 49.99);
  await purchase(contest.id, "gus@example.com", "order-2", 120);
  await purchase(contest.id, "ivy@example.com", "order-3", 20, "EUR");
  return contest;
}

/** @param {string} path */
async function get(path) {
  const r = await app.v1("GET", path);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data;
}

/** The key numbers as the page shows them, by label.
 * @param {import("playwright-core").Page} page */
async function shownNumbers(page) {
  const dl = page.locator('dl[aria-label="Key numbers"]');
  await dl.waitFor();
  return dl.evaluate((el) =>
    Object.fromEntries([...el.querySelectorAll("div")].map((d) => [d.querySelector("dt")?.textContent, d.querySelector("dd")?.textContent])),
  );
}

/** The chart's data table: one [day, visits, signups, purchases, revenue] a row.
 * @param {import("playwright-core").Page} page */
async function tableRows(page) {
  return page.locator(".chart-data tbody tr").evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? "")));
}

/** The rows the table must show for the API's days, charting `currency`.
 * @param {any[]} days @param {string} currency */
const expectedRows = (days, currency) =>
  days.map((d) => [d.day, integer.format(d.visits), integer.format(d.signups), integer.format(d.purchases), cents.format(d.revenue[currency] ?? 0)]);

/** The funnel's steps as [label, count, rate]. @param {import("playwright-core").Page} page */
const funnelRows = (page) =>
  page.locator(".funnel li").evaluateAll((items) =>
    items.map((li) => [".funnel-step", ".funnel-count", ".funnel-rate"].map((c) => li.querySelector(c)?.textContent ?? "")),
  );

/** Waits until the table lists `n` days. @param {import("playwright-core").Page} page @param {number} n */
const waitForDays = (page, n) => page.waitForFunction((n) => document.querySelectorAll(".chart-data tbody tr").length === n, n);

/** @param {import("./dashboard-kit.mjs").PageLog} log */
const timeseriesCalls = (log) => log.apiCalls.filter((c) => new URL(c.url).pathname.endsWith("/timeseries")).map((c) => new URL(c.url).searchParams);

test("overview: key numbers, chart data, funnel and top advocates equal the API's; 7, 30, 90 days and a custom range re-fetch; an invalid range is refused without a request; a markup name is text", async () => {
  const contest = await busyContest();
  const stats = await get(`/api/v1/contests/${contest.id}/stats`);
  assert.equal(stats.visits, 9);
  assert.equal(stats.signups, 8, "three advocates, four friends, one on their own");
  assert.equal(stats.purchases, 3);

  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/overview`, "Overview numbers");

  assert.deepEqual(await shownNumbers(page), {
    Visits: integer.format(stats.visits),
    Signups: integer.format(stats.signups),
    "Referred signups": integer.format(stats.referredSignups),
    Purchases: integer.format(stats.purchases),
    Revenue: revenueText(stats.revenue),
    "Confirmed points": integer.format(stats.points),
    "Pending points": integer.format(stats.pendingPoints),
  });

  // The chart's data: 30 days ending today by default, day by day the API's.
  await waitForDays(page, 30);
  await page.locator(".chart canvas").first().waitFor();
  await page.getByText("Chart data as a table").click();
  const thirty = await get(`/api/v1/contests/${contest.id}/timeseries?from=${daysAgo(29)}&to=${daysAgo(0)}`);
  assert.equal(thirty.days.length, 30);
  assert.deepEqual(await tableRows(page), expectedRows(thirty.days, "USD"));
  assert.equal(await page.locator(".chart-data thead th").last().textContent(), "Revenue (USD)", "the largest currency is charted");
  await page.getByText("Revenue in USD (dashed, right axis)").waitFor();
  await page.getByText("Revenue in EUR is not charted").waitFor();
  const calls = timeseriesCalls(log);
  assert.equal(calls.length, 1);
  assert.deepEqual([calls[0]?.get("from"), calls[0]?.get("to")], [daysAgo(29), daysAgo(0)]);

  // The referral funnel, from the stats' funnel: one population throughout.
  const f = stats.funnel;
  assert.deepEqual(f, { visits: 9, signups: 4, buyers: 3, purchases: 3 }, "finn, gus, hal and ivy were referred; finn, gus and ivy bought");
  assert.deepEqual(await funnelRows(page), [
    ["Referred visits", `${f.visits}`, ""],
    ["Referred signups", `${f.signups}`, ` (${rate(f.signups, f.visits)} of referred visits)`],
    ["Referred buyers", `${f.buyers}`, ` (${rate(f.buyers, f.signups)} of referred signups)`],
  ]);
  assert.equal(rate(f.signups, f.visits), "44.4%");
  await page.getByText("Visits through an advocate's referral link, each address counted once a day.").waitFor();
  await page.getByText(`Referred signups with at least one verified purchase: ${f.purchases} purchase`, { exact: false }).waitFor();

  // Top advocates in the leaderboard's order, each linking to the participants
  // page searching for their code;
  // the markup name is text.
  const board = await get(`/api/v1/contests/${contest.id}/leaderboard?limit=10`);
  const advocates = page.getByRole("list", { name: "Top advocates" });
  const links = advocates.getByRole("link");
  assert.deepEqual(await links.allTextContents(), board.map((/** @type {any} */ a) => a.name ?? a.email));
  assert.equal(board[0].name, XSS, "the advocate with the most referrals leads");
  assert.equal(await links.first().getAttribute("href"), `/dashboard/contests/${contest.id}/participants?q=${board[0].referralCode}`);
  await advocates.getByText(XSS, { exact: true }).waitFor();
  assert.equal(await page.locator("img").count(), 0, "no element made from the name");

  // 7 and 90 days: each a request, the table as long.
  for (const [label, n] of /** @type {const} */ ([["Last 7 days", 7], ["Last 90 days", 90], ["Last 30 days", 30]])) {
    await page.getByLabel(label).check();
    await waitForDays(page, n);
    const last = timeseriesCalls(log).at(-1);
    assert.deepEqual([last?.get("from"), last?.get("to")], [daysAgo(n - 1), daysAgo(0)], label);
    const series = await get(`/api/v1/contests/${contest.id}/timeseries?from=${daysAgo(n - 1)}&to=${daysAgo(0)}`);
    assert.deepEqual(await tableRows(page), expectedRows(series.days, "USD"), label);
  }
  assert.equal(timeseriesCalls(log).length, 4);

  // A custom range: three days ending yesterday.
  await page.getByLabel("Custom range").check();
  await page.getByLabel("First day").fill(daysAgo(3));
  await page.getByLabel("Last day").fill(daysAgo(1));
  await page.getByRole("button", { name: "Show these days" }).click();
  await waitForDays(page, 3);
  const custom = await get(`/api/v1/contests/${contest.id}/timeseries?from=${daysAgo(3)}&to=${daysAgo(1)}`);
  assert.deepEqual(await tableRows(page), expectedRows(custom.days, "USD"));
  assert.equal(timeseriesCalls(log).length, 5);

  // Invalid ranges: a message, no request, the last days still shown.
  await page.getByLabel("First day").fill(daysAgo(0));
  await page.getByLabel("Last day").fill(daysAgo(2));
  await page.getByRole("button", { name: "Show these days" }).click();
  await page.getByRole("alert").filter({ hasText: "The first day must not be after the last day." }).waitFor();
  await page.getByLabel("First day").fill(daysAgo(400));
  await page.getByLabel("Last day").fill(daysAgo(0));
  await page.getByRole("button", { name: "Show these days" }).click();
  await page.getByRole("alert").filter({ hasText: "A range can cover at most 366 days; this one covers 401." }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(timeseriesCalls(log).length, 5, "no request for an invalid range");
  assert.equal((await tableRows(page)).length, 3);

  // The longest range allowed: 366 days.
  await page.getByLabel("First day").fill(daysAgo(365));
  await page.getByRole("button", { name: "Show these days" }).click();
  await waitForDays(page, 366);
  assert.equal(await page.getByRole("alert").filter({ hasText: /./ }).count(), 0, "the message is gone");

  await assertAccessible(page, "the overview with the custom range and the table open");
  assertClean(log);
  await context.close();
});

test("overview: uPlot is downloaded only once the overview shows, and draws its canvas; axe-core at desktop and 360 px, no horizontal overflow", async () => {
  const contest = await busyContest("Lazy chart");
  const uplotChunk = measureDashboard()
    .lazy.map((f) => f.file)
    .find((f) => readFileSync(new URL(`../../www/${f}`, import.meta.url), "utf8").includes("u-wrap"));
  assert.ok(uplotChunk, "the build has a lazy chunk with uPlot");
  /** @param {string[]} urls */
  const chunkRequests = (urls) => urls.filter((u) => u.endsWith(`/${uplotChunk}`));

  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, "/dashboard/", "Contests");
  await page.waitForTimeout(300);
  assert.deepEqual(chunkRequests(log.urls), [], "not on the contests list");
  await page.goto(`${app.base}/dashboard/contests/${contest.id}/settings`);
  await h1(page).filter({ hasText: "settings" }).waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(chunkRequests(log.urls), [], "nor on the settings");
  const before = log.urls.length;
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Overview" }).click();
  await page.locator(".chart canvas").first().waitFor();
  assert.equal(chunkRequests(log.urls).length, 1);
  assert.ok(log.urls.indexOf(/** @type {string} */ (chunkRequests(log.urls)[0])) >= before, "requested after the overview opened");
  const chart = await page.locator(".chart").boundingBox();
  const canvas = await page.locator(".chart canvas").first().boundingBox();
  assert.ok(chart && canvas && canvas.width > 0 && canvas.width <= chart.width + 1, "the canvas fits its container");
  await page.getByText("Chart data as a table").click();
  await assertAccessible(page, "the overview at desktop width");
  assertClean(log);
  await context.close();

  // 360 px: the chart follows the container; nothing overflows.
  const narrow = await app.freshPage({ width: 360, height: 800 });
  await app.openSignedIn(narrow.page, `/dashboard/contests/${contest.id}/overview`, "Lazy chart");
  await narrow.page.locator(".chart canvas").first().waitFor();
  await narrow.page.getByText("Chart data as a table").click();
  await assertFits(narrow.page, "the overview");
  const width = await narrow.page.locator(".chart .uplot").evaluate((el) => el.getBoundingClientRect().width);
  assert.ok(width <= 340, `the chart is ${width} px wide at 360`);
  await assertAccessible(narrow.page, "the overview at 360 px");
  // Wider again: the chart grows with its container.
  await narrow.page.setViewportSize({ width: 900, height: 800 });
  await narrow.page.waitForFunction(() => (document.querySelector(".chart .uplot")?.getBoundingClientRect().width ?? 0) > 600);
  assertClean(narrow.log);
  await narrow.context.close();
});

test("overview: a contest with nothing yet: zeros, the funnel's rates a dash, no advocates, the chart drawn flat", async () => {
  const contest = await app.newContest({ name: "Nothing yet" });
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/overview`, "Nothing yet");
  const numbers = await shownNumbers(page);
  assert.deepEqual([numbers.Visits, numbers.Signups, numbers.Purchases, numbers.Revenue], ["0", "0", "0", "0"]);
  assert.deepEqual(await funnelRows(page), [
    ["Referred visits", "0", ""],
    ["Referred signups", "0", " (– of referred visits)"],
    ["Referred buyers", "0", " (– of referred signups)"],
  ]);
  await page.getByText("No advocates yet.").waitFor();
  await page.locator(".chart canvas").first().waitFor();
  await waitForDays(page, 30);
  assert.ok((await tableRows(page)).every((r) => r.slice(1).join() === "0,0,0,0.00"));
  // No revenue at all: the chart names the contest's points currency.
  assert.equal(await page.locator(".chart-data thead th").last().textContent(), `Revenue (${contest.pointsCurrency})`);
  assertClean(log);
  await context.close();
});

test("overview: the page's screenshot for the README, with data spread over the last two weeks", async () => {
  const contest = await app.newContest({ name: "Spring launch" });
  const advocates = [];
  for (const [email, name] of [["maya@example.com", "Maya Advocate"], ["leo@example.com", "Leo Sharer"], ["ines@example.com", "Ines Fan"]]) {
    advocates.push(await app.newEntry(contest.id, { email, name }));
  }
  let address = 1;
  for (let i = 0; i < 42; i++) {
    const advocate = advocates[i % 3];
    await tracker("/api/referral/track-visit", { contestId: contest.id, referralCode: advocate.referralCode }, `198.51.100.${address++}`);
  }
  await app.visitsWritten(contest.id, 42);
  for (let i = 0; i < 15; i++) {
    const advocate = advocates[i % 2];
    await app.newEntry(contest.id, { email: `friend${i}@example.com`, name: `Friend ${i}`, referralCode: advocate.referralCode });
  }
  for (let i = 0; i < 7; i++) await purchase(contest.id, `friend${i * 2}@example.com`, `spring-${i}`, 19 + i * 11.5);
  // The API writes only "now": spread the rows over the last 14 days, as a
  // contest running for two weeks would have them (a visit's `day`, its
  // once-a-day key, moved with it).
  const back = "'-' || (((rowid * rowid + rowid) / 2) % 14) || ' days'";
  const spread = (/** @type {string} */ table, extra = "") =>
    app.stack.sql(
      `UPDATE ${table} SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, ${back})${extra} WHERE contest_id = '${contest.id}'`,
    );
  spread("visits", `, day = strftime('%Y-%m-%d', created_at, ${back})`);
  spread("entries");
  spread("purchases");

  const { page, context, log } = await app.freshPage({ width: 1280, height: 900 });
  await app.openSignedIn(page, `/dashboard/contests/${contest.id}/overview`, "Spring launch");
  await page.locator(".chart canvas").first().waitFor();
  await page.getByRole("list", { name: "Top advocates" }).waitFor();
  await page.getByLabel("Last 30 days").waitFor();
  await waitForDays(page, 30);
  const rows = await tableRows(page);
  assert.ok(rows.filter((r) => r[1] !== "0").length >= 5, `visits on several days: ${JSON.stringify(rows)}`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: new URL("../../docs/dashboard-overview.png", import.meta.url).pathname, fullPage: true });
  assertClean(log);
  await context.close();
});
