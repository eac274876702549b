// The hosted results (issue 25): www/r.html with www/results.js in Chromium,
// the API and the eligible list answered by the test (route interception on
// https://results.test), so the page's own selection code is checked against
// a fixed vector of the worker's: the list, its hash and the picks below were
// computed by edge/src/domain/draw.rs (list_bytes, draw_key, Draw::picks) for
// this seed, this signature's randomness and this list. "Verify this draw"
// must recompute the same picks with WebCrypto and BigInt, and fail on a
// changed list or seed. These need only the built page; the last test runs a
// real draw on `npm start`'s stack (its local test chain, NOT drand) and
// verifies it on the hosted page.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { assertAccessible, assertFits, XSS } from "./dashboard-kit.mjs";
import { launchChromium, ROOT, startStack } from "./stack.mjs";

const SITE = "https://results.test";
const CONTEST = "ct_results";
const PRIZE = "prz_draw";

/** The eligible list: 30 entries, two of them with weights near 2^53 (a total
 * past 2^53, so only BigInt arithmetic gets it right). */
const LIST = Array.from({ length: 30 }, (_, n) => {
  const i = n + 1;
  const w = i === 7 ? 2n ** 53n - 1n : i === 19 ? 2n ** 52n : BigInt(i * i * 1000 + 3);
  return `ent_${String(i).padStart(2, "0")}\t${w}\n`;
}).join("");
/** The final standings' bytes (docs/DRAWS.md, "Final standings") and their hash. */
const STANDINGS = "1\tent_07\t120\t2027-01-14T10:00:00.000Z\n2\tent_19\t80\t2027-01-13T09:30:00.000Z\n";
const STANDINGS_HASH = createHash("sha256").update(STANDINGS).digest("hex");
/** From domain::draw for the values below (a throwaway native test printed them). */
const VECTOR = {
  seed: "69ca21b3665e232a84719138be2eefca25f0d971fdac2fb4a966c14842c902b5",
  seedCommitment: "b69839847582973fc44d906270b28e2d72075100557b1509fa10fd04404b09ab",
  listHash: "47d141d3c9774941ebab2afcbb7f73ce3ef9535a9e4b18331d780b5fbf126f70",
  listWeight: "13510798891156571",
  key: "f455bf8f456099423fc9594a0ee1475aca7f78ebad8e19baa7469a871e414df5",
  // A round of the test chain signed with @noble/curves (edge/src/domain/beacon.rs's vector).
  signature: "b378453b024776b8c6c981609825b81ecdc145e1790325fbc68c1b675e9a4d12b898cf3a70b7b4763a2f51f635843042",
  randomness: "9df99f33ebb94fda28b2491acc7b0a34eadc7428b137c2856967bdc690add928",
  picks: [
    [0, "ent_19"],
    [1, "ent_07"],
    [2, "ent_16"],
    [3, "ent_10"],
  ],
};

/** The results as the API gives them: finalized, one draw prize of 3 winners
 * whose second pick was voided (its place filled by k = 3), one rank prize,
 * an audit line. `edit` changes the draw before it is served. */
function results(edit = (/** @type {any} */ d) => d, finalizedAt = "2027-01-15T08:00:00.000Z") {
  const draw = {
    winners: 3,
    weighting: "points",
    eligibility: { minPoints: 1000 },
    seedCommitment: VECTOR.seedCommitment,
    seed: VECTOR.seed,
    listHash: VECTOR.listHash,
    listUrl: `${SITE}/api/referral/results/${PRIZE}/draw-list`,
    listEntries: 30,
    listWeight: VECTOR.listWeight,
    // Round 42 at genesis + 41 s: after finalizedAt.
    beacon: { chainHash: "ab".repeat(32), genesis: 1_800_000_000, period: 1, round: 42, randomness: VECTOR.randomness, signature: VECTOR.signature },
    drawnAt: "2027-01-15T08:00:45.000Z",
    picks: VECTOR.picks.map(([k, entryId]) => ({
      k,
      entryId,
      name: k === 0 ? XSS : `Winner ${k}.`,
      voided: k === 1,
      voidReason: k === 1 ? "Could not be reached" : null,
      voidedAt: k === 1 ? "2027-01-20T10:00:00.000Z" : null,
    })),
  };
  return {
    contestId: CONTEST,
    name: "Spring contest",
    status: "ended",
    endsAt: "2027-01-15T07:00:00.000Z",
    finalizedAt,
    prizes: [
      { id: "prz_rank", name: "First place", description: null, imageUrl: null, kind: "rank", ranks: { from: 1, to: 1 }, earnedCount: 1, winners: [{ rank: 1, name: "Ada L." }] },
      { id: PRIZE, name: "Weekend trip", description: null, imageUrl: null, kind: "draw", earnedCount: 2, draw: edit(draw) },
    ],
    standingsHash: STANDINGS_HASH,
    standingsUrl: `${SITE}/api/referral/results/${CONTEST}/standings`,
    audit: [{ at: "2027-01-10T09:00:00.000Z", entryId: "ent_03", name: "Bo K.", points: -50, kind: "adjustment", reason: XSS }],
  };
}

