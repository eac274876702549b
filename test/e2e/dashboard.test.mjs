// The owner dashboard (/dashboard/) in headless Chromium against the local
// stack: sign-in with the demo private key, the contests list, creating a
// contest, its settings through the API, the tracker snippet, text never
// markup, sign-out, deep links on reload, keyboard use, a 360 px phone, and
// axe-core on every page with no serious or critical violation.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { assertAccessible, assertClean, assertFits, axeViolations, DashboardApp, DEMO, h1, settled, signIn, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;
/** @type {import("./stack.mjs").Stack} */
let stack;

const STUB = readFileSync(new URL("../../www/stub.js", import.meta.url), "utf8").trim();

before(async () => {
  app = await DashboardApp.start();
  stack = app.stack;
});

after(async () => {
  await app?.stop();
});

/** @param {{ width?: number, height?: number }} [viewport] */
const freshPage = (viewport) => app.freshPage(viewport);

/** A contest of the demo account, made through the API.
 * @param {string} name */
const newContest = (name) => app.newContest({ name });

test("npm start prints the dashboard's URL; /dashboard/ is served under the strict CSP, from files of this origin only", async () => {
  assert.match(stack.output(), new RegExp(`Dashboard: +${stack.base}/dashboard/ `));
  const { page, context, log } = await freshPage();
  const res = /** @type {import("playwright-core").Response} */ (await page.goto(`${stack.base}/dashboard/`));
  assert.equal(res.status(), 200);
  const csp = res.headers()["content-security-policy"] ?? "";
  const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
  assert.match(scriptSrc, /^script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'$/, "the site's one policy");
  const html = await res.text();
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]), [""], "one script, no inline code");
  const src = /<script type="module" src="(\/dashboard\/app\.[A-Z0-9]+\.js)">/.exec(html)?.[1];
  assert.ok(src, html);
  const script = await page.request.get(`${stack.base}${src}`);
  assert.equal(script.status(), 200);
  assert.match(script.headers()["cache-control"] ?? "", /immutable/);
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  assertClean(log);
  await context.close();
});

test("the dashboard's sources never build markup from strings", () => {
  const dir = new URL("../../www/src/dashboard/", import.meta.url);
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));
  assert.ok(files.length >= 5, String(files));
  for (const f of files) {
    assert.doesNotMatch(readFileSync(new URL(f, dir), "utf8"), /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/, f);
  }
});

test("sign in with the demo private key: the demo contest is listed with its numbers; every call carries the key in x-api-key", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/`);
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  await assertAccessible(page, "the sign-in page");
  await signIn(page);
  const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Demo launch contest" }) });
  await card.waitFor();
  assert.equal(await card.locator(".badge").textContent(), "active");
  const stats = (await stack.v1("GET", `/api/v1/contests/${DEMO.contestId}/stats`)).body.data;
  await card.getByText("Signups").waitFor();
  /** @param {string} label */
  const figure = (label) => card.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd").textContent();
  // As the page writes numbers (with the demo month, `npm start`'s points pass a thousand: "2,021").
  const integer = new Intl.NumberFormat("en-US");
  assert.equal(await figure("Signups"), integer.format(stats.signups));
  assert.equal(await figure("Visits"), integer.format(stats.visits));
  assert.equal(await figure("Points"), integer.format(stats.points));
  await assertAccessible(page, "the contests page");
  assert.equal(await page.evaluate(() => sessionStorage.length), 1);
  assert.ok(log.apiCalls.length >= 3, JSON.stringify(log.apiCalls));
  assert.deepEqual(
    log.apiCalls.filter((c) => c.key !== DEMO.privateKey),
    [],
    "every API call sends the key in x-api-key",
  );
  assert.equal(new URL(page.url()).search, "", "no key in the address");
  assertClean(log);
  await context.close();
});

test("a refused key or a public key does not sign in and keeps nothing", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/`);
  await page.getByLabel("API key").fill("rt_sk_000000000000000000000000wrongkey");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "That key was not accepted." }).waitFor();
  await page.getByLabel("API key").fill(DEMO.publicKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "public key" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal(await h1(page).textContent(), "Sign in");
  // The refused key's 401 is the only console line (the browser's own log of the failed fetch).
  log.console = log.console.filter((m) => !/status of 401/.test(m));
  assertClean(log);
  await context.close();
});

