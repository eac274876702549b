// Outbound webhooks end to end (issue 13): `npm start`'s stack (wrangler dev
// runs the worker's queue and its consumer), a receiver on this machine that
// checks each signature with the `standardwebhooks` package, and a friend who
// signs up through the demo page's tracker in Chromium: the owner's endpoint
// gets entry.created and referral.created for them.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { DEMO, launchChromium, startStack } from "./stack.mjs";

/** @type {import("./stack.mjs").Stack} */
let stack;
/** @type {import("playwright-core").Browser} */
let browser;
/** What the receiver got: headers and body of each POST.
 * @type {{ headers: http.IncomingHttpHeaders, body: string }[]} */
const received = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(200).end("ok");
  });
});

before(async () => {
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", () => resolve(undefined)));
  stack = await startStack();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  receiver.close();
});

/** Waits until `n` requests arrived (or fails after 20 s). @param {number} n */
async function arrivals(n) {
  for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(received.length >= n, `${received.length} of ${n} webhooks arrived: ${stack.output()}`);
  return received;
}

test("a tracker signup on the demo page arrives as entry.created and referral.created, signed", async () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (receiver.address());
  // Local http to this machine is allowed by npm start's .dev.vars (ALLOW_LOCAL_WEBHOOKS).
  const made = await stack.v1("POST", "/api/v1/webhook-endpoints", {
    url: `http://127.0.0.1:${port}/hooks`,
    events: ["entry.created", "referral.created"],
    description: "e2e receiver",
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const secret = made.body.data.secret;

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route("**/demo-widget.json", (route) => route.fulfill({ contentType: "application/json", body: "null" }));
  await page.goto(`${stack.base}/?ref=${DEMO.referralCode}`);
  await page.fill("#signup-email", "hooked-friend@example.com");
  await page.fill("#signup-name", "Hooked Friend");
  await page.click("#signup button");
  await page.waitForFunction(() => document.getElementById("signup-result")?.textContent !== "");
  await context.close();

  const got = await arrivals(2);
  const verifier = new Webhook(secret);
  const bodies = got.map((r) =>
    /** @type {any} */ (
      verifier.verify(r.body, {
        "webhook-id": String(r.headers["webhook-id"]),
        "webhook-timestamp": String(r.headers["webhook-timestamp"]),
        "webhook-signature": String(r.headers["webhook-signature"]),
      })
    ),
  );
  assert.deepEqual(bodies.map((b) => b.type).sort(), ["entry.created", "referral.created"]);
  for (const b of bodies) {
    assert.equal(b.data.email, "hooked-friend@example.com");
    assert.equal(b.data.referredByCode, DEMO.referralCode);
    assert.equal(b.data.referredBy, DEMO.advocateId);
  }
  assert.equal(new Set(got.map((r) => r.headers["webhook-id"])).size, 2);
  // The owner sees both deliveries, succeeded.
  const deliveries = await stack.v1("GET", `/api/v1/webhook-endpoints/${made.body.data.id}/deliveries`);
  assert.equal(deliveries.status, 200, JSON.stringify(deliveries.body));
  assert.deepEqual(
    deliveries.body.data.map((/** @type {any} */ d) => [d.status, d.attempts, d.lastStatusCode]),
    [
      ["succeeded", 1, 200],
      ["succeeded", 1, 200],
    ],
  );
});
