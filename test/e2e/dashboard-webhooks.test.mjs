// The owner dashboard's Webhooks page (issue 13) in headless Chromium against
// `npm start`'s stack (wrangler dev runs the worker's queue and its consumer;
// .dev.vars allows http to 127.0.0.1): two receivers on this machine, one
// answering 200 and one 500. Create an endpoint from the page (the secret shown
// once), a test ping delivered (the receiver got it, the page shows it
// succeeded), a failing endpoint's delivery pending with its status code and
// next retry, redeliver (the same webhook-id again), disable and enable,
// rotate (a new secret), edit, delete after a confirmation; a description
// with markup shown as text; axe-core and 360 px.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { assertAccessible, assertClean, assertFits, DashboardApp, h1, XSS } from "./dashboard-kit.mjs";

/** @type {DashboardApp} */
let app;

/** A receiver on this machine answering `status` to every POST; what it got.
 * @param {number} status */
function receiver(status) {
  /** @type {{ headers: http.IncomingHttpHeaders, body: string }[]} */
  const received = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end(status === 200 ? "ok" : "broken");
    });
  });
  return { server, received, url: "" };
}

const ok = receiver(200);
const broken = receiver(500);

before(async () => {
  for (const r of [ok, broken]) {
    await new Promise((resolve) => r.server.listen(0, "127.0.0.1", () => resolve(undefined)));
    const { port } = /** @type {import("node:net").AddressInfo} */ (r.server.address());
    r.url = `http://127.0.0.1:${port}/hooks`;
  }
  app = await DashboardApp.start();
});

after(async () => {
  await app?.stop();
  ok.server.close();
  broken.server.close();
});

/** Waits until `check` holds (or fails after 20 s with `what`).
 * @param {() => boolean | Promise<boolean>} check @param {string} what */
