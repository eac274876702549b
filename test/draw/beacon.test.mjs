// The rocket-tracker local test chain (scripts/test-beacon.mjs, NOT drand): its
// rounds, signed with the test key through @noble/curves, are what the verifier
// accepts; it serves a round only once the round's time has come.
import assert from "node:assert/strict";
import { test } from "node:test";
import { QUICKNET, sha256Hex, fromHex, testChainHash, verifyRoundSignature } from "../../scripts/verify-draw.mjs";
import { beaconAnswer, chainInfo, latestRound, signRound, startBeacon, TEST_CHAIN_HASH, TEST_PUBLIC_KEY } from "../../scripts/test-beacon.mjs";

test("the test chain's rounds verify with its key, and only for their own round", () => {
  assert.equal(TEST_CHAIN_HASH, testChainHash(TEST_PUBLIC_KEY));
  assert.equal(fromHex(TEST_PUBLIC_KEY).length, 96);
  for (const round of [1, 2, 86_400, 123_456_789]) {
    const b = signRound(round);
    assert.equal(fromHex(b.signature).length, 48);
    assert.equal(b.randomness, sha256Hex(fromHex(b.signature)));
    assert.ok(verifyRoundSignature(round, b.signature, TEST_PUBLIC_KEY), `round ${round}`);
    assert.ok(!verifyRoundSignature(round + 1, b.signature, TEST_PUBLIC_KEY));
    assert.ok(!verifyRoundSignature(round, b.signature, QUICKNET.publicKey));
  }
  // Another key's signature of the same round does not verify under the test key.
  assert.ok(!verifyRoundSignature(5, signRound(5, new Uint8Array(32).fill(9)).signature, TEST_PUBLIC_KEY));
  assert.ok(!verifyRoundSignature(5, "00".repeat(48), TEST_PUBLIC_KEY));
});

test("a real quicknet round verifies against quicknet's key", () => {
  // Quicknet round 1000 (https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/1000):
  // the fixture of the drand team's Rust client, github.com/randa-mu/drand-client-rs,
  // src/verify.rs at 09b22d47701ccb0b6d617e556846c4464dbc609e, test g2_rfc_verifies_a_beacon.
  const signature = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
  assert.ok(verifyRoundSignature(1000, signature, QUICKNET.publicKey));
  assert.equal(sha256Hex(fromHex(signature)), "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd");
  assert.ok(!verifyRoundSignature(999, signature, QUICKNET.publicKey));
});

test("the chain serves info, produced rounds and latest; 404 before a round's time", async () => {
  const genesis = Math.floor(Date.now() / 1000) - 10;
  const beacon = await startBeacon({ genesis, period: 1 });
  try {
    /** @param {string} path */
    const get = async (path) => {
      const res = await fetch(`${beacon.url}/${TEST_CHAIN_HASH}${path}`);
      return { status: res.status, body: await res.json() };
    };
    assert.deepEqual((await get("/info")).body, chainInfo(genesis, 1));
    assert.equal((await get("/info")).body.schemeID, "bls-unchained-g1-rfc9380");
    assert.deepEqual(await get("/public/3"), { status: 200, body: signRound(3) });
    const latest = await get("/public/latest");
    assert.equal(latest.status, 200);
    assert.ok(latest.body.round >= 11 && latest.body.round <= latestRound(Date.now() / 1000, genesis, 1));
    assert.ok(verifyRoundSignature(latest.body.round, latest.body.signature, TEST_PUBLIC_KEY));
    assert.equal((await get(`/public/${latest.body.round + 5}`)).status, 404);
    assert.equal((await get("/public/0")).status, 404);
    assert.equal((await fetch(`${beacon.url}/${QUICKNET.chainHash}/info`)).status, 404);
  } finally {
    await beacon.stop();
  }
});

test("round R is served from genesis + (R - 1) x period on, not a moment before", () => {
  /** @param {number} now */
  const opts = (now) => ({ genesis: 1000, period: 3, now: () => now });
  const round5 = `/${TEST_CHAIN_HASH}/public/5`;
  assert.equal(beaconAnswer(round5, opts(1011.999)).status, 404);
  assert.deepEqual(beaconAnswer(round5, opts(1012)), { status: 200, body: signRound(5) });
  assert.deepEqual(beaconAnswer(`/${TEST_CHAIN_HASH}/public/latest`, opts(1014)).body, signRound(5));
  assert.equal(beaconAnswer(`/${TEST_CHAIN_HASH}/public/latest`, opts(999)).status, 404);
  assert.equal(beaconAnswer(`/${QUICKNET.chainHash}/public/1`, opts(2000)).status, 404);
});