test("the fixture is what the API documents: edge/openapi.json's ContestResults", () => {
  const doc = JSON.parse(readFileSync(`${ROOT}edge/openapi.json`, "utf8"));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ components: doc.components }, "doc");
  const validate = ajv.compile({ $ref: "doc#/components/schemas/ContestResults" });
  for (const body of [results(), results((d) => ({ ...d, seed: null, drawnAt: null, picks: [], beacon: { ...d.beacon, randomness: null, signature: null } }))]) {
    assert.ok(validate(body), JSON.stringify(validate.errors));
  }
});

/** @type {import("playwright-core").Browser} */
let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** The hosted page for CONTEST, with `body` as the results and `list` as the
 * eligible list's bytes. @param {unknown} body @param {string} [list] @param {string} [standings] */
async function open(body, list = LIST, standings = STANDINGS) {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route(`${SITE}/**`, (route) => {
    const url = new URL(route.request().url());
    const send = (/** @type {string} */ type, /** @type {string} */ text, status = 200) => route.fulfill({ status, contentType: type, body: text });
    if (url.pathname === `/r/${CONTEST}`) return send("text/html", readFileSync(`${ROOT}www/r.html`, "utf8"));
    if (url.pathname === "/results.js") return send("application/javascript", readFileSync(`${ROOT}www/results.js`, "utf8"));
    // The widget is not under test here.
    if (url.pathname === "/widget.js") return send("application/javascript", "");
    if (url.pathname === "/api/referral/results" && url.searchParams.get("contestId") === CONTEST) return send("application/json", JSON.stringify({ success: true, data: body }));
    if (url.pathname === `/api/referral/results/${PRIZE}/draw-list`) return send("text/plain; charset=utf-8", list);
    if (url.pathname === `/api/referral/results/${CONTEST}/standings`) return send("text/plain; charset=utf-8", standings);
    return send("text/plain", "not found", 404);
  });
  await page.goto(`${SITE}/r/${CONTEST}`);
  return { page, errors, close: () => context.close() };
}

const region = (/** @type {import("playwright-core").Page} */ page) => page.locator("#rocket-results");

test("a finalized contest's results: winners, the draw's record with voided pick, standings hash, audit; text as text; axe and 360 px", async () => {
  const { page, errors, close } = await open(results());
  await page.getByRole("heading", { name: "Results" }).waitFor();
  const text = await region(page).innerText();
  for (const want of [VECTOR.seedCommitment, VECTOR.listHash, VECTOR.seed, VECTOR.signature, VECTOR.randomness, "round 42 of chain", "30 entries, total weight 13510798891156571", "Could not be reached", STANDINGS_HASH, "place 1: Ada L."]) {
    assert.ok(text.includes(want), `shows ${want}`);
  }
  // Names and reasons are text, never markup.
  assert.ok(text.includes(XSS));
  assert.equal(await region(page).locator("img").count(), 0);
  assert.equal(await page.getByRole("link", { name: "30 entries, total weight 13510798891156571" }).getAttribute("href"), `${SITE}/api/referral/results/${PRIZE}/draw-list`);
  assert.equal(await page.locator("li.voided").count(), 1);
  assert.match(await page.locator("li.voided").innerText(), /step k = 1: Winner 1\. ent_07 voided 2027-01-20 10:00:00 UTC: Could not be reached/);
  await assertAccessible(page, "the hosted results");
  await assertFits(page, "the hosted results");
  assert.deepEqual(errors, []);
  await close();
});