test("create a contest from the dashboard: it is listed and the API has it", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/`);
  await signIn(page);
  await page.getByLabel("Name").fill("Spring from the dashboard");
  await page.getByRole("button", { name: "Create contest" }).click();
  await page.getByRole("status").filter({ hasText: "Created “Spring from the dashboard”." }).waitFor();
  await page.getByRole("listitem").getByRole("link", { name: "Spring from the dashboard" }).waitFor();
  const list = (await stack.v1("GET", "/api/v1/contests?limit=100")).body.data;
  const made = list.find((/** @type {{ name: string }} */ c) => c.name === "Spring from the dashboard");
  assert.ok(made, "the API lists it");
  assert.equal(made.status, "active");
  // Its settings are one click away.
  await page.getByRole("status").getByRole("link", { name: "Open its settings" }).click();
  await h1(page).filter({ hasText: "Spring from the dashboard" }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/dashboard/contests/${made.id}/settings`);
  assertClean(log);
  await context.close();
});

test("contest settings: edits go out in one PATCH of the changed fields and the API returns them; secrets are write-only", async () => {
  const contest = await newContest("Settings to edit");
  const { page, context, log } = await freshPage();
  /** @type {Record<string, unknown>[]} */
  const patches = [];
  page.on("request", (r) => r.method() === "PATCH" && patches.push(JSON.parse(r.postData() ?? "null")));
  await page.goto(`${stack.base}/dashboard/contests/${contest.id}/settings`);
  await signIn(page, "Settings to edit");
  await assertAccessible(page, "the contest settings page");

  await page.getByLabel("Name", { exact: true }).fill("Summer (edited)");
  await page.getByLabel("Description").fill("Bring a friend");
  await page.getByLabel("Status").selectOption("paused");
  await page.getByLabel("Ends at (UTC)").fill("2030-01-02T03:04");
  await page.getByLabel("Advocate points").fill("25");
  await page.getByLabel("Referrals enabled").uncheck();
  await page.getByLabel("Purchases reported by the browser").selectOption("award");
  await page.getByLabel("Referral awards").selectOption("review");
  await page.getByLabel("Hold days").fill("7");
  await page.getByLabel("Max referrals per hour").fill("5");
  await page.getByLabel("Stripe signing secret", { exact: true }).fill("whsec_dashboard_test");
  await page.getByLabel("Turnstile secret key", { exact: true }).fill("0x4AAAAAAAdashboard");
  await page.getByLabel("Turnstile site key", { exact: true }).fill("0x4AAAAAAAsitekey");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await h1(page).filter({ hasText: "Summer (edited)" }).waitFor();

  assert.deepEqual(patches, [
    {
      name: "Summer (edited)",
      description: "Bring a friend",
      status: "paused",
      endsAt: "2030-01-02T03:04:00Z",
      advocatePoints: 25,
      referralEnabled: false,
      browserPurchases: "award",
      referralAwards: "review",
      holdDays: 7,
      maxReferralsPerHour: 5,
      stripeWebhookSecret: "whsec_dashboard_test",
      turnstileSiteKey: "0x4AAAAAAAsitekey",
      turnstileSecret: "0x4AAAAAAAdashboard",
    },
  ]);
  const saved = (await stack.v1("GET", `/api/v1/contests/${contest.id}`)).body.data;
  assert.equal(saved.name, "Summer (edited)");
  assert.equal(saved.description, "Bring a friend");
  assert.equal(saved.status, "paused");
  assert.match(saved.endsAt, /^2030-01-02T03:04:00(\.000)?Z$/);
  assert.equal(saved.advocatePoints, 25);
  assert.equal(saved.friendPoints, contest.friendPoints, "unchanged");
  assert.equal(saved.referralEnabled, false);
  assert.equal(saved.browserPurchases, "award");
  assert.equal(saved.referralAwards, "review");
  assert.equal(saved.holdDays, 7);
  assert.equal(saved.maxReferralsPerHour, 5);
  assert.equal(saved.stripeConfigured, true);
  assert.equal(saved.turnstileEnabled, true);
  // The site key is public: shown back.
  assert.equal(saved.turnstileSiteKey, "0x4AAAAAAAsitekey");
  assert.equal(await page.getByLabel("Turnstile site key", { exact: true }).inputValue(), "0x4AAAAAAAsitekey");
  // Write-only: the inputs are empty again and the secrets appear nowhere on the page.
  assert.equal(await page.getByLabel("Stripe signing secret", { exact: true }).inputValue(), "");
  assert.ok(!(await page.content()).includes("whsec_dashboard_test"));

  // A reload shows what the API holds.
  await page.reload();
  await h1(page).filter({ hasText: "Summer (edited)" }).waitFor();
  assert.equal(await page.getByLabel("Advocate points").inputValue(), "25");
  assert.equal(await page.getByLabel("Ends at (UTC)").inputValue(), "2030-01-02T03:04");
  assert.equal(await page.getByLabel("Referral awards").inputValue(), "review");

  // Removing the Stripe secret sends null for it alone.
  await page.getByLabel("Remove the saved stripe signing secret").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(patches.at(-1), { stripeWebhookSecret: null });
  assert.equal((await stack.v1("GET", `/api/v1/contests/${contest.id}`)).body.data.stripeConfigured, false);

  // The API's refusals are shown as they come.
  await page.getByLabel("Name", { exact: true }).fill("bad\u202ename");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("alert").filter({ hasText: "name" }).waitFor();
  log.console = log.console.filter((m) => !/status of 400/.test(m));
  assertClean(log);
  await context.close();
});

