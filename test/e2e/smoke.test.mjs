// `npm run smoke -- <url>` (scripts/smoke.mjs), the check a user runs against
// their deployment, run here against `npm start`'s stack: it passes with the
// worker's admin token, and fails (exit code 1, a FAIL line naming the check)
// with a wrong token or a URL where no worker answers.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { freePort, ROOT, startStack } from "./stack.mjs";

const run = promisify(execFile);

/** @type {import("./stack.mjs").Stack} */
let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/** `npm run smoke -- <url>` as a user types it, with ROCKET_ADMIN_TOKEN set or not.
 * @param {string} url @param {string | undefined} token */
async function smoke(url, token) {
  const env = { ...process.env };
  delete env.ROCKET_ADMIN_TOKEN;
  if (token !== undefined) env.ROCKET_ADMIN_TOKEN = token;
  try {
    const { stdout } = await run("npm", ["run", "--silent", "smoke", "--", url], { cwd: ROOT, env, encoding: "utf8" });
    return { code: 0, stdout };
  } catch (e) {
    const failed = /** @type {{ code: number, stdout: string }} */ (e);
    return { code: failed.code, stdout: failed.stdout };
  }
}

const adminToken = () => /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(`${ROOT}/.dev.vars`, "utf8"))?.[1] ?? "";

test("npm run smoke passes against the local stack with its admin token: a PASS line per check, exit code 0", async () => {
  const { code, stdout } = await smoke(stack.base, adminToken());
  assert.equal(code, 0, stdout);
  const lines = stdout.trim().split("\n");
  for (const check of ["openapi", "validate-code", "admin", "dashboard"]) {
    assert.ok(lines.some((l) => l.startsWith(`PASS ${check}: `)), `PASS ${check}:\n${stdout}`);
  }
  assert.ok(!stdout.includes("FAIL"), stdout);
  assert.equal(lines.at(-1), `smoke: all 4 checks passed on ${stack.base}`);
});

test("a wrong admin token fails the admin check (exit code 1); the others still pass", async () => {
  const { code, stdout } = await smoke(stack.base, "not-the-admin-token-but-long-enough-to-try-0001");
  assert.equal(code, 1, stdout);
  assert.match(stdout, /^FAIL admin: the admin token was refused \(401\)/m);
  assert.match(stdout, /^PASS openapi: /m);
  assert.match(stdout, /^PASS validate-code: /m);
  assert.match(stdout, /smoke: 1 of 4 checks failed/);
});

test("no token at all says which variable to set", async () => {
  const { code, stdout } = await smoke(stack.base, undefined);
  assert.equal(code, 1, stdout);
  assert.match(stdout, /^FAIL admin: ROCKET_ADMIN_TOKEN is not set/m);
});

test("a URL where no worker answers fails every check (exit code 1)", async () => {
  const nowhere = `http://127.0.0.1:${await freePort()}`;
  const { code, stdout } = await smoke(nowhere, adminToken());
  assert.equal(code, 1, stdout);
  for (const check of ["openapi", "validate-code", "admin", "dashboard"]) assert.match(stdout, new RegExp(`^FAIL ${check}: `, "m"));
  assert.match(stdout, /smoke: 4 of 4 checks failed/);
});

test("a site that is not Rocket Tracker fails the openapi check", async () => {
  // The stack's static demo page answers, but /api/openapi.json under another prefix does not exist.
  const { code, stdout } = await smoke(`${stack.base}/dashboard`, adminToken());
  assert.equal(code, 1, stdout);
  assert.match(stdout, /^FAIL openapi: /m);
});

test("npm run smoke without a URL prints its usage (exit code 2)", async () => {
  const { code } = await smoke("", adminToken());
  assert.equal(code, 2);
});