async function until(check, what) {
  for (let i = 0; i < 80; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out: ${what}\n${app.stack.output()}`);
}

/** Presses the endpoint's "Refresh" until its deliveries list shows `text`.
 * @param {import("playwright-core").Page} page @param {string} url @param {string | RegExp} text */
async function refreshUntil(page, url, text) {
  const list = page.getByRole("list", { name: `Deliveries to ${url}` });
  await until(async () => {
    // Pressed, then looked at once the deliveries it asked for are answered
    // (and rendered: shown within a second, or pressed again).
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).pathname.endsWith("/deliveries")),
      page.getByRole("button", { name: `Refresh the deliveries to ${url}` }).click(),
    ]);
    return list.getByText(text).first().waitFor({ timeout: 1_000 }).then(
      () => true,
      () => false,
    );
  }, `the deliveries to ${url} show ${text}`);
  return list;
}

/** The endpoints the API lists. */
async function endpoints() {
  const r = await app.v1("GET", "/api/v1/webhook-endpoints?limit=100");
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return /** @type {any[]} */ (r.body.data);
}

/** Creates an endpoint from the page's form; answers its secret as shown.
 * @param {import("playwright-core").Page} page @param {string} url @param {string} description @param {string[]} events */
async function createFromPage(page, url, description, events) {
  const form = page.getByRole("form", { name: "New endpoint" });
  await form.getByLabel("URL").fill(url);
  await form.getByLabel("Description (optional)").fill(description);
  for (const e of events) await form.getByLabel(e).check();
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await page.getByRole("heading", { name: `Signing secret of ${url}` }).waitFor();
  await page.getByText("Copy it now: it will not be shown again.").waitFor();
  return /** @type {string} */ (await page.locator("#fresh-secret").textContent());
}

test("webhooks: create an endpoint (secret shown once), a test ping delivered and redelivered with the same webhook-id, a failing one pending with its status code, disable and enable, rotate, edit, delete; markup as text; axe-core", async () => {
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, "/dashboard/", "Contests");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await h1(page).filter({ hasText: "Webhooks" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/dashboard/webhooks");
  await page.getByText("No endpoints yet: add the first one below.").waitFor();
  await assertAccessible(page, "the Webhooks page, empty");

  // No event chosen: the page says so and sends nothing.
  const form = page.getByRole("form", { name: "New endpoint" });
  await form.getByLabel("URL").fill(ok.url);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await form.getByRole("alert").filter({ hasText: "Choose at least one event." }).waitFor();
  assert.equal(log.bodies.filter((b) => b.path === "/api/v1/webhook-endpoints").length, 0);

  // Create: the secret is shown once; the API lists the endpoint, never the secret.
  const secret = await createFromPage(page, ok.url, XSS, ["entry.created", "referral.created"]);
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
  await page.getByRole("status").filter({ hasText: `Created the endpoint ${ok.url}.` }).waitFor();
  let listed = await endpoints();
  const made = listed.find((e) => e.url === ok.url);
  assert.ok(made, JSON.stringify(listed));
  assert.deepEqual(made.events, ["entry.created", "referral.created"]);
  assert.equal(made.description, XSS);
  assert.equal(made.secret, undefined);
  const row = page.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: made.id });
  await row.getByText(XSS, { exact: true }).waitFor();
  assert.equal(await page.locator("img").count(), 0, "the description's markup is text");
  await row.getByText("Events: entry.created, referral.created").waitFor();
  await page.getByRole("button", { name: "Copy the secret" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await assertAccessible(page, "the Webhooks page with a new secret");
  await page.getByRole("button", { name: "Done, hide it" }).click();
  assert.equal(await page.locator("#fresh-secret").count(), 0);

  // A test ping: the receiver gets a signed ping; the page shows it succeeded.
  await row.getByRole("button", { name: `Send test ping to ${ok.url}` }).click();
  await page.getByRole("status").filter({ hasText: `Sent a test ping to ${ok.url}` }).waitFor();
  await until(() => ok.received.length >= 1, "the ping arrived");
  const ping = /** @type {{ headers: http.IncomingHttpHeaders, body: string }} */ (ok.received[0]);
  const webhookId = String(ping.headers["webhook-id"]);
  const body = /** @type {any} */ (
    new Webhook(secret).verify(ping.body, {
      "webhook-id": webhookId,
      "webhook-timestamp": String(ping.headers["webhook-timestamp"]),
      "webhook-signature": String(ping.headers["webhook-signature"]),
    })
  );
  assert.equal(body.type, "ping");
  assert.deepEqual(body.data, { endpointId: made.id });
  const deliveries = await refreshUntil(page, ok.url, "succeeded");
  const item = deliveries.getByRole("listitem").filter({ hasText: webhookId });
  await item.getByText("ping", { exact: true }).waitFor();
  await item.getByText(/1 attempt · HTTP 200 · [\d,]+ ms/).waitFor();
  await assertAccessible(page, "the Webhooks page with a delivery");

  // Redeliver it: pending at once, then the same webhook-id arrives again.
  await item.getByRole("button", { name: `Redeliver ping ${webhookId}` }).click();
  await page.getByRole("status").filter({ hasText: `Redelivering ping (${webhookId}).` }).waitFor();
  await item.getByText("pending", { exact: true }).waitFor();
  assert.equal(await item.getByRole("button", { name: /Redeliver/ }).count(), 0, "no redelivery while pending");
  await until(() => ok.received.length >= 2, "the redelivery arrived");
  assert.equal(ok.received[1]?.headers["webhook-id"], webhookId, "the same webhook-id");
  await refreshUntil(page, ok.url, "succeeded");

  // A failing receiver: its delivery stays pending with the status code and the next retry.
  await createFromPage(page, broken.url, "", ["purchase.recorded"]);
  await page.getByRole("button", { name: "Done, hide it" }).click();
  await page.getByRole("button", { name: `Send test ping to ${broken.url}` }).click();
  await until(() => broken.received.length >= 1, "the failing receiver was called");
  const failing = await refreshUntil(page, broken.url, /HTTP 500/);
  await failing.getByText("pending", { exact: true }).waitFor();
  await failing.getByText(/next retry \d{4}-\d\d-\d\d \d\d:\d\d UTC/).waitFor();
  await failing.getByText("Answer: broken").first().waitFor();

  // Disable, then enable: the reason shows, then is cleared.
  await row.getByRole("button", { name: `Disable ${ok.url}` }).click();
  await page.getByRole("status").filter({ hasText: `Disabled ${ok.url}.` }).waitFor();
  await row.getByText("Disabled: Disabled by the owner", { exact: false }).waitFor();
  assert.equal((await endpoints()).find((e) => e.id === made.id)?.enabled, false);
  await row.getByRole("button", { name: `Enable ${ok.url}` }).click();
  await page.getByRole("status").filter({ hasText: `Enabled ${ok.url}: its failure count and disabled reason are cleared.` }).waitFor();
  await row.getByRole("button", { name: `Disable ${ok.url}` }).waitFor();
  const enabled = (await endpoints()).find((e) => e.id === made.id);
  assert.equal(enabled?.enabled, true);
  assert.equal(enabled?.disabledReason, null);

  // Rotate, after a confirmation: a new secret, shown once, that differs.
  await row.getByRole("button", { name: `Rotate secret of ${ok.url}` }).click();
  await row.getByRole("group", { name: `Confirm rotating the secret of ${ok.url}` }).getByRole("button", { name: "Yes, rotate" }).click();
  await page.getByRole("heading", { name: `New signing secret of ${ok.url}` }).waitFor();
  const rotated = /** @type {string} */ (await page.locator("#fresh-secret").textContent());
  assert.match(rotated, /^whsec_/);
  assert.notEqual(rotated, secret);
  await row.getByText(/the previous secret signs too until/).waitFor();

  // Edit: only what changed is sent.
  await row.getByRole("button", { name: `Edit ${ok.url}` }).click();
  const edit = row.getByRole("form", { name: `Edit ${ok.url}` });
  await edit.getByLabel("purchase.verified").check();
  await edit.getByLabel("referral.created").uncheck();
  await edit.getByRole("button", { name: "Save endpoint" }).click();
  await page.getByRole("status").filter({ hasText: `Saved the endpoint ${ok.url}.` }).waitFor();
  assert.deepEqual(log.bodies.at(-1), {
    method: "PATCH",
    path: `/api/v1/webhook-endpoints/${made.id}`,
    body: { events: ["entry.created", "purchase.verified"] },
  });
  assert.deepEqual((await endpoints()).find((e) => e.id === made.id)?.events, ["entry.created", "purchase.verified"]);

  // Delete, after a confirmation: gone from the API.
  await row.getByRole("button", { name: `Delete ${ok.url}` }).click();
  await row.getByRole("group", { name: `Confirm deleting ${ok.url}` }).getByRole("button", { name: "Yes, delete" }).click();
  await page.getByRole("status").filter({ hasText: `Deleted the endpoint ${ok.url}.` }).waitFor();
  assert.equal((await app.v1("GET", `/api/v1/webhook-endpoints/${made.id}`)).status, 404);
  listed = await endpoints();
  assert.equal(listed.some((e) => e.id === made.id), false);
  await page.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: made.id }).waitFor({ state: "detached" });
  await assertAccessible(page, "the Webhooks page after the changes");
  assertClean(log);
  await context.close();

  // Leave nothing queued against the failing receiver for other tests.
  for (const e of listed) await app.v1("DELETE", `/api/v1/webhook-endpoints/${e.id}`);
});

test("webhooks: a deep link reloads the page; at 360 px it fits and passes axe-core; deliveries page with 'More deliveries'", async () => {
  const made = await app.v1("POST", "/api/v1/webhook-endpoints", { url: `${ok.url}/paged`, events: ["entry.created"], description: XSS });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const url = made.body.data.url;
  const before = ok.received.length;
  for (let i = 0; i < 11; i++) {
    assert.equal((await app.v1("POST", `/api/v1/webhook-endpoints/${made.body.data.id}/test`)).status, 202);
  }
  await until(() => ok.received.length >= before + 11, "eleven pings arrived");

  const { page, context, log } = await app.freshPage({ width: 360, height: 740 });
  await app.openSignedIn(page, "/dashboard/webhooks", "Webhooks");
  const deliveries = page.getByRole("list", { name: `Deliveries to ${url}` });
  await deliveries.getByRole("listitem").first().waitFor();
  assert.equal(await deliveries.getByRole("listitem").count(), 10, "the first page");
  await page.getByRole("button", { name: `More deliveries to ${url}` }).click();
  await until(async () => (await deliveries.getByRole("listitem").count()) === 11, "the next page added");
  assert.equal(await page.getByRole("button", { name: `More deliveries to ${url}` }).count(), 0, "no more pages");
  await page.getByText("How to verify a delivery").click();
  await page.getByText("webhook-signature", { exact: true }).first().waitFor();
  await page.getByRole("button", { name: `Edit ${url}` }).click();
  await assertFits(page, "webhooks");
  await assertAccessible(page, "the Webhooks page at 360 px");
  await page.reload();
  await h1(page).filter({ hasText: "Webhooks" }).waitFor();
  await page
    .getByRole("list", { name: "Webhook endpoints" })
    .getByRole("listitem")
    .filter({ hasText: made.body.data.id })
    .getByText(XSS, { exact: true })
    .waitFor();
  assert.equal(await page.locator("img").count(), 0);
  assertClean(log);
  await context.close();
  await app.v1("DELETE", `/api/v1/webhook-endpoints/${made.body.data.id}`);
});

test("webhooks: the form's events are the worker's list (GET /api/v1/webhook-event-types), each with when it is sent; none 'not sent yet'", async () => {
  const types = await app.v1("GET", "/api/v1/webhook-event-types");
  assert.equal(types.status, 200, JSON.stringify(types.body));
  /** @type {{ type: string, description: string }[]} */
  const sent = types.body.data;
  // The award and reward events the page once called "not sent yet" are on the worker's list.
  for (const t of ["award.created", "award.confirmed", "award.rejected", "reward.earned", "reward.redeemed"]) {
    assert.ok(sent.some((s) => s.type === t), t);
  }
  const { page, context, log } = await app.freshPage();
  await app.openSignedIn(page, "/dashboard/webhooks", "Webhooks");
  const form = page.getByRole("form", { name: "New endpoint" });
  await form.getByLabel(sent[0].type).waitFor();
  const labels = await form.locator(".events label").allTextContents();
  assert.deepEqual(
    labels.map((l) => l.replace(/\s+/g, " ").trim()),
    sent.map((s) => `${s.type} ${s.description}`),
  );
  assert.equal(await page.getByText(/not sent/i).count(), 0);
  assertClean(log);
  await context.close();
});
