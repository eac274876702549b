// The rocket-tracker local test chain ("NOT drand") for the API tests:
// workerd's outbound fetches to https://beacon.test/ land here
// (vitest.config.ts). The chain itself (its fixed test key, signing like
// drand's quicknet: bls-unchained-g1-rfc9380, and a round served only once its
// time, genesis + (round - 1) x period, has come) is scripts/test-chain.mjs,
// the same one `npm start` serves and the draw verifier's tests use.
import { beaconAnswer, signRound as sign, TEST_CHAIN_HASH, TEST_PUBLIC_KEY } from "../../scripts/test-chain.mjs";

export const BEACON = "https://beacon.test";

/** The chain as the worker is configured with it (vitest.config.ts bindings). */
export const TEST_CHAIN = {
  publicKey: TEST_PUBLIC_KEY,
  chainHash: TEST_CHAIN_HASH,
  /** A fixed genesis long past, so every round up to now exists. */
  genesis: 1_700_000_000,
  period: 1,
};

/** Round `round` as the chain publishes it. */
export function signRound(round: number): { round: number; randomness: string; signature: string } {
  return sign(round);
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
 * `.../info`; `null` for any other URL. */
export function answerBeacon(request: Request): Response | null {
  const url = new URL(request.url);
  if (url.origin !== BEACON) return null;
  if (request.method !== "GET") return new Response("not found", { status: 404 });
  const [, chain, kind, roundText] = url.pathname.split("/");
  const round = Number(roundText);
  if (chain === TEST_CHAIN.chainHash && kind === "public" && Number.isSafeInteger(round) && round >= 1) fetched.push(round);
  const { status, body } = beaconAnswer(url.pathname, { genesis: TEST_CHAIN.genesis, period: TEST_CHAIN.period });
  return Response.json(body, { status });
}
