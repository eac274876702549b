#!/usr/bin/env node
// The rocket-tracker local test chain (NOT drand): a stand-in randomness beacon
// for `npm start` and the tests, so a draw completes without the network. Same
// scheme as drand quicknet (bls-unchained-g1-rfc9380: G1 signatures, G2 public
// key, message SHA-256(round as 8 bytes big-endian), randomness =
// SHA-256(signature)), so the same code verifies both; but its secret key is
// fixed and public, here: its randomness proves nothing to anyone.
//
//   node scripts/test-beacon.mjs [--port N] [--genesis SECS] [--period SECS] [--parent-pid PID]
//
// Serves GET /{chainHash}/info, /{chainHash}/public/{round} (404 before the
// round's time) and /{chainHash}/public/latest on 127.0.0.1; prints
// DRAND_URL=, DRAND_CHAIN_HASH=, DRAND_PUBLIC_KEY=, DRAND_GENESIS=, DRAND_PERIOD=
// lines once listening; with --parent-pid it exits when that process is gone.
import { createHash } from "node:crypto";
import { bls12_381 } from "@noble/curves/bls12-381.js";

export const TEST_CHAIN_NAME = "rocket-tracker local test chain (NOT drand)";
/** The fixed test secret key (a BLS12-381 scalar, big-endian). Public on purpose. */
export const TEST_SECRET_KEY = "2a5e1f0b7d3c4a6e8f90112233445566778899aabbccddeeff00112233445566";
export const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
export const SCHEME_ID = "bls-unchained-g1-rfc9380";

const bls = bls12_381.shortSignatures;
/** @param {Uint8Array | string} data */
const sha256 = (data) => createHash("sha256").update(data).digest();
const secretKey = Uint8Array.from(Buffer.from(TEST_SECRET_KEY, "hex"));

/** The test chain's public key (96-byte compressed G2, hex). */
export const TEST_PUBLIC_KEY = Buffer.from(bls.getPublicKey(secretKey).toBytes(true)).toString("hex");
/** Its chain hash: hex SHA-256("rocket-tracker-test-chain:" || public key hex). */
export const TEST_CHAIN_HASH = sha256(`rocket-tracker-test-chain:${TEST_PUBLIC_KEY}`).toString("hex");

/** A round's beacon as drand serves it, signed with `key` (the test key unless given).
 * @param {number} round @param {Uint8Array} [key] secret key bytes
 * @returns {{ round: number, randomness: string, signature: string }} */
export function signRound(round, key = secretKey) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(round));
  const point = bls.sign(bls.hash(sha256(msg), DST), key);
  const signature = Buffer.from(point.toBytes(true));
  return { round, randomness: sha256(signature).toString("hex"), signature: signature.toString("hex") };
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

/** Starts the chain on 127.0.0.1 (port 0: any free one); resolves with its URL and a stop.
 * @param {{ port?: number, genesis?: number, period?: number }} [opts] */
export async function startBeacon({ port = 0, genesis = Math.floor(Date.now() / 1000), period = 1 } = {}) {
  const http = await import("node:http");
  const server = http.createServer((req, res) => {
    const { status, body } =
      req.method === "GET" ? beaconAnswer(new URL(req.url ?? "/", "http://x").pathname, { genesis, period }) : { status: 405, body: { error: "GET only" } };
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    genesis,
    period,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** @param {string[]} argv */
async function main(argv) {
  /** @param {string} name */
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const beacon = await startBeacon({
    port: Number(opt("--port") ?? 0),
    genesis: opt("--genesis") ? Number(opt("--genesis")) : undefined,
    period: Number(opt("--period") ?? 1),
  });
  process.stdout.write(
    [
      `DRAND_URL=${beacon.url}`,
      `DRAND_CHAIN_HASH=${TEST_CHAIN_HASH}`,
      `DRAND_PUBLIC_KEY=${TEST_PUBLIC_KEY}`,
      `DRAND_GENESIS=${beacon.genesis}`,
      `DRAND_PERIOD=${beacon.period}`,
      "",
    ].join("\n"),
  );
  const parent = opt("--parent-pid");
  if (parent) {
    // npm start's wrangler: when it is gone, so is its beacon.
    setInterval(() => {
      try {
        process.kill(Number(parent), 0);
      } catch {
        process.exit(0);
      }
    }, 1000);
  }
}

if (process.argv[1]?.endsWith("/test-beacon.mjs")) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