test("Verify this draw recomputes the worker's picks step by step in the browser and says so", async () => {
  const { page, errors, close } = await open(results());
  await page.getByRole("button", { name: "Verify this draw" }).click();
  const verdict = page.getByRole("status").filter({ hasText: /erified/ });
  await verdict.waitFor();
  assert.match(await verdict.innerText(), /^Verified: these picks follow/);
  const checks = await page.locator("ol.checks > li").allInnerTexts();
  assert.ok(checks.length >= 8, checks.join("\n"));
  assert.ok(checks.every((c) => c.startsWith("Passed:")), checks.join("\n"));
  assert.ok(checks.some((c) => c.includes(`key = SHA-256(seed || randomness || listHash)\n${VECTOR.key}`)), "the key as the worker computes it");
  // One row per step, k = 0..3, each picking the worker's entry; W falls as entries leave.
  const rows = await page.locator("table").filter({ hasText: "rocket-draw" }).locator("tbody tr").allInnerTexts();
  assert.equal(rows.length, 4);
  rows.forEach((row, i) => {
    const [k, entry] = /** @type {[number, string]} */ (VECTOR.picks[i]);
    const cells = row.split("\t");
    assert.equal(cells[0], String(k));
    assert.match(cells[1] ?? "", /^[0-9a-f]{32}$/);
    assert.match(cells[3] ?? "", new RegExp(`picks ${entry} `));
  });
  assert.equal(rows[0]?.split("\t")[2], VECTOR.listWeight);
  assert.equal(BigInt(rows[1]?.split("\t")[2] ?? 0), BigInt(VECTOR.listWeight) - 2n ** 52n);
  assert.ok((await page.getByText("scripts/verify-draw.mjs", { exact: false }).count()) > 0, "names the verifier that checks the BLS signature");
  await assertAccessible(page, "the verified draw");
  assert.deepEqual(errors, []);
  await close();
});

test("Verify this draw fails on a changed list, a changed seed, other picks, or an early round", async () => {
  /** @param {any} body @param {string} [list] */
  const verdictOf = async (body, list) => {
    const { page, close } = await open(body, list);
    await page.getByRole("button", { name: "Verify this draw" }).click();
    const verdict = page.getByRole("status").filter({ hasText: /erified/ });
    await verdict.waitFor();
    const out = { verdict: await verdict.innerText(), failed: await page.locator("ol.checks > li.bad").allInnerTexts() };
    await close();
    return out;
  };
  // One weight changed: the list's hash no longer matches.
  let r = await verdictOf(results(), LIST.replace("ent_02\t4003\n", "ent_02\t4004\n"));
  assert.match(r.verdict, /^Not verified/);
  assert.ok(r.failed.some((f) => f.includes("SHA-256(list) equals listHash")), r.failed.join("\n"));
  // Another seed: neither the commitment nor the picks follow.
  r = await verdictOf(results((d) => ({ ...d, seed: "00".repeat(32) })));
  assert.ok(r.failed.some((f) => f.includes("commitment")), r.failed.join("\n"));
  assert.ok(r.failed.some((f) => f.includes("recomputed picks")), r.failed.join("\n"));
  // A published pick that the sequence does not give.
  r = await verdictOf(results((d) => ({ ...d, picks: d.picks.map((/** @type {any} */ p) => (p.k === 2 ? { ...p, entryId: "ent_30" } : p)) })));
  assert.deepEqual(r.failed.length, 1, r.failed.join("\n"));
  assert.ok(r.failed[0]?.includes("recomputed picks"));
  // A round produced before the list was published.
  r = await verdictOf(results((d) => d, "2027-01-15T08:01:00.000Z"));
  assert.ok(r.failed.some((f) => f.includes("after the list was published")), r.failed.join("\n"));
  // A randomness that is not SHA-256(signature).
  r = await verdictOf(results((d) => ({ ...d, beacon: { ...d.beacon, randomness: "11".repeat(32) } })));
  assert.ok(r.failed.some((f) => f.includes("randomness equals SHA-256(signature)")), r.failed.join("\n"));
});

test("Check the standings' hash: passes on the published bytes, fails on others", async () => {
  for (const [standings, want] of [[STANDINGS, /^Passed: SHA-256\(standings\) equals standingsHash/], [STANDINGS.replace("120", "121"), /^Failed: SHA-256\(standings\) equals standingsHash/]]) {
    const { page, close } = await open(results(), LIST, /** @type {string} */ (standings));
    await page.getByRole("button", { name: "Check the standings' hash" }).click();
    const status = page.getByRole("status").filter({ hasText: /standingsHash/ });
    await status.waitFor();
    assert.match(await status.innerText(), /** @type {RegExp} */ (want));
    await close();
  }
});