test("the contest page shows the webhook secret, the Stripe URL and the tracker snippet and stub for this contest, with copy buttons", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/contests/${DEMO.contestId}/settings`);
  await signIn(page, "Demo launch contest");
  const tracker = `<script async src="${stack.base}/referral-tracker.js?campaignId=${DEMO.contestId}"></script>`;
  assert.equal(await page.locator("#tracker-snippet").textContent(), tracker);
  assert.equal(await page.locator("#stub-snippet").textContent(), `<script>${STUB}</script>`);
  // The consent and first-party forms of issue 15.
  const consent = `<script async src="${stack.base}/referral-tracker.js?campaignId=${DEMO.contestId}&consent=required"></script>`;
  assert.equal(await page.locator("#consent-snippet").textContent(), consent);
  assert.equal(await page.locator("#first-party-snippet").textContent(), `<script async src="/rt/referral-tracker.js?campaignId=${DEMO.contestId}"></script>`);
  assert.equal(await page.locator("#webhook-secret").textContent(), DEMO.webhookSecret);
  assert.equal(await page.locator("#stripe-url").textContent(), `${stack.base}/api/webhooks/stripe/${DEMO.contestId}`);
  assert.equal(await page.locator("#signup-url").textContent(), `${stack.base}/api/webhooks/signup/${DEMO.contestId}`);
  await page.getByRole("button", { name: "Copy tracker script", exact: true }).click();
  await page.getByText("Copied.").first().waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), tracker);
  await page.getByRole("button", { name: "Copy inline stub" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `<script>${STUB}</script>`);
  await page.getByRole("button", { name: "Copy stripe webhook URL" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${stack.base}/api/webhooks/stripe/${DEMO.contestId}`);
  await page.getByRole("button", { name: "Copy tracker script, consent required" }).click();
  await page.waitForFunction(async (text) => (await navigator.clipboard.readText()) === text, consent);
  // The snippet works: the stub and the tracker it names load on a page.
  const probe = await app.browser.newContext();
  const shop = await probe.newPage();
  await shop.route(`${stack.base}/snippet-probe`, (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><title>probe</title>${`<script>${STUB}</script>`}${tracker}` }),
  );
  await shop.goto(`${stack.base}/snippet-probe`);
  await shop.waitForFunction(() => window.RocketTracker && !("q" in window.RocketTracker));
  await probe.close();
  assertClean(log);
  await context.close();
});

test(`a contest named ${XSS} shows as that text everywhere and no dialog opens`, async () => {
  const contest = await newContest(XSS);
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/`);
  await signIn(page);
  const link = page.getByRole("listitem").getByRole("link", { name: XSS, exact: true });
  await link.waitFor();
  assert.equal(await link.textContent(), XSS);
  await link.click();
  await h1(page).filter({ hasText: XSS }).waitFor();
  assert.equal(await settled(page, () => document.title, `${XSS}: overview · Rocket Tracker`), `${XSS}: overview · Rocket Tracker`);
  await page.getByRole("navigation", { name: "This contest" }).getByRole("link", { name: "Settings" }).click();
  await h1(page).filter({ hasText: XSS }).filter({ hasText: "settings" }).waitFor();
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), XSS);
  assert.equal(await settled(page, () => document.title, `${XSS}: settings · Rocket Tracker`), `${XSS}: settings · Rocket Tracker`);
  await page.waitForTimeout(300);
  assert.equal(await page.locator("img").count(), 0, "no element made from the name");
  assert.deepEqual(log.urls.filter((u) => new URL(u).pathname.endsWith("/x")), [], "nothing loaded from the name");
  assert.ok(contest.id);
  assertClean(log);
  await context.close();
});

