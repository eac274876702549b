// The rocket-tracker local test chain ("NOT drand") for the API tests:
// workerd's outbound fetches to https://beacon.test/ land here
// (vitest.config.ts). The chain itself (its fixed test key, signing like
// drand's quicknet: bls-unchained-g1-rfc9380, and a round served only once its
// time, genesis + (round - 1) x period, has come) is scripts/test-chain.mjs,
// the same one `npm start` serves and the draw verifier's tests use.
import { beaconAnswer, signRound as sign, TEST_CHAIN_HASH, TEST_PUBLIC_KEY } from "../../scripts/test-chain.mjs";

export const BEACON = "https://beacon.test";
/** Another key: while `forging` (switched by a spec), rounds are signed with
 * it: a well-formed answer whose signature the chain's key does not verify. */
const FORGER_KEY = new Uint8Array(32).fill(0x17);
let forging = false;

/** The chain as the worker is configured with it (vitest.config.ts bindings). */
export const TEST_CHAIN = {
  publicKey: TEST_PUBLIC_KEY,
  chainHash: TEST_CHAIN_HASH,
  /** A fixed genesis long past, so every round up to now exists. */
  genesis: 1_700_000_000,
  period: 1,
};

/** Round `round` as the chain publishes it. */
export function signRound(round: number, key?: Uint8Array): { round: number; randomness: string; signature: string } {
  return sign(round, key);
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
  if (request.method !== "GET") return new Response("not found", { status: 404 });
  const [, chain, kind, roundText] = url.pathname.split("/");
  const round = Number(roundText);
  if (chain === TEST_CHAIN.chainHash && kind === "public" && Number.isSafeInteger(round) && round >= 1) fetched.push(round);
  const { status, body } = beaconAnswer(url.pathname, { genesis: TEST_CHAIN.genesis, period: TEST_CHAIN.period });
  // Forging: the round the chain would serve, signed with another key.
  if (forging && status === 200 && kind === "public") return Response.json(sign((body as { round: number }).round, FORGER_KEY));
  return Response.json(body, { status });
}