test("before the end nothing is shown; ended but not finalized, a note; a draw not yet drawn waits for its round", async () => {
  let { page, close } = await open({ ...results(), status: "active", finalizedAt: null });
  await page.waitForLoadState("networkidle");
  assert.equal(await region(page).innerText(), "");
  await close();
  ({ page, close } = await open({ ...results(), finalizedAt: null }));
  await page.getByText("This contest has ended; its results are being finalized.").waitFor();
  await close();
  ({ page, close } = await open(results((d) => ({ ...d, seed: null, drawnAt: null, picks: [], beacon: { ...d.beacon, randomness: null, signature: null } }))));
  await page.getByText("Waiting for beacon round 42").waitFor();
  assert.equal(await page.getByRole("button", { name: "Verify this draw" }).count(), 0);
  assert.ok((await region(page).innerText()).includes(VECTOR.listHash), "the list hash is shown before the draw");
  await close();
});

test("on npm start's stack: a real draw shows on the hosted page and Verify this draw confirms it", { timeout: 300_000 }, async () => {
  const stack = await startStack();
  try {
    /** @param {string} method @param {string} path @param {unknown} body @param {number} status */
    const v1 = async (method, path, body, status) => {
      const r = await stack.v1(method, path, body);
      assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
      return r.body.data;
    };
    const contest = await v1("POST", "/api/v1/contests", { name: "Results night" }, 201);
    for (const [i, p] of [5, 0, 12, 3, 30, 8].entries()) {
      const entry = await v1("POST", `/api/v1/contests/${contest.id}/entries`, { email: `results${i}@example.com`, name: `Player Number${i}` }, 201);
      if (p) await v1("POST", `/api/v1/entries/${entry.id}/adjust-points`, { points: p, reason: `bonus ${i}` }, 201);
    }
    const prize = await v1("POST", `/api/v1/contests/${contest.id}/prizes`, { name: "A weekend away", kind: "draw", winners: 2, fulfilment: { type: "manual" } }, 201);
    await v1("POST", `/api/v1/contests/${contest.id}/end`, undefined, 200);
    await v1("POST", `/api/v1/contests/${contest.id}/finalize`, undefined, 200);

    const page = await browser.newPage();
    /** @type {string[]} */
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${stack.base}/r/${contest.id}`);
    // Level 2: the widget above shows its own "Results" (level 3) with the winners.
    await page.getByRole("heading", { name: "Results", level: 2 }).waitFor();
    // The page looks again while the draw waits for its round: the picks come without a reload.
    await page.getByRole("button", { name: "Verify this draw" }).waitFor({ timeout: 90_000 });
    const res = await fetch(`${stack.base}/api/referral/results?contestId=${contest.id}`);
    const { data } = await res.json();
    const draw = data.prizes.find((/** @type {any} */ p) => p.id === prize.id).draw;
    const text = await region(page).innerText();
    for (const want of [draw.seedCommitment, draw.listHash, draw.seed, draw.beacon.signature, data.standingsHash, "5 entries, total weight 58"]) {
      assert.ok(text.includes(want), `shows ${want}`);
    }
    assert.ok(text.includes("adjustment") && text.includes("bonus 4"), "the audit lists the adjustments");
    await page.getByRole("button", { name: "Verify this draw" }).click();
    const verdict = page.getByRole("status").filter({ hasText: /erified/ });
    await verdict.waitFor();
    const checks = await page.locator("ol.checks > li").allInnerTexts();
    assert.match(await verdict.innerText(), /^Verified/, checks.join("\n"));
    const picked = (await page.locator("table").filter({ hasText: "rocket-draw" }).locator("tbody tr").allInnerTexts())
      .map((row) => /picks (\S+) /.exec(row)?.[1])
      .filter(Boolean);
    assert.deepEqual(picked, draw.picks.map((/** @type {any} */ p) => p.entryId));
    assert.match(text, new RegExp(`verify-draw\\.mjs ${stack.base.replace(/[.]/g, "\\.")} ${contest.id} ${prize.id}`));
    await page.getByRole("button", { name: "Check the standings' hash" }).click();
    await page.getByRole("status").filter({ hasText: /^Passed: SHA-256\(standings\)/ }).waitFor();
    await assertAccessible(page, "the hosted results on the stack");
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await stack.stop();
  }
});
