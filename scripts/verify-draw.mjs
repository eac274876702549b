#!/usr/bin/env node
// The published verifier of a draw prize (issue 25; the contract is docs/DRAWS.md).
//
//   node scripts/verify-draw.mjs <base URL> <contestId> <prizeId> [--chain-key <hex>] [--beacon-url <url>]
//
// Fetches only public data: the open results (GET {base}/api/referral/results?contestId=)
// and the prize's eligible list (its draw.listUrl). Checks the seed against its
// commitment, the list against its hash, the beacon round against the finalize
// time, the beacon's BLS signature (drand quicknet's built-in key, or for another
// chain the key given by --chain-key or served at --beacon-url), recomputes every
// pick and compares. Prints each check and a verdict; exit status 0 when all hold.
//
// A second implementation of the selection: it imports nothing from the worker, so
// the tests can hold the two against each other (test/draw/*.test.mjs).
import { createHash, createHmac } from "node:crypto";
import { bls12_381 } from "@noble/curves/bls12-381.js";

export const QUICKNET = Object.freeze({
  chainHash: "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
  publicKey:
    "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
  genesis: 1692803367,
  period: 3,
});
/** The hash-to-curve tag of the bls-unchained-g1-rfc9380 scheme. */
export const G1_DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
/** The local test chain's hash: SHA-256 of this text and its key's hex. */
export const TEST_CHAIN_PREFIX = "rocket-tracker-test-chain:";
const TWO_128 = 1n << 128n;

// ---- bytes ----------------------------------------------------------------

/** @param {string} hex @param {number} [length] bytes expected @returns {Uint8Array} */
export function fromHex(hex, length) {
  if (typeof hex !== "string" || !/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`not lowercase hex: ${hex}`);
  if (length !== undefined && hex.length !== length * 2) throw new Error(`expected ${length} bytes of hex: ${hex}`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** @param {Uint8Array} bytes */
export const toHex = (bytes) => Buffer.from(bytes).toString("hex");

/** Lowercase hex SHA-256. @param {Uint8Array | string} data */
export const sha256Hex = (data) => createHash("sha256").update(data).digest("hex");

// ---- the selection (docs/DRAWS.md, "The selection") ------------------------

/** The first round whose time, genesis + (R - 1) x period, is at least `at` (seconds).
 * @param {number} at @param {number} genesis @param {number} period */
export function beaconRound(at, genesis, period) {
  if (at <= genesis || period <= 0) return 1;
  return Math.ceil((at - genesis) / period) + 1;
}

/** A round's time. @param {number} round @param {number} genesis @param {number} period */
export const roundTime = (round, genesis, period) => genesis + (round - 1) * period;

/** The eligible list's text from (entryId, weight) pairs: weight 0 left out,
 * sorted by entry id bytes, `<entryId>\t<weight>\n` each.
 * @param {[string, bigint | number][]} entries */
export function listText(entries) {
  return entries
    .filter(([, w]) => BigInt(w) > 0n)
    .sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])))
    .map(([id, w]) => `${id}\t${BigInt(w)}\n`)
    .join("");
}

/** Parses the list's text; throws on any line that is not `<entryId>\t<weight>`
 * with weight >= 1, or ids out of byte order.
 * @param {string} text @returns {{ ids: string[], weights: bigint[] }} */
