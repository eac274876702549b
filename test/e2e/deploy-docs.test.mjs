// README's "Deploy" section against what a deployment needs (issue 27): every
// queue wrangler.toml binds is created there, the first account, the URL and a
// custom domain (the Cache API), the plans of Queues, Rate Limiting and Email
// Service, the smoke check; and `npm run deploy` ends with the same next steps.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ROOT } from "./stack.mjs";

const readme = readFileSync(`${ROOT}/README.md`, "utf8");
const deploy = (() => {
  const start = readme.indexOf("\n## Deploy\n");
  assert.ok(start >= 0, "README has a Deploy section");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
})();
const wranglerToml = readFileSync(`${ROOT}/wrangler.toml`, "utf8");

test("README's Deploy section creates every queue wrangler.toml binds, the D1 database and the secrets", () => {
  const queues = new Set([...wranglerToml.matchAll(/^(?:queue|dead_letter_queue) = "([^"]+)"/gm)].map((m) => m[1]));
  assert.ok(queues.size >= 7, `wrangler.toml's queues: ${[...queues]}`);
  for (const queue of queues) assert.match(deploy, new RegExp(`wrangler queues create ${queue}\\n`), `creates ${queue}`);
  assert.match(deploy, /wrangler d1 create rocket-tracker/);
  assert.match(deploy, /wrangler secret put ADMIN_TOKEN/);
  assert.match(deploy, /wrangler secret put IP_HASH_KEY/);
  assert.match(deploy, /npm run deploy/);
});

test("README's Deploy section: the URL, the first account, a custom domain for the Cache API, the smoke check", () => {
  assert.match(deploy, /https:\/\/rocket-tracker\.<your-subdomain>\.workers\.dev/, "the workers.dev URL");
  assert.match(deploy, /curl -X POST https:\/\/[^\n]+\/api\/admin\/accounts/, "the first account with the admin token");
  assert.match(deploy, /Authorization: Bearer <your ADMIN_TOKEN>/);
  assert.match(deploy, /Operator\? Use the admin token/, "or from the dashboard");
  assert.match(deploy, /routes = \[\{ pattern = "rocket\.example\.com", custom_domain = true \}\]/, "a custom domain");
  assert.match(deploy, /Cache API/);
  assert.match(deploy, /ROCKET_ADMIN_TOKEN=<your ADMIN_TOKEN> npm run smoke -- https:\/\//, "the smoke check");
  assert.match(deploy, /PUBLIC_ORIGIN/);
});

test("README's Deploy section names the Cloudflare plan of Queues, Rate Limiting and Email Service", () => {
  assert.match(deploy, /Workers Paid/);
  for (const service of ["Queues", "Rate Limiting", "Email Service"]) {
    const row = deploy.split("\n").find((line) => line.startsWith(`| [${service}](https://developers.cloudflare.com/`));
    assert.ok(row, `a row for ${service} linking Cloudflare's page`);
    assert.equal(row.split("|").length, 5, `${service}: service, use, plan`);
  }
});

test("npm run deploy ends with the next steps: smoke check, first account, custom domain, with the URL wrangler gave", () => {
  const url = "https://rocket-tracker.example-sub.workers.dev";
  const out = execFileSync("bash", ["scripts/deploy.sh", "--next-steps", url], { cwd: ROOT, encoding: "utf8" });
  assert.match(out, new RegExp(`npm run smoke -- ${url.replaceAll(".", "\\.")}\\n`));
  assert.match(out, new RegExp(`curl -X POST ${url.replaceAll(".", "\\.")}/api/admin/accounts`));
  assert.match(out, /custom_domain = true/);
  assert.match(out, /Cache API/);
  // The real run prints them after `wrangler deploy`, with the URL found in its output.
  const script = readFileSync(`${ROOT}/scripts/deploy.sh`, "utf8");
  assert.match(script, /wrangler deploy \| tee "\$out"\nnext_steps "\$\(grep -oE 'https:\/\/\[A-Za-z0-9\.-\]\+\\\.workers\\\.dev' "\$out" \| head -1\)"\n$/);
});

test("npm run deploy refuses the placeholder database_id before building anything", () => {
  assert.match(wranglerToml, /^database_id = "00000000-0000-0000-0000-000000000000"$/m, "the repository keeps the placeholder");
  let failed;
  try {
    execFileSync("bash", ["scripts/deploy.sh"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    failed = /** @type {{ status: number, stderr: string }} */ (e);
  }
  assert.ok(failed, "deploy.sh stops");
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /placeholder database_id[\s\S]*wrangler d1 create rocket-tracker/);
});

test("package.json has the smoke script", () => {
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8"));
  assert.equal(pkg.scripts.smoke, "node scripts/smoke.mjs");
});
