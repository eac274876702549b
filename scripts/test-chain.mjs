// The rocket-tracker local test chain (NOT drand): a stand-in randomness beacon
// for `npm start` and the tests, so a draw completes without the network. Same
// scheme as drand quicknet (bls-unchained-g1-rfc9380: G1 signatures, G2 public
// key, message SHA-256(round as 8 bytes big-endian), randomness =
// SHA-256(signature)), so the same code verifies both; but its secret key is
// fixed and public, here: its randomness proves nothing to anyone.
//
// This module is the chain itself, runtime-neutral (only @noble/*): its key,
// signing and answers, for scripts/test-beacon.mjs (the HTTP server `npm start`
// runs), the draw tests (test/draw/) and the API tests' outbound fetch
// (test/api/beacon.ts).
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

export const TEST_CHAIN_NAME = "rocket-tracker local test chain (NOT drand)";
/** The fixed test secret key (a BLS12-381 scalar, big-endian). Public on purpose. */
export const TEST_SECRET_KEY = "2a".repeat(32);
export const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
export const SCHEME_ID = "bls-unchained-g1-rfc9380";

const bls = bls12_381.shortSignatures;
const secretKey = hexToBytes(TEST_SECRET_KEY);

/** The test chain's public key (96-byte compressed G2, hex). */
export const TEST_PUBLIC_KEY = bytesToHex(bls.getPublicKey(secretKey).toBytes(true));
/** Its chain hash: hex SHA-256("rocket-tracker-test-chain:" || public key hex). */
export const TEST_CHAIN_HASH = bytesToHex(sha256(utf8ToBytes(`rocket-tracker-test-chain:${TEST_PUBLIC_KEY}`)));

/** A round's beacon as drand serves it, signed with `key` (the test key unless given).
 * @param {number} round @param {Uint8Array} [key] secret key bytes
 * @returns {{ round: number, randomness: string, signature: string }} */
export function signRound(round, key = secretKey) {
  const msg = new Uint8Array(8);
  new DataView(msg.buffer).setBigUint64(0, BigInt(round));
  const signature = bls.sign(bls.hash(sha256(msg), DST), key).toBytes(true);
  return { round, randomness: bytesToHex(sha256(signature)), signature: bytesToHex(signature) };
}

/** The chain's info document (drand's /info shape).
 * @param {number} genesis seconds @param {number} period seconds */
export function chainInfo(genesis, period = 1) {
  return {
    public_key: TEST_PUBLIC_KEY,
    period,
    genesis_time: genesis,
    hash: TEST_CHAIN_HASH,
    groupHash: TEST_CHAIN_HASH,
    schemeID: SCHEME_ID,
    metadata: { beaconID: "rocket-tracker-test", name: TEST_CHAIN_NAME },
  };
}

/** The latest round produced at `nowSecs` (0 before genesis).
 * @param {number} nowSecs @param {number} genesis @param {number} period */
export const latestRound = (nowSecs, genesis, period) => (nowSecs < genesis ? 0 : Math.floor((nowSecs - genesis) / period) + 1);

/** @type {Map<number, ReturnType<typeof signRound>>} */
const signed = new Map();

/** The chain's answer to a GET of `pathname` (`/{chainHash}/info`,
 * `/{chainHash}/public/{round}` or `/{chainHash}/public/latest`): a round only
 * once its time has come, 404 before. For any HTTP stand-in: this script's own
 * server, or a test runner's outbound fetch handler (vitest.config.ts).
 * @param {string} pathname
 * @param {{ genesis: number, period?: number, now?: () => number }} opts now in seconds
 * @returns {{ status: number, body: unknown }} */
export function beaconAnswer(pathname, { genesis, period = 1, now = () => Date.now() / 1000 }) {
  const path = pathname.split("/").filter(Boolean);
  if (path[0] !== TEST_CHAIN_HASH) return { status: 404, body: { error: "unknown chain" } };
  if (path.length === 2 && path[1] === "info") return { status: 200, body: chainInfo(genesis, period) };
  if (path.length !== 3 || path[1] !== "public") return { status: 404, body: { error: "not found" } };
  const latest = latestRound(now(), genesis, period);
  const round = path[2] === "latest" ? latest : /^[1-9][0-9]{0,15}$/.test(path[2]) ? Number(path[2]) : 0;
  if (round < 1 || round > latest) return { status: 404, body: { error: "round not produced yet" } };
  const beacon = signed.get(round) ?? signRound(round);
  signed.set(round, beacon);
  return { status: 200, body: beacon };
}

