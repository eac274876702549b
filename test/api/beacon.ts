// The rocket-tracker local test chain ("NOT drand") for the API tests:
// workerd's outbound fetches to https://beacon.test/ land here
// (vitest.config.ts). It signs rounds like drand's quicknet
// (bls-unchained-g1-rfc9380: BLS signature on G1 of SHA-256(round as 8 bytes
// big-endian), public key on G2) with a fixed test key, and serves a round
// only once its time (genesis + (round - 1) x period) has come. Self-contained
// (only @noble/*), so other tests and scripts can reuse it.
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export const BEACON = "https://beacon.test";
const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
const bls = bls12_381.shortSignatures;
/** The test chain's secret key: fixed, public, for tests only. */
const SECRET_KEY = new Uint8Array(32).fill(0x2a);
/** Another key: while `forging`, rounds are signed with it (a well-formed
 * answer whose signature the chain's key does not verify). */
const FORGER_KEY = new Uint8Array(32).fill(0x17);
let forging = false;
const publicKey = bls.getPublicKey(SECRET_KEY).toHex();

/** The chain as the worker is configured with it (vitest.config.ts bindings). */
export const TEST_CHAIN = {
  publicKey,
  chainHash: bytesToHex(sha256(utf8ToBytes(`rocket-tracker-test-chain:${publicKey}`))),
  /** A fixed genesis long past, so every round up to now exists. */
  genesis: 1_700_000_000,
  period: 1,
};

/** The message of a round: SHA-256 of the round as 8 bytes big-endian. */
export function roundMessage(round: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(round));
  return sha256(bytes);
}

/** Round `round` as the chain publishes it. */
export function signRound(round: number, key = SECRET_KEY): { round: number; randomness: string; signature: string } {
  const signature = bls.sign(bls.hash(roundMessage(round), DST), key).toBytes(true);
  return { round, randomness: bytesToHex(sha256(signature)), signature: bytesToHex(signature) };
}

/** When round `round` is produced (seconds). */
export function roundTime(round: number): number {
  return TEST_CHAIN.genesis + (round - 1) * TEST_CHAIN.period;
}

const fetched: number[] = [];

/** The rounds the worker asked for, in order. */
export function fetchedRounds(): number[] {
  return [...fetched];
}

/** Answers `GET https://beacon.test/{chainHash}/public/{round}` and
 * `.../info`; `POST /forge/on` and `/forge/off` (from a spec) switch forged
 * signatures on and off; `null` for any other URL. */
export function answerBeacon(request: Request): Response | null {
  const url = new URL(request.url);
  if (url.origin !== BEACON) return null;
  if (request.method === "POST" && url.pathname.startsWith("/forge/")) {
    forging = url.pathname === "/forge/on";
    return new Response(null, { status: 204 });
  }
  const [, chain, kind, roundText] = url.pathname.split("/");
  if (chain !== TEST_CHAIN.chainHash || request.method !== "GET") return new Response("not found", { status: 404 });
  if (kind === "info") {
    return Response.json({
      public_key: TEST_CHAIN.publicKey,
      period: TEST_CHAIN.period,
      genesis_time: TEST_CHAIN.genesis,
      hash: TEST_CHAIN.chainHash,
      schemeID: "bls-unchained-g1-rfc9380",
      metadata: { beaconID: "rocket-tracker-test-chain (NOT drand)" },
    });
  }
  const round = Number(roundText);
  if (kind !== "public" || !Number.isSafeInteger(round) || round < 1) {
    return new Response("not found", { status: 404 });
  }
  fetched.push(round);
  if (roundTime(round) > Date.now() / 1000) return new Response("round not produced yet", { status: 404 });
  return Response.json(signRound(round, forging ? FORGER_KEY : SECRET_KEY));
}
