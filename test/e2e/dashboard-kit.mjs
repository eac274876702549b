// What every dashboard test file shares: one stack and one Chromium per file
// (`DashboardApp.start()` in `before`), pages in fresh contexts that record
// what must never happen, sign-in, axe-core, the 360 px check, and the API
// calls that make test data with the demo account's private key.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DEMO, launchChromium, startStack } from "./stack.mjs";

export { DEMO };
export const XSS = "<img src=x onerror=alert(1)>";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** @typedef {{ console: string[], errors: string[], dialogs: string[], urls: string[],
 *   apiCalls: { url: string, key: string | undefined }[],
 *   bodies: { method: string, path: string, body: unknown }[] }} PageLog */

/** @param {import("playwright-core").Page} page */
export const h1 = (page) => page.getByRole("heading", { level: 1 });

/** What `read` answers in the page, once it answers `expected` or after 5 s
 * (the caller asserts). The app sets the title and moves the focus in effects
 * that run a frame after the render a test waits for.
 * @template T @param {import("playwright-core").Page} page @param {() => T} read @param {T} expected */
export async function settled(page, read, expected) {
  await page.waitForFunction(`(${read})() === ${JSON.stringify(expected)}`, null, { timeout: 5_000 }).catch(() => {});
  return page.evaluate(read);
}

/** No page error, dialog or console line (but those `expectedConsole` matches:
 * the browser's own log of refusals the test asked for), never the key in a URL.
 * @param {PageLog} log @param {RegExp} [expectedConsole] */
export function assertClean(log, expectedConsole) {
  assert.deepEqual(log.errors, [], "no page error");
  assert.deepEqual(log.dialogs, [], "no dialog");
  assert.deepEqual(
    log.console.filter((m) => !(expectedConsole && expectedConsole.test(m))),
    [],
    "nothing logged (no CSP report, no error, never the key)",
  );
  assert.deepEqual(
    log.urls.filter((u) => u.includes(DEMO.privateKey)),
    [],
    "the key is in no URL",
  );
}

/** The serious and critical axe-core violations of the page as shown. The
 * engine is evaluated through the DevTools protocol, so the page's own strict
 * CSP, which refuses inline scripts, stays on.
 * @param {import("playwright-core").Page} page */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  /** @type {{ id: string, impact: string, help: string, nodes: { target: unknown }[] }[]} */
  const violations = await page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** @param {import("playwright-core").Page} page @param {string} where */
export async function assertAccessible(page, where) {
  const serious = await axeViolations(page);
  assert.deepEqual(serious, [], `axe-core on ${where}: ${JSON.stringify(serious, null, 1)}`);
}

/** @param {import("playwright-core").Page} page @param {string} where */
export async function assertFits(page, where) {
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, `${where} fits 360 px`);
}

/** Signs in on the sign-in form shown and waits for the page headed `heading`.
 * @param {import("playwright-core").Page} page
 * @param {string | RegExp} [heading]
 * @param {string} [key] */
export async function signIn(page, heading = "Contests", key = DEMO.privateKey) {
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await h1(page).filter({ hasText: heading }).waitFor();
}

/** The local stack (`npm start`'s script on a free port, fresh D1) and a
 * headless Chromium, with the helpers the dashboard tests share. */
export class DashboardApp {
  /** @param {import("./stack.mjs").Stack} stack @param {import("playwright-core").Browser} browser */
  constructor(stack, browser) {
    this.stack = stack;
    this.browser = browser;
    this.base = stack.base;
  }

  static async start() {
    const stack = await startStack();
    return new DashboardApp(stack, await launchChromium());
  }

  async stop() {
    await this.browser.close();
    await this.stack.stop();
  }

  /** A page in a fresh context (its own sessionStorage, clipboard allowed)
   * whose log records errors, console lines, dialogs, URLs, the key of each API
   * call and the body of each API write.
   * @param {{ width?: number, height?: number }} [viewport] */
  async freshPage(viewport) {
    const context = await this.browser.newContext({
      viewport: { width: viewport?.width ?? 1280, height: viewport?.height ?? 900 },
      acceptDownloads: true,
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: this.base });
    const page = await context.newPage();
    /** @type {PageLog} */
    const log = { console: [], errors: [], dialogs: [], urls: [], apiCalls: [], bodies: [] };
    page.on("console", (m) => log.console.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => log.errors.push(String(e)));
    page.on("dialog", (d) => {
      log.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      log.urls.push(r.url());
      const path = new URL(r.url()).pathname;
      if (!path.startsWith("/api/")) return;
      log.apiCalls.push({ url: r.url(), key: r.headers()["x-api-key"] });
      if (r.method() !== "GET") {
        const data = r.postData();
        log.bodies.push({ method: r.method(), path, body: data ? JSON.parse(data) : undefined });
      }
    });
    return { page, context, log };
  }

  /** Visits are written by the VISITS queue's consumer after track-visit has
   * answered: waits (10 s at most) until the contest's stats count `n` of them.
   * @param {string} contestId @param {number} n */
  async visitsWritten(contestId, n) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await this.v1("GET", `/api/v1/contests/${contestId}/stats`);
      if (r.body.data?.visits >= n || Date.now() > deadline) return r.body.data?.visits;
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  /** Opens `url` (a path), signs in there and waits for `heading`.
   * @param {import("playwright-core").Page} page @param {string} url @param {string | RegExp} heading */
  async openSignedIn(page, url, heading) {
    await page.goto(`${this.base}${url}`);
    await signIn(page, heading);
  }

  /** A call to the v1 API with the demo private key.
   * @param {string} method @param {string} path @param {unknown} [body] */
  v1(method, path, body) {
    return this.stack.v1(method, path, body);
  }

  /** @param {Record<string, unknown>} fields */
  async newContest(fields) {
    const r = await this.v1("POST", "/api/v1/contests", fields);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data;
  }

  /** @param {string} contestId @param {Record<string, unknown>} body */
  async newEntry(contestId, body) {
    const r = await this.v1("POST", `/api/v1/contests/${contestId}/entries`, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data;
  }

  /** @param {string} entryId */
  async entry(entryId) {
    const r = await this.v1("GET", `/api/v1/entries/${entryId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data;
  }

  /** @param {string} contestId @param {string} status */
  async awards(contestId, status) {
    const r = await this.v1("GET", `/api/v1/contests/${contestId}/awards?status=${status}&limit=100`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return /** @type {any[]} */ (r.body.data);
  }
}
