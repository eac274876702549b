// scripts/verify-draw.mjs against a small local server serving a consistent
// synthetic record (test/draw/record.mjs), then altered ones: each change to the
// list, the seed, the round, the signature or the picks makes it fail, saying which check.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fromHex, listAgainstStandings, parseStandings, QUICKNET, sha256Hex } from "../../scripts/verify-draw.mjs";
import { signRound, startBeacon, TEST_PUBLIC_KEY } from "../../scripts/test-beacon.mjs";
import { CONTEST_ID, PRIZE_ID, makeRecord, runVerifier, serveRecord } from "./record.mjs";

/** @type {Awaited<ReturnType<typeof serveRecord>>} */
let server;
before(async () => {
  server = await serveRecord(makeRecord());
});
after(() => server.stop());

const KEY = ["--chain-key", TEST_PUBLIC_KEY];
/** The verifier's answer on a record.
 * @param {ReturnType<typeof makeRecord>} record @param {string[]} [extra] */
async function verify(record, extra = KEY) {
  server.serve(record);
  return runVerifier([server.base, CONTEST_ID, PRIZE_ID, ...extra]);
}
/** The FAIL lines of an output. */
/** @param {string} out */
const fails = (out) => out.split("\n").filter((l) => l.startsWith("FAIL"));

