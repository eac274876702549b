// `npm run smoke -- https://their.host`: is a deployment answering as it should?
// Four read-only checks, one line each (PASS or FAIL), exit code 0 when all pass,
// 1 when one fails, 2 on a usage error:
//   - the OpenAPI document is served (/api/openapi.json), so the worker runs;
//   - validate-code answers an unknown code with {"valid":false}, so the worker
//     reads its D1 database (migrations applied);
//   - the admin token (ROCKET_ADMIN_TOKEN in the environment, the worker's
//     ADMIN_TOKEN secret) lists the accounts (GET /api/admin/accounts);
//   - the dashboard's page is served (static assets deployed).
// Nothing is written. e.g.
//   ROCKET_ADMIN_TOKEN=... npm run smoke -- https://rocket-tracker.you.workers.dev
import { fileURLToPath } from "node:url";

/** @typedef {{ name: string, ok: boolean, detail: string }} Check */

const TIMEOUT_MS = 15_000;

/** @param {string} url @param {RequestInit} [init] */
async function get(url, init = {}) {
  const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  /** @type {any} */
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, json };
}

/** A check's outcome; a thrown error (no answer, a timeout) is its failure.
 * @param {string} name @param {() => Promise<string>} run @returns {Promise<Check>} */
async function check(name, run) {
  try {
    return { name, ok: true, detail: await run() };
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return { name, ok: false, detail: `${e instanceof Error ? e.message : String(e)}${cause}` };
  }
}

/** @param {boolean} ok @param {string} problem */
function must(ok, problem) {
  if (!ok) throw new Error(problem);
}

/** The checks against `base` (an origin, e.g. https://rocket.example.com).
 * @param {string} base @param {string | undefined} adminToken @returns {Promise<Check[]>} */
export async function smoke(base, adminToken) {
  const origin = base.replace(/\/+$/, "");
  return [
    await check("openapi", async () => {
      const r = await get(`${origin}/api/openapi.json`);
      must(r.status === 200, `GET /api/openapi.json answered ${r.status}`);
      must(typeof r.json?.openapi === "string" && r.json?.paths?.["/api/referral/validate-code"] !== undefined, "/api/openapi.json is not the Rocket Tracker OpenAPI document");
      return `OpenAPI ${r.json.openapi}, ${Object.keys(r.json.paths).length} paths (${r.json.info?.title ?? "?"} ${r.json.info?.version ?? ""})`.trim();
    }),
    await check("validate-code", async () => {
      const r = await get(`${origin}/api/referral/validate-code?code=SMOKE-CHECK&contestId=ct_smoke_check`);
      must(r.status === 200, `GET /api/referral/validate-code answered ${r.status}: ${r.text.slice(0, 200)}`);
      must(r.json?.valid === false, `an unknown code should be {"valid":false}, got ${r.text.slice(0, 200)}`);
      return 'an unknown code is {"valid":false} (the worker reads D1)';
    }),
    await check("admin", async () => {
      must(Boolean(adminToken), "ROCKET_ADMIN_TOKEN is not set (the worker's ADMIN_TOKEN secret)");
      const r = await get(`${origin}/api/admin/accounts?limit=1`, { headers: { authorization: `Bearer ${adminToken}` } });
      must(r.status !== 401, "the admin token was refused (401): ROCKET_ADMIN_TOKEN is not the worker's ADMIN_TOKEN");
      must(r.status === 200 && Array.isArray(r.json?.data), `GET /api/admin/accounts answered ${r.status}: ${r.text.slice(0, 200)}`);
      const total = r.json.pagination?.total;
      return `the admin token lists the accounts (${total ?? r.json.data.length} so far)`;
    }),
    await check("dashboard", async () => {
      const r = await get(`${origin}/dashboard/`);
      must(r.status === 200 && r.type.startsWith("text/html"), `GET /dashboard/ answered ${r.status} ${r.type}`);
      return "the dashboard's page is served";
    }),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base = process.argv.slice(2).find((a) => a !== "--");
  if (!base || !/^https?:\/\/[^/]+/.test(base)) {
    console.error("usage: ROCKET_ADMIN_TOKEN=<the worker's ADMIN_TOKEN> npm run smoke -- https://your.host");
    process.exit(2);
  }
  const checks = await smoke(base, process.env.ROCKET_ADMIN_TOKEN);
  for (const c of checks) console.log(`${c.ok ? "PASS" : "FAIL"} ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(failed === 0 ? `smoke: all ${checks.length} checks passed on ${base}` : `smoke: ${failed} of ${checks.length} checks failed on ${base}`);
  process.exit(failed === 0 ? 0 : 1);
}