export function parseList(text) {
  /** @type {string[]} */
  const ids = [];
  /** @type {bigint[]} */
  const weights = [];
  if (text === "") return { ids, weights };
  if (!text.endsWith("\n")) throw new Error("the list does not end with a newline");
  const lines = text.slice(0, -1).split("\n");
  for (const [i, line] of lines.entries()) {
    const m = /^([^\t\n]+)\t([1-9][0-9]*)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not <entryId>TAB<weight>: ${JSON.stringify(line)}`);
    if (ids.length && Buffer.compare(Buffer.from(ids[ids.length - 1]), Buffer.from(m[1])) >= 0) {
      throw new Error(`line ${i + 1}: ${m[1]} is not after ${ids[ids.length - 1]} in byte order`);
    }
    ids.push(m[1]);
    weights.push(BigInt(m[2]));
  }
  return { ids, weights };
}

/** The final standings' points by entry id, from their bytes
 * (`rank\tentryId\tpoints\treachedAt\n` by rank).
 * @param {string} text @returns {Map<string, bigint>} */
export function parseStandings(text) {
  /** @type {Map<string, bigint>} */
  const points = new Map();
  const lines = text.split("\n");
  if (lines.pop() !== "") throw new Error("the standings do not end with a newline");
  for (const [i, line] of lines.entries()) {
    const m = /^[1-9][0-9]*\t([^\t]+)\t(-?[0-9]+)\t[^\t]*$/.exec(line);
    if (!m) throw new Error(`standings line ${i + 1} is not rank TAB entryId TAB points TAB reachedAt: ${JSON.stringify(line)}`);
    points.set(m[1], BigInt(m[2]));
  }
  return points;
}

/** Why the list is not what the standings and the eligibility give, or null.
 * Every listed entry must be in the standings with its weight (its points, or 1)
 * and meet `minPoints`; with no `minReferrals` (referrals are not in the standings'
 * bytes) no admitted entry may be missing either.
 * @param {{ ids: string[], weights: bigint[] }} list @param {Map<string, bigint>} standings
 * @param {{ weighting: string, eligibility?: { minPoints?: number, minReferrals?: number } }} draw
 * @returns {string | null} */
export function listAgainstStandings(list, standings, draw) {
  const minPoints = BigInt(draw.eligibility?.minPoints ?? 0);
  const floor = draw.weighting === "points" && minPoints < 1n ? 1n : minPoints;
  for (const [i, id] of list.ids.entries()) {
    const points = standings.get(id);
    if (points === undefined) return `${id} is listed but not in the final standings`;
    if (points < floor) return `${id} is listed with ${points} points, below the eligibility's ${floor}`;
    const weight = draw.weighting === "equal" ? 1n : points;
    if (list.weights[i] !== weight) return `${id} is listed with weight ${list.weights[i]}, its standing gives ${weight}`;
  }
  if (draw.eligibility?.minReferrals) return null;
  const listed = new Set(list.ids);
  for (const [id, points] of standings) {
    if (points >= floor && !listed.has(id)) return `${id} (${points} points) is eligible but not listed`;
  }
  return null;
}

/** key = SHA-256(seed || randomness || listHash), each 32 raw bytes.
 * @param {Uint8Array} seed @param {Uint8Array} randomness @param {Uint8Array} listHash */
export function drawKey(seed, randomness, listHash) {
  for (const b of [seed, randomness, listHash]) if (b.length !== 32) throw new Error("draw key parts are 32 bytes each");
  return Uint8Array.from(createHash("sha256").update(seed).update(randomness).update(listHash).digest());
}

/** x of step k: the first 16 bytes of HMAC-SHA256(key, "rocket-draw" || k as 4
 * bytes big-endian), an unsigned big-endian integer.
 * @param {Uint8Array} key @param {number} k @returns {bigint} */
export function stepValue(key, k) {
  const kBytes = Buffer.alloc(4);
  kBytes.writeUInt32BE(k);
  const h = createHmac("sha256", key).update("rocket-draw").update(kBytes).digest();
  return BigInt(`0x${h.subarray(0, 16).toString("hex")}`);
}

/** Which remaining entry x picks: the index of the first entry (in list order,
 * picked ones `null`) whose running total exceeds x mod W; null when x falls in
 * the rejected top, x >= floor(2^128 / W) x W (no modulo bias), or nothing remains.
 * @param {bigint} x @param {(bigint | null)[]} remaining @param {bigint} [total] W when known */
export function pickIndex(x, remaining, total) {
  const W = total ?? remaining.reduce((/** @type {bigint} */ s, w) => s + (w ?? 0n), 0n);
  if (W === 0n) return null;
  if (x >= (TWO_128 / W) * W) return null;
  const t = x % W;
  let running = 0n;
  for (let i = 0; i < remaining.length; i++) {
    const w = remaining[i];
    if (w === null) continue;
    running += w;
    if (running > t) return i;
  }
  return null;
}