test("sign-out clears the key from sessionStorage and shows the sign-in form; pages need signing in again", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/`);
  await signIn(page);
  assert.equal(await page.evaluate(() => sessionStorage.length), 1);
  await page.getByRole("button", { name: "Sign out" }).click();
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  await page.getByRole("status").filter({ hasText: "You are signed out." }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.ok(!(await page.content()).includes(DEMO.privateKey));
  await page.goto(`${stack.base}/dashboard/contests/${DEMO.contestId}/settings`);
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  // Another tab (context) never had the key either.
  const other = await context.newPage();
  await other.goto(`${stack.base}/dashboard/`);
  await h1(other).filter({ hasText: "Sign in" }).waitFor();
  assertClean(log);
  await context.close();
});

test("deep links work on reload, signed in or not; unknown pages say so", async () => {
  const { page, context, log } = await freshPage();
  // Signed out: the sign-in form at the deep link, then that very page.
  const res = /** @type {import("playwright-core").Response} */ (
    await page.goto(`${stack.base}/dashboard/contests/${DEMO.contestId}/settings`)
  );
  assert.equal(res.status(), 200);
  assert.match(res.headers()["content-security-policy"] ?? "", /script-src 'self'/);
  await signIn(page, "Demo launch contest");
  await page.reload();
  await h1(page).filter({ hasText: "Demo launch contest" }).waitFor();
  // /dashboard/contests/:id is the overview.
  await page.goto(`${stack.base}/dashboard/contests/${DEMO.contestId}`);
  await h1(page).filter({ hasText: "Demo launch contest" }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/dashboard/contests/${DEMO.contestId}/overview`);
  // Back and forward move between pages without a reload.
  await page.getByRole("link", { name: "← All contests" }).click();
  await h1(page).filter({ hasText: "Contests" }).waitFor();
  await page.goBack();
  await h1(page).filter({ hasText: "Demo launch contest" }).waitFor();
  await page.goto(`${stack.base}/dashboard/contests`);
  await h1(page).filter({ hasText: "Contests" }).waitFor();
  // A contest of no one (or another account) and a page that does not exist.
  await page.goto(`${stack.base}/dashboard/contests/ct_nobody/settings`);
  await h1(page).filter({ hasText: "Contest not found" }).waitFor();
  await assertAccessible(page, "the contest-not-found page");
  await page.goto(`${stack.base}/dashboard/contests/ct_demo/nothing-here`);
  await h1(page).filter({ hasText: "Page not found" }).waitFor();
  await assertAccessible(page, "the not-found page");
  log.console = log.console.filter((m) => !/status of 404/.test(m));
  assertClean(log);
  await context.close();
});

