// Helpers for end-to-end tests: the real run command (scripts/start.sh) on a free
// port with a fresh local D1, and headless Chromium through playwright-core.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { freePort } from "../../scripts/demo-activity.mjs";
import { DEMO } from "../../scripts/demo.mjs";

export const ROOT = new URL("../..", import.meta.url).pathname;
/** The seeded demo contest, advocate and keys (from scripts/demo.env). */
export { DEMO };

/** The status of a GET, or 0 when nothing answers. Accepts wrangler's
 * self-signed certificate (the https stack is this test's own).
 * @param {string} url
 * @returns {Promise<number>} */
function statusOf(url) {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve) => {
    const req = client.get(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve(0));
  });
}

/** A request answered with JSON, over http or the https stack's self-signed
 * certificate (fetch would refuse it).
 * @param {string} method @param {string} url @param {Record<string, string>} headers @param {string} [body]
 * @returns {Promise<{ status: number, body: any }>} */
function requestJson(method, url, headers, body) {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers, rejectUnauthorized: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

export { freePort };

/** A running stack (what startStack resolves to).
 * @typedef {Awaited<ReturnType<typeof startStack>>} Stack */

/** Starts `npm start`'s script on a free port with its own D1 state; resolves when it answers.
 * `protocol: "https"` serves with wrangler's self-signed certificate; `env`
 * adds to the script's environment (e.g. ROCKET_TURNSTILE_SITEVERIFY_URL);
 * `persistDir` is a D1 state to use and keep (a restart's), else a fresh one, removed by `stop`.
 * `demoMonth: true` lets the script play its 30 days of demo activity (scripts/demo-activity.mjs,
 * some 30 s); the other tests start from the seed alone, which is what they assert on.
 * @param {{ protocol?: "http" | "https", env?: Record<string, string>, persistDir?: string, demoMonth?: boolean }} [options] */
export async function startStack({ protocol = "http", env = {}, persistDir, demoMonth = false } = {}) {
  env = { ROCKET_DEMO_ACTIVITY: demoMonth ? "1" : "0", ...env };
  // The free port can be taken by another process before wrangler binds it
  // (another run on the same machine): then start again on another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchStack(await freePort(), protocol, env, persistDir);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof PortTaken)) throw e;
    }
  }
}

class PortTaken extends Error {}

/** @param {number} port @param {"http" | "https"} protocol @param {Record<string, string>} env @param {string} [kept] */
async function launchStack(port, protocol, env, kept) {
  const persistDir = kept ?? mkdtempSync(join(tmpdir(), "rocket-e2e-"));
  const forget = () => kept === undefined && rmSync(persistDir, { recursive: true, force: true });
  const child = spawn("bash", ["scripts/start.sh"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), ROCKET_PERSIST_DIR: persistDir, ROCKET_PROTOCOL: protocol },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const base = `${protocol}://127.0.0.1:${port}`;
  // With the demo month, a fresh database first gets it (some 30 s, more on a loaded box).
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) {
      forget();
      const Failure = /Address already in use/.test(output) ? PortTaken : Error;
      throw new Failure(`stack exited early:\n${output}`);
    }
    if ((await statusOf(`${base}/api/openapi.json`)) === 200) break;
    if (Date.now() > deadline) throw new Error(`stack did not answer in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    output: () => output,
    /** Rows of a query against this stack's local D1 (the real database the worker writes).
     * @param {string} query
     * @returns {Record<string, any>[]} */
    sql(query) {
      const out = execFileSync(
        "wrangler",
        ["d1", "execute", "DB", "--local", "--persist-to", persistDir, "--json", "--command", query],
        { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      return JSON.parse(out)[0].results;
    },
    /** A call to the v1 API with the demo account's private key.
     * @param {string} method
     * @param {string} path
     * @param {unknown} [body]
     * @returns {Promise<{ status: number, body: any }>} */
    async v1(method, path, body) {
      return requestJson(method, `${base}${path}`, { "x-api-key": DEMO.privateKey }, body === undefined ? undefined : JSON.stringify(body));
    },
    async stop() {
      try {
        process.kill(-(/** @type {number} */ (child.pid)), "SIGTERM");
      } catch {}
      await new Promise((r) => setTimeout(r, 300));
      forget();
    },
  };
}

/** @param {string[]} [extraArgs] */
export async function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

/** The local explorer of Miniflare's simulated `send_email` binding, where
 * `npm start` says sent messages can be read. */
export const EXPLORER = "/cdn-cgi/explorer/api/local/email/sending";

/** Every message the stack at `base` sent, as its explorer lists it, each with
 * its full record (`?email_id=` answers headers, text and HTML), as text to search.
 * @param {string} base @returns {Promise<string[]>} */
export async function sentMail(base) {
  const res = await fetch(`${base}${EXPLORER}`);
  assert.equal(res.status, 200, `${EXPLORER} answers`);
  const body = await res.json();
  const list = body?.result ?? body?.data ?? body?.emails ?? body;
  assert.ok(Array.isArray(list), JSON.stringify(body).slice(0, 500));
  const texts = [];
  for (const m of list) {
    const id = m?.id ?? m?.email_id ?? m?.messageId;
    const one = id ? await fetch(`${base}${EXPLORER}?email_id=${encodeURIComponent(id)}`) : null;
    texts.push(JSON.stringify(m) + (one?.ok ? await one.text() : ""));
  }
  return texts;
}