/** The sequence of picks over a list's weights: up to `count` of them, each
 * `{k, index}`, k going on past rejected steps. Filling a voided place is the
 * next pick of the same sequence, so the published picks (voided ones kept) are
 * a prefix of it.
 * @param {Uint8Array} key @param {bigint[]} weights @param {number} count */
export function drawPicks(key, weights, count) {
  /** @type {(bigint | null)[]} */
  const remaining = weights.map((w) => (w > 0n ? w : null));
  let W = remaining.reduce((/** @type {bigint} */ s, w) => s + (w ?? 0n), 0n);
  /** @type {{ k: number, index: number }[]} */
  const picks = [];
  let k = 0;
  while (picks.length < count && W > 0n && k <= 0xffffffff) {
    const index = pickIndex(stepValue(key, k), remaining, W);
    if (index !== null) {
      picks.push({ k, index });
      W -= /** @type {bigint} */ (remaining[index]);
      remaining[index] = null;
    }
    k++;
  }
  return picks;
}

// ---- the beacon ------------------------------------------------------------

/** The message a round's signature signs: SHA-256(round as 8 bytes big-endian).
 * @param {number} round */
export function roundMessage(round) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(round));
  return Uint8Array.from(createHash("sha256").update(b).digest());
}

/** Whether `signature` (48-byte G1, hex) is the chain's BLS signature of `round`
 * under `publicKey` (96-byte G2, hex), scheme bls-unchained-g1-rfc9380.
 * False for any malformed input.
 * @param {number} round @param {string} signatureHex @param {string} publicKeyHex */
export function verifyRoundSignature(round, signatureHex, publicKeyHex) {
  try {
    const bls = bls12_381.shortSignatures;
    const message = bls.hash(roundMessage(round), G1_DST);
    return bls.verify(fromHex(signatureHex, 48), message, fromHex(publicKeyHex, 96));
  } catch {
    return false;
  }
}

/** The local test chain's hash for a public key (hex). @param {string} publicKeyHex */
export const testChainHash = (publicKeyHex) => sha256Hex(TEST_CHAIN_PREFIX + publicKeyHex);

// ---- the command ------------------------------------------------------------

/** @param {unknown} e */
const message = (e) => (e instanceof Error ? e.message : String(e));