/** The focused element's tag once the new page's heading took the focus.
 * @param {import("playwright-core").Page} page */
const headingFocused = (page) => settled(page, () => document.activeElement?.tagName, "H1");

test("keyboard only: sign in with Enter, reach a contest with Tab, and the new page takes the focus", async () => {
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/`);
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  // The form is focused at once: type and press Enter.
  assert.equal(await settled(page, () => document.activeElement?.id, "api-key"), "api-key");
  await page.keyboard.type(DEMO.privateKey);
  await page.keyboard.press("Enter");
  await h1(page).filter({ hasText: "Contests" }).waitFor();
  assert.equal(await headingFocused(page), "H1", "focus moves to the new page's heading");
  // After a reload, the first Tab stop is the skip link; then on to the contest.
  await page.reload();
  await page.getByRole("link", { name: "Demo launch contest" }).waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
  for (let i = 0; i < 30; i++) {
    if ((await page.evaluate(() => document.activeElement?.textContent)) === "Demo launch contest") break;
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Demo launch contest");
  await page.keyboard.press("Enter");
  await h1(page).filter({ hasText: "Demo launch contest" }).waitFor();
  assert.equal(await headingFocused(page), "H1", "focus moves to the new page's heading");
  // Every control of the settings page is reachable and labelled.
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => /** @type {HTMLInputElement} */ (el).labels?.length === 0)
      .map((el) => el.outerHTML),
  );
  assert.deepEqual(unlabelled, []);
  assertClean(log);
  await context.close();
});

test("on a 360 px wide phone the contests page fits, creates a contest and passes axe-core", async () => {
  const { page, context, log } = await freshPage({ width: 360, height: 740 });
  await page.goto(`${stack.base}/dashboard/`);
  await assertAccessible(page, "the sign-in page at 360 px");
  await signIn(page);
  await page.getByRole("link", { name: "Demo launch contest" }).waitFor();
  await page.getByLabel("Name").fill("A contest with a rather long name to wrap on a phone screen");
  await page.getByRole("button", { name: "Create contest" }).click();
  await page.getByRole("listitem").getByRole("link", { name: "A contest with a rather long name to wrap on a phone screen" }).waitFor();
  await page.getByText("Pending points").first().waitFor();
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, "no sideways scrolling");
  await assertAccessible(page, "the contests page at 360 px");
  await page.getByRole("link", { name: "Demo launch contest" }).click();
  await h1(page).filter({ hasText: "Demo launch contest" }).waitFor();
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, "the settings page fits too");
  await assertAccessible(page, "the contest settings page at 360 px");
  assertClean(log);
  await context.close();
});

test("the operator signs in with the admin token, sees the accounts and creates one: its keys are shown once and work; the token is refused when wrong and kept for the tab only", async () => {
  const token = /Admin token \(\.dev\.vars\): +(\S+)/.exec(stack.output())?.[1];
  assert.ok(token && token.length >= 32, "npm start prints the admin token");
  const { page, context, log } = await freshPage({ width: 360, height: 740 });
  await page.goto(`${stack.base}/dashboard/`);
  await page.getByRole("button", { name: "Operator? Use the admin token" }).click();
  await page.getByLabel("Admin token").fill("short");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "at least 32 characters" }).waitFor();
  await page.getByLabel("Admin token").fill("x".repeat(40));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "That admin token was not accepted." }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await assertAccessible(page, "the operator's sign-in");
  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await h1(page).filter({ hasText: "Accounts" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/dashboard/accounts");
  const accounts = page.getByRole("list", { name: "Accounts" });
  await accounts.getByRole("heading", { level: 3 }).first().waitFor();
  const before = await accounts.getByRole("listitem").count();
  assert.ok(before >= 1, "the demo account is listed");

  // A new account: its two keys are shown this once.
  await page.getByLabel("Account name").fill(XSS);
  await page.getByRole("button", { name: "Create account" }).click();
  const fresh = page.getByRole("region", { name: `Keys of “${XSS}”` });
  await fresh.waitFor();
  const privateKey = (await page.locator("#new-private-key").textContent()) ?? "";
  const publicKey = (await page.locator("#new-public-key").textContent()) ?? "";
  assert.match(privateKey, /^rt_sk_/);
  assert.match(publicKey, /^rt_pk_/);
  await fresh.getByRole("button", { name: "Copy the private key" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), privateKey);
  await accounts.getByRole("heading", { level: 3, name: XSS, exact: true }).waitFor();
  assert.equal(await page.locator("img").count(), 0, "the name is text");
  const row = accounts.getByRole("listitem").filter({ has: page.getByRole("heading", { name: XSS, exact: true }) });
  assert.deepEqual(await row.locator("dd").allTextContents(), ["0", "2"], "no contest, two active keys");
  await assertAccessible(page, "the accounts page with new keys");
  await assertFits(page, "accounts");
  await fresh.getByRole("button", { name: "Done, hide them" }).click();
  assert.equal(await page.getByText(privateKey).count(), 0, "hidden for good");
  assert.equal((await page.reload(), await accounts.getByRole("heading", { name: XSS, exact: true }).waitFor(), await page.content()).includes(privateKey), false);

  // The new private key works, and signs in as that account's owner.
  const res = await fetch(`${stack.base}/api/v1/contests`, { headers: { "x-api-key": privateKey } });
  assert.equal(res.status, 200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await h1(page).filter({ hasText: "Sign in" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.getByLabel("API key").fill(privateKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await h1(page).filter({ hasText: "Contests" }).waitFor();
  assert.deepEqual(log.urls.filter((u) => u.includes(token) || u.includes(privateKey)), [], "no secret in a URL");
  assert.ok(log.apiCalls.length > 0);
  // The wrong token's 401 is the browser's own log of the failed fetch.
  assertClean(log, /status of 401/);
  await context.close();
});

test("rotate the inbound webhook secret after a confirmation: the page shows the new one, the old one is refused by the webhook", async () => {
  const contest = await newContest("Rotating webhooks");
  const old = contest.webhookSecret;
  const { page, context, log } = await freshPage();
  await page.goto(`${stack.base}/dashboard/contests/${contest.id}/settings`);
  await signIn(page, "Rotating webhooks");
  assert.equal(await page.locator("#webhook-secret").textContent(), old);
  await page.getByRole("button", { name: "Rotate the webhook secret…" }).click();
  await page.getByRole("group", { name: "Confirm rotating the webhook secret" }).getByRole("button", { name: "Cancel" }).click();
  assert.equal((await app.v1("GET", `/api/v1/contests/${contest.id}`)).body.data.webhookSecret, old, "cancel changes nothing");
  await page.getByRole("button", { name: "Rotate the webhook secret…" }).click();
  await page.getByRole("button", { name: "Yes, make a new secret" }).click();
  await page.getByRole("status").filter({ hasText: "the old one no longer works" }).waitFor();
  const fresh = (await app.v1("GET", `/api/v1/contests/${contest.id}`)).body.data.webhookSecret;
  assert.notEqual(fresh, old);
  assert.equal(await page.locator("#webhook-secret").textContent(), fresh);
  /** @param {string} secret */
  const signup = (secret) =>
    fetch(`${stack.base}/api/webhooks/signup/${contest.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": secret },
      body: JSON.stringify({ email: `w${secret.slice(-6)}@example.com` }),
    });
  assert.equal((await signup(old)).status, 401);
  assert.equal((await signup(fresh)).status, 200);
  await assertAccessible(page, "the settings page after a rotation");
  assertClean(log);
  await context.close();
});
