// A draw prize on `npm start`'s stack (issue 25): created with its commitment,
// listed at finalize, drawn from the local test chain (scripts/test-beacon.mjs,
// NOT drand) by the worker on its own, a winner voided and the place refilled
// from the same sequence; then the published verifier (scripts/verify-draw.mjs),
// from the public record alone, confirms every pick.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { ROOT, startStack } from "./stack.mjs";

/** @type {import("./stack.mjs").Stack} */
let stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.stop());

/** A v1 call that must answer `status`; answers its data.
 * @param {string} method @param {string} path @param {unknown} body @param {number} status */
async function v1(method, path, body, status) {
  const r = await stack.v1(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body.data;
}

/** The prize's draw record on the open results. @param {string} contestId @param {string} prizeId */
async function drawRecord(contestId, prizeId) {
  const res = await fetch(`${stack.base}/api/referral/results?contestId=${contestId}`);
  assert.equal(res.status, 200);
  const { data } = await res.json();
  return { finalizedAt: data.finalizedAt, draw: data.prizes.find((/** @type {any} */ p) => p.id === prizeId).draw };
}

/** Runs the verifier against the stack. @param {string[]} args @returns {Promise<{ code: number, out: string }>} */
function verify(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${ROOT}scripts/verify-draw.mjs`, stack.base, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

test("a draw completes on npm start's stack and the verifier confirms it", { timeout: 240_000 }, async () => {
  const beaconUrl = /--beacon-url (http:\/\/127\.0\.0\.1:\d+)/.exec(stack.output())?.[1];
  assert.ok(beaconUrl, `the banner names the local test chain:\n${stack.output()}`);
  assert.match(stack.output(), /rocket-tracker local test chain \(NOT drand\)/);

  const contest = await v1("POST", "/api/v1/contests", { name: "Draw night" }, 201);
  const points = [0, 3, 10, 1, 25, 7, 2, 40];
  for (const [i, p] of points.entries()) {
    const entry = await v1("POST", `/api/v1/contests/${contest.id}/entries`, { email: `draw${i}@example.com`, name: `Player Number${i}` }, 201);
    if (p) await v1("POST", `/api/v1/entries/${entry.id}/adjust-points`, { points: p, reason: "e2e" }, 201);
  }
  const prize = await v1(
    "POST",
    `/api/v1/contests/${contest.id}/prizes`,
    { name: "A weekend away", kind: "draw", winners: 2, eligibility: { minPoints: 2 }, fulfilment: { type: "manual" } },
    201,
  );
  assert.match(prize.seedCommitment, /^[0-9a-f]{64}$/);
  assert.equal(prize.seed, undefined);

  await v1("POST", `/api/v1/contests/${contest.id}/end`, undefined, 200);
  await v1("POST", `/api/v1/contests/${contest.id}/finalize`, undefined, 200);
  // Listed at finalize (6 entries with at least 2 points), then drawn by the worker
  // once the round a few seconds later exists: no manual step.
  let record = await drawRecord(contest.id, prize.id);
  for (const until = Date.now() + 90_000; !record.draw.seed; ) {
    assert.ok(Date.now() < until, `not drawn in time: ${JSON.stringify(record)}`);
    await new Promise((r) => setTimeout(r, 500));
    record = await drawRecord(contest.id, prize.id);
  }
  assert.equal(record.draw.listEntries, 6);
  assert.equal(record.draw.listWeight, "87");
  assert.equal(record.draw.picks.length, 2);
  assert.ok(record.draw.beacon.round > 0 && /^[0-9a-f]{96}$/.test(record.draw.beacon.signature));

  // Void the first winner: the same sequence fills the place, the voided pick stays.
  const [first] = stack.sql(`SELECT id FROM prize_awards WHERE prize_id = '${prize.id}' ORDER BY draw_k LIMIT 1`);
  await v1("POST", `/api/v1/prize-awards/${first.id}/void`, { reason: "did not reply" }, 200);
  record = await drawRecord(contest.id, prize.id);
  assert.equal(record.draw.picks.length, 3);
  assert.deepEqual(record.draw.picks.map((/** @type {any} */ p) => p.voided), [true, false, false]);

  const { code, out } = await verify([contest.id, prize.id, "--beacon-url", beaconUrl]);
  assert.equal(code, 0, out);
  assert.match(out, /the rocket-tracker local test chain, NOT drand/);
  assert.match(out, /PASS {2}pick 1: .*\(voided: did not reply\)/);
  assert.match(out, /PASS {2}pick 3: /);
  assert.match(out, /VERDICT: the draw checks out/);
  assert.doesNotMatch(out, /FAIL/);

  // Without the chain's key the verifier cannot check the signature: not a pass.
  const keyless = await verify([contest.id, prize.id]);
  assert.equal(keyless.code, 1);
  assert.match(keyless.out, /is not drand quicknet: give its public key/);
});