/** Fetches a URL's body, failing on a non-200 answer. @param {string} url */
async function fetchText(url) {
  const res = await fetch(url, { headers: { accept: "application/json, text/plain" } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Runs every check of one draw prize; `log` gets each line.
 * @param {{ base: string, contestId: string, prizeId: string, chainKey?: string, beaconUrl?: string }} opts
 * @param {(line: string) => void} log
 * @returns {Promise<boolean>} whether every check passed */
export async function verifyDraw({ base, contestId, prizeId, chainKey, beaconUrl }, log) {
  let ok = true;
  /** @param {boolean} passed @param {string} what */
  const check = (passed, what) => {
    log(`${passed ? "PASS" : "FAIL"}  ${what}`);
    if (!passed) ok = false;
    return passed;
  };
  /** @param {string} what */
  const stop = (what) => {
    check(false, what);
    return false;
  };

  const resultsUrl = new URL(`/api/referral/results?contestId=${encodeURIComponent(contestId)}`, base).href;
  let results;
  try {
    // The API's envelope: `{ "data": { ...the results } }`.
    const body = JSON.parse(new TextDecoder().decode(await fetchText(resultsUrl)));
    results = body?.data ?? body;
  } catch (e) {
    return stop(`results: ${message(e)}`);
  }
  log(`results  ${resultsUrl}`);
  const prize = (results.prizes ?? []).find((/** @type {{ id: string }} */ p) => p.id === prizeId);
  if (!prize) return stop(`prize ${prizeId} is not in contest ${contestId}'s results`);
  const draw = prize.draw;
  if (prize.kind !== "draw" || !draw) return stop(`prize ${prizeId} is not a draw (kind ${prize.kind})`);
  log(`prize    ${prize.name} (${prizeId}): ${draw.winners} winner(s), weighting ${draw.weighting}, eligibility ${JSON.stringify(draw.eligibility)}`);
  if (!results.finalizedAt || !draw.listHash || !draw.listUrl) return stop("the contest is not finalized yet: no list to check");
  const beacon = draw.beacon;
  if (!beacon) return stop("no beacon round published");

  // 1. The seed against the commitment published at the prize's creation.
  if (draw.seed === null || draw.seed === undefined) return stop(`not drawn yet: waiting for round ${beacon.round}, the seed is still secret`);
  let seed;
  try {
    seed = fromHex(draw.seed, 32);
  } catch (e) {
    return stop(`seed: ${message(e)}`);
  }
  check(sha256Hex(seed) === draw.seedCommitment, `SHA-256(seed) = seedCommitment ${draw.seedCommitment}`);

  // 2. The list's bytes against listHash, entries and total weight.
  const listUrl = new URL(draw.listUrl, base).href;
  let listBytes;
  try {
    listBytes = await fetchText(listUrl);
  } catch (e) {
    return stop(`list: ${message(e)}`);
  }
  log(`list     ${listUrl} (${listBytes.length} bytes)`);
  check(sha256Hex(listBytes) === draw.listHash, `SHA-256(list) = listHash ${draw.listHash}`);
  let list;
  try {
    list = parseList(new TextDecoder("utf-8", { fatal: true }).decode(listBytes));
    check(true, `list format: ${list.ids.length} lines <entryId>TAB<weight>, sorted by entry id bytes`);
  } catch (e) {
    return stop(`list format: ${message(e)}`);
  }
  const total = list.weights.reduce((s, w) => s + w, 0n);
  check(list.ids.length === draw.listEntries, `listEntries ${draw.listEntries} = ${list.ids.length} lines`);
  check(String(total) === String(draw.listWeight), `listWeight ${draw.listWeight} = sum of weights ${total}`);
  if (draw.weighting === "equal") check(list.weights.every((w) => w === 1n), "weighting equal: every weight is 1");
  if (results.standingsUrl && results.standingsHash) {
    const standingsUrl = new URL(results.standingsUrl, base).href;
    let standingsBytes;
    try {
      standingsBytes = await fetchText(standingsUrl);
    } catch (e) {
      return stop(`standings: ${message(e)}`);
    }
    log(`standings ${standingsUrl} (${standingsBytes.length} bytes)`);
    check(sha256Hex(standingsBytes) === results.standingsHash, `SHA-256(standings) = standingsHash ${results.standingsHash}`);
    let standings;
    try {
      standings = parseStandings(new TextDecoder().decode(standingsBytes));
    } catch (e) {
      return stop(`standings format: ${message(e)}`);
    }
    const problem = listAgainstStandings(list, standings, draw);
    check(problem === null, problem ?? "the list is exactly the standings' entries the eligibility admits, each with its weight");
    if (draw.eligibility?.minReferrals) log("note     minReferrals: referrals are not in the standings' bytes, so who it left out cannot be checked here");
  }

  // 3. The round: produced no earlier than the finalize time, when the list was published.
  const finalizedAt = Math.floor(Date.parse(results.finalizedAt) / 1000);
  const { round, genesis, period } = beacon;
  if (!Number.isSafeInteger(round) || !Number.isSafeInteger(genesis) || !Number.isSafeInteger(period) || period <= 0 || Number.isNaN(finalizedAt)) {
    return stop(`beacon round ${round}, genesis ${genesis}, period ${period}, finalizedAt ${results.finalizedAt}: not numbers`);
  }
  const at = roundTime(round, genesis, period);
  const after = at - finalizedAt;
  check(
    at >= finalizedAt,
    `round ${round} (time ${new Date(at * 1000).toISOString()}) comes ${after} s after finalizedAt ${results.finalizedAt}` +
      (after >= 0 ? ` (a beacon delay of ${Math.max(0, after - period + 1)} to ${after} s)` : ": the randomness existed before the list"),
  );
  if (beacon.chainHash === QUICKNET.chainHash) {
    check(genesis === QUICKNET.genesis && period === QUICKNET.period, `quicknet's genesis ${QUICKNET.genesis} and period ${QUICKNET.period}`);
  }

  // 4. The beacon: randomness = SHA-256(signature), the signature by the chain's key.
  if (!beacon.signature || !beacon.randomness) return stop("the beacon's randomness and signature are not published");
  let sigBytes;
  try {
    sigBytes = fromHex(beacon.signature, 48);
  } catch (e) {
    return stop(`signature: ${message(e)}`);
  }
  check(sha256Hex(sigBytes) === beacon.randomness, "randomness = SHA-256(signature)");
  let publicKey;
  if (beacon.chainHash === QUICKNET.chainHash) {
    publicKey = QUICKNET.publicKey;
    log(`chain    drand quicknet ${QUICKNET.chainHash} (built-in public key)`);
  } else {
    publicKey = chainKey;
    if (!publicKey && beaconUrl) {
      const infoUrl = `${beaconUrl.replace(/\/$/, "")}/${beacon.chainHash}/info`;
      try {
        publicKey = JSON.parse(new TextDecoder().decode(await fetchText(infoUrl))).public_key;
        log(`chain    key from ${infoUrl}`);
      } catch (e) {
        return stop(`chain info: ${message(e)}`);
      }
    }
    if (!publicKey) return stop(`chain ${beacon.chainHash} is not drand quicknet: give its public key (--chain-key <hex> or --beacon-url <url>)`);
    if (!check(testChainHash(publicKey) === beacon.chainHash, `chain hash = SHA-256("${TEST_CHAIN_PREFIX}" || key): this key is the chain's`)) {
      return false;
    }
    log(`chain    ${beacon.chainHash}: the rocket-tracker local test chain, NOT drand (its randomness is only as good as its key's secrecy)`);
  }
  check(verifyRoundSignature(round, beacon.signature, publicKey), `BLS signature of round ${round} (bls-unchained-g1-rfc9380) verifies against the chain's public key`);

  // 5. The picks, recomputed.
  const key = drawKey(seed, fromHex(beacon.randomness, 32), fromHex(draw.listHash, 32));
  const picks = draw.picks ?? [];
  /** @type {{ k: number, entryId: string, voided: boolean, voidReason?: string | null }[]} */
  const published = picks;
  const voided = published.filter((p) => p.voided).length;
  const expected = drawPicks(key, list.weights, Math.max(picks.length, draw.winners + voided));
  const want = Math.min(draw.winners + voided, list.ids.length);
  check(picks.length === want, `${picks.length} pick(s) published = ${draw.winners} winner(s) + ${voided} voided, at most the ${list.ids.length} listed`);
  for (const [i, p] of published.entries()) {
    const e = expected[i];
    const id = e ? list.ids[e.index] : undefined;
    const note = p.voided ? ` (voided${p.voidReason ? `: ${p.voidReason}` : ""})` : "";
    check(e !== undefined && p.k === e.k && p.entryId === id, `pick ${i + 1}: k ${p.k} entry ${p.entryId}${note}` + (e && (p.k !== e.k || p.entryId !== id) ? `; recomputed k ${e.k} entry ${id}` : ""));
  }
  return ok;
}

function usage() {
  console.error("usage: node scripts/verify-draw.mjs <base URL> <contestId> <prizeId> [--chain-key <hex>] [--beacon-url <url>]");
  process.exit(2);
}

/** @param {string[]} argv */
async function main(argv) {
  const positional = [];
  /** @type {{ chainKey?: string, beaconUrl?: string }} */
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--chain-key") opts.chainKey = argv[++i];
    else if (argv[i] === "--beacon-url") opts.beaconUrl = argv[++i];
    else if (argv[i].startsWith("--")) usage();
    else positional.push(argv[i]);
  }
  if (positional.length !== 3 || (opts.chainKey === undefined && argv.includes("--chain-key")) || (opts.beaconUrl === undefined && argv.includes("--beacon-url"))) usage();
  const [base, contestId, prizeId] = positional;
  const ok = await verifyDraw({ base, contestId, prizeId, ...opts }, (line) => console.log(line));
  console.log(
    ok
      ? "VERDICT: the draw checks out: the published picks are exactly the ones the public data gives."
      : "VERDICT: the draw does NOT check out (see the FAIL lines above).",
  );
  process.exit(ok ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/verify-draw.mjs")) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    console.log("VERDICT: the draw could not be checked.");
    process.exit(1);
  });
}