test("a consistent record on the test chain checks out, voided pick and all", async () => {
  const { code, out } = await verify(makeRecord());
  assert.equal(code, 0, out);
  assert.deepEqual(fails(out), []);
  assert.match(out, /PASS {2}SHA-256\(seed\) = seedCommitment/);
  assert.match(out, /PASS {2}SHA-256\(list\) = listHash/);
  assert.match(out, /PASS {2}round \d+ .* comes 5 s after finalizedAt .* \(a beacon delay of 5 to 5 s\)/);
  assert.match(out, /PASS {2}BLS signature of round \d+/);
  assert.match(out, /NOT drand/);
  assert.match(out, /PASS {2}SHA-256\(standings\) = standingsHash/);
  assert.match(out, /PASS {2}the list is exactly the standings' entries the eligibility admits/);
  assert.match(out, /PASS {2}pick 1: .*\(voided: did not answer\)/);
  assert.match(out, /PASS {2}pick 4: /);
  assert.match(out, /VERDICT: the draw checks out/);
});

test("equal weighting, and the chain's key from --beacon-url", async () => {
  const beacon = await startBeacon({ genesis: Math.floor(Date.now() / 1000) - 86_400 });
  try {
    const { code, out } = await verify(makeRecord({ weighting: "equal", void: false }), ["--beacon-url", beacon.url]);
    assert.equal(code, 0, out);
    assert.match(out, /PASS {2}weighting equal: every weight is 1/);
    assert.match(out, /key from http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{64}\/info/);
  } finally {
    await beacon.stop();
  }
});

test("a real drand quicknet beacon verifies against the built-in key", async () => {
  // Quicknet round 1000 (https://api.drand.sh/52db9b.../public/1000): the signature is
  // the fixture of the drand team's Rust client, github.com/randa-mu/drand-client-rs,
  // src/verify.rs at 09b22d47701ccb0b6d617e556846c4464dbc609e, test
  // g2_rfc_verifies_a_beacon (quicknet's key, round 1000); randomness = its SHA-256.
  const round1000 = {
    round: 1000,
    randomness: "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd",
    signature: "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39",
  };
  const chain = { chainHash: QUICKNET.chainHash, genesis: QUICKNET.genesis, period: QUICKNET.period };
  const roundAt = QUICKNET.genesis + 999 * 3;
  const { code, out } = await verify(makeRecord({ chain, beacon: round1000, finalizedAt: roundAt - 60 }), []);
  assert.equal(code, 0, out);
  assert.match(out, /drand quicknet 52db9b.* \(built-in public key\)/);
  assert.match(out, /PASS {2}BLS signature of round 1000/);
  assert.match(out, /a beacon delay of 58 to 60 s/);
  // The same round under another round number does not verify.
  const shifted = await verify(makeRecord({ chain, beacon: { ...round1000, round: 1001 }, finalizedAt: roundAt - 60 }), []);
  assert.equal(shifted.code, 1);
  assert.equal(fails(shifted.out).length, 1, shifted.out);
  assert.match(fails(shifted.out)[0], /^FAIL {2}BLS signature of round 1001 /);
});

test("a changed list fails", async () => {
  const record = makeRecord();
  const lines = record.list.split("\n");
  lines[3] = lines[3].replace(/\t\d+$/, (w) => `\t${Number(w.slice(1)) + 1}`);
  const { code, out } = await verify({ ...record, list: lines.join("\n") });
  assert.equal(code, 1);
  assert.match(fails(out)[0], /^FAIL {2}SHA-256\(list\) = listHash/);
  assert.match(out, /VERDICT: the draw does NOT check out/);
  // A list out of order does not even parse.
  const swapped = record.list.split("\n");
  [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
  const bad = await verify({ ...record, list: swapped.join("\n") });
  assert.equal(bad.code, 1);
  assert.match(bad.out, /FAIL {2}list format: line 2: .* is not after/);
});

test("a changed seed fails", async () => {
  const record = makeRecord();
  const draw = record.results.prizes[0].draw;
  draw.seed = draw.seed.replace(/^./, (/** @type {string} */ c) => (c === "0" ? "1" : "0"));
  const { code, out } = await verify(record);
  assert.equal(code, 1);
  // The commitment no longer matches, and the picks follow from another key.
  assert.match(fails(out)[0], /^FAIL {2}SHA-256\(seed\) = seedCommitment/);
  assert.ok(fails(out).some((l) => /^FAIL {2}pick \d: .* recomputed/.test(l)), out);
});

test("a changed round fails", async () => {
  // A round produced before the finalize time, properly signed: the round rule fails.
  const early = makeRecord({ delay: -30 });
  const { code, out } = await verify(early);
  assert.equal(code, 1);
  assert.equal(fails(out).length, 1, out);
  assert.match(fails(out)[0], /^FAIL {2}round \d+ \(time .*\) comes -30 s after finalizedAt .*: the randomness existed before the list$/);
  // The published round number changed, its signature kept: the signature fails.
  const record = makeRecord();
  record.results.prizes[0].draw.beacon.round += 1;
  const moved = await verify(record);
  assert.equal(moved.code, 1);
  assert.match(fails(moved.out)[0], /^FAIL {2}BLS signature of round/);
});

test("a changed signature or randomness fails", async () => {
  // Another key's signature of the same round, its randomness made to match.
  const record = makeRecord();
  const beacon = record.results.prizes[0].draw.beacon;
  const other = signRound(beacon.round, new Uint8Array(32).fill(3));
  beacon.signature = other.signature;
  beacon.randomness = other.randomness;
  const { code, out } = await verify(record);
  assert.equal(code, 1);
  assert.match(fails(out)[0], /^FAIL {2}BLS signature of round/);
  // The randomness changed alone.
  const again = makeRecord();
  const b2 = again.results.prizes[0].draw.beacon;
  b2.randomness = sha256Hex(fromHex(b2.randomness));
  const r2 = await verify(again);
  assert.equal(r2.code, 1);
  assert.match(fails(r2.out)[0], /^FAIL {2}randomness = SHA-256\(signature\)/);
  // Someone else's chain key: the chain hash says it is not this chain's.
  const r3 = await verify(makeRecord(), ["--chain-key", QUICKNET.publicKey]);
  assert.equal(r3.code, 1);
  assert.match(fails(r3.out)[0], /^FAIL {2}chain hash = SHA-256/);
});

test("changed picks fail", async () => {
  const record = makeRecord();
  const picks = record.results.prizes[0].draw.picks;
  [picks[1].entryId, picks[2].entryId] = [picks[2].entryId, picks[1].entryId];
  const { code, out } = await verify(record);
  assert.equal(code, 1);
  assert.equal(fails(out).length, 2);
  assert.match(fails(out)[0], /^FAIL {2}pick 2: .* recomputed k \d+ entry/);
  // A silent redraw: the voided pick dropped from the record. The count still fits
  // (3 winners, none voided) but the published picks are no longer the sequence's.
  const dropped = makeRecord();
  dropped.results.prizes[0].draw.picks.shift();
  const r2 = await verify(dropped);
  assert.equal(r2.code, 1);
  assert.match(fails(r2.out)[0], /^FAIL {2}pick 1: k \d+ entry .*; recomputed k 0 entry/);
  // A pick left out with no void to account for it.
  const short = makeRecord();
  short.results.prizes[0].draw.picks.pop();
  const r3 = await verify(short);
  assert.equal(r3.code, 1);
  assert.deepEqual(fails(r3.out), ["FAIL  3 pick(s) published = 3 winner(s) + 1 voided, at most the 39 listed"]);
});

test("a draw not drawn yet, or an unknown prize, is not a pass", async () => {
  const record = makeRecord();
  record.results.prizes[0].draw.seed = null;
  const { code, out } = await verify(record);
  assert.equal(code, 1);
  assert.match(out, /FAIL {2}not drawn yet: waiting for round/);
  server.serve(makeRecord());
  const unknown = await runVerifier([server.base, CONTEST_ID, "prz_other", ...KEY]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.out, /FAIL {2}prize prz_other is not in contest/);
});

test("a list that leaves an eligible entry out fails against the standings, its own hash notwithstanding", async () => {
  // Everything else consistent: the list's hash, counts and picks follow from the shorter list.
  const { code, out } = await verify(makeRecord({ leaveOut: "ent_002x" }));
  assert.equal(code, 1);
  assert.deepEqual(fails(out), ["FAIL  ent_002x (38 points) is eligible but not listed"]);
  // Changed standings bytes: their hash fails.
  const record = makeRecord();
  const { code: c2, out: o2 } = await verify({ ...record, standings: record.standings.replace("\t49\t", "\t48\t") });
  assert.equal(c2, 1);
  assert.match(fails(o2)[0], /^FAIL {2}SHA-256\(standings\) = standingsHash/);
});

test("the list against the standings: weights, the eligibility floor, minReferrals", () => {
  const standings = parseStandings("1\tent_c\t9\tt\n2\tent_a\t3\tt\n3\tent_b\t0\tt\n4\tent_d\t-2\tt\n");
  assert.deepEqual([...standings], [["ent_c", 9n], ["ent_a", 3n], ["ent_b", 0n], ["ent_d", -2n]]);
  assert.throws(() => parseStandings("1\tent_c\t9\tt\n2\tent_a\n"), /standings line 2/);
  assert.throws(() => parseStandings("1\tent_c\t9\tt"), /newline/);
  assert.equal(parseStandings("").size, 0);
  const list = (/** @type {[string, bigint][]} */ lines) => ({ ids: lines.map(([id]) => id), weights: lines.map(([, w]) => w) });
  const points = { weighting: "points", eligibility: {} };
  assert.equal(listAgainstStandings(list([["ent_a", 3n], ["ent_c", 9n]]), standings, points), null);
  assert.equal(listAgainstStandings(list([["ent_a", 4n], ["ent_c", 9n]]), standings, points), "ent_a is listed with weight 4, its standing gives 3");
  assert.equal(listAgainstStandings(list([["ent_c", 9n]]), standings, points), "ent_a (3 points) is eligible but not listed");
  assert.equal(listAgainstStandings(list([["ent_a", 3n], ["ent_c", 9n], ["ent_x", 1n]]), standings, points), "ent_x is listed but not in the final standings");
  // Equal weighting: 0 points is eligible unless minPoints says otherwise.
  const equal = { weighting: "equal", eligibility: {} };
  assert.equal(listAgainstStandings(list([["ent_a", 1n], ["ent_c", 1n]]), standings, equal), "ent_b (0 points) is eligible but not listed");
  assert.equal(listAgainstStandings(list([["ent_a", 1n], ["ent_c", 1n]]), standings, { weighting: "equal", eligibility: { minPoints: 1 } }), null);
  assert.equal(listAgainstStandings(list([["ent_a", 3n]]), standings, { weighting: "points", eligibility: { minPoints: 5 } }), "ent_a is listed with 3 points, below the eligibility's 5");
  // minReferrals: who it left out is not in the standings' bytes, so only the listed are checked.
  assert.equal(listAgainstStandings(list([["ent_c", 9n]]), standings, { weighting: "points", eligibility: { minReferrals: 2 } }), null);
});
