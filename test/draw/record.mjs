// A consistent synthetic public record of a draw, made with the local test
// chain and the verifier's selection, served by a small local HTTP server as
// the worker would serve it; the tests alter it and watch the verifier.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { beaconRound, drawKey, drawPicks, fromHex, listText, parseList, sha256Hex, toHex } from "../../scripts/verify-draw.mjs";
import { signRound, TEST_CHAIN_HASH } from "../../scripts/test-beacon.mjs";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const CONTEST_ID = "con_draw_test";
export const PRIZE_ID = "prz_draw_test";

/** A drawn prize's record: `results` (the open results JSON), `list` (the draw
 * list's text) and `standings` (the final standings' bytes).
 * @param {{ chain?: { chainHash: string, genesis: number, period: number }, beacon?: { round: number, randomness: string, signature: string }, finalizedAt?: number, delay?: number, weighting?: "points" | "equal", winners?: number, void?: boolean, leaveOut?: string }} [opts]
 * leaveOut: an entry id the list (and so its hash and the picks) leaves out, as a dishonest owner would */
export function makeRecord(opts = {}) {
  const finalizedAt = opts.finalizedAt ?? Math.floor(Date.now() / 1000) - 3600;
  const chain = opts.chain ?? { chainHash: TEST_CHAIN_HASH, genesis: finalizedAt - 86_400, period: 1 };
  const weighting = opts.weighting ?? "points";
  const winners = opts.winners ?? 3;
  // 40 entries, their final points; eligible: at least 1 point (minPoints 1).
  /** @type {[string, number][]} */
  const standing = Array.from({ length: 40 }, (_, i) => [`ent_${String(i).padStart(3, "0")}x`, (i * 7919) % 50]);
  const standings = [...standing]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id, p], i) => `${i + 1}\t${id}\t${p}\t2026-01-01T00:00:${String(i).padStart(2, "0")}.000Z\n`)
    .join("");
  const list = listText(standing.filter(([id]) => id !== opts.leaveOut).map(([id, p]) => [id, weighting === "equal" && p > 0 ? 1 : p]));
  const listHash = sha256Hex(list);
  const round = opts.beacon?.round ?? beaconRound(finalizedAt + (opts.delay ?? 5), chain.genesis, chain.period);
  const beacon = opts.beacon ?? signRound(round);
  const seed = randomBytes(32);
  const { ids, weights } = parseList(list);
  const voids = opts.void === false ? 0 : 1;
  const picks = drawPicks(drawKey(seed, fromHex(beacon.randomness), fromHex(listHash)), weights, winners + voids).map((p, i) => ({
    k: p.k,
    entryId: ids[p.index],
    name: "Ada L.",
    voided: i === 0 && voids === 1,
    voidReason: i === 0 && voids === 1 ? "did not answer" : null,
    voidedAt: i === 0 && voids === 1 ? new Date((finalizedAt + 600) * 1000).toISOString() : null,
  }));
  /** @type {any} */
  const results = {
    contestId: CONTEST_ID,
    name: "Spring contest",
    status: "ended",
    endsAt: new Date((finalizedAt - 60) * 1000).toISOString(),
    finalizedAt: new Date(finalizedAt * 1000 + 123).toISOString(),
    standingsHash: sha256Hex(standings),
    standingsUrl: `/api/referral/results/${CONTEST_ID}/standings`,
    prizes: [
      {
        id: PRIZE_ID,
        name: "A weekend away",
        kind: "draw",
        earnedCount: winners,
        draw: {
          winners,
          weighting,
          eligibility: { minPoints: 1 },
          seedCommitment: sha256Hex(seed),
          seed: toHex(seed),
          listHash,
          listUrl: `/api/referral/results/${PRIZE_ID}/draw-list`,
          listEntries: ids.length,
          listWeight: String(weights.reduce((s, w) => s + w, 0n)),
          beacon: { chainHash: chain.chainHash, genesis: chain.genesis, period: chain.period, round: beacon.round, randomness: beacon.randomness, signature: beacon.signature },
          drawnAt: new Date((finalizedAt + 10) * 1000).toISOString(),
          picks,
        },
      },
    ],
  };
  return { results, list, standings };
}

/** Serves a record (results and list) on 127.0.0.1; `record` may be replaced between runs.
 * @returns {Promise<{ base: string, serve: (r: { results: any, list: string, standings: string }) => void, stop: () => Promise<void> }>} */
/** @param {{ results: any, list: string, standings: string }} record */
export async function serveRecord(record) {
  let current = record;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/api/referral/results" && url.searchParams.get("contestId") === CONTEST_ID) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ data: current.results }));
    }
    if (url.pathname === `/api/referral/results/${CONTEST_ID}/standings`) {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      return res.end(current.standings);
    }
    if (url.pathname === `/api/referral/results/${PRIZE_ID}/draw-list`) {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      return res.end(current.list);
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"error":"not found"}');
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    base: `http://127.0.0.1:${port}`,
    /** @param {{ results: any, list: string, standings: string }} r */
    serve: (r) => {
      current = r;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** Runs the verifier CLI; resolves with its exit code and output.
 * @param {string[]} args @returns {Promise<{ code: number, out: string }>} */
export function runVerifier(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${ROOT}scripts/verify-draw.mjs`, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? /** @type {number} */ (error.code ?? 1) : 0, out: stdout + stderr });
    });
  });
}
