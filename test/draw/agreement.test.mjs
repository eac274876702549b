// The worker's selection (edge::domain::draw, through edge/examples/draw_picks.rs)
// and the published verifier's (scripts/verify-draw.mjs, which imports nothing
// from the worker) agree exactly on 1,000 generated lists; and the verifier's
// pure rules, the rejection branch among them, on crafted values.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { beaconRound, drawKey, drawPicks, fromHex, listText, parseList, pickIndex, sha256Hex, stepValue } from "../../scripts/verify-draw.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const MAX_WEIGHT = (1n << 53n) - 1n;

/** mulberry32: a small seeded generator, so a failing case can be found again. */
/** @param {number} seed */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @param {number} lo @param {number} hi */
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  /** @param {number} bytes */
  const hex = (bytes) => Array.from({ length: bytes }, () => int(0, 255).toString(16).padStart(2, "0")).join("");
  /** A weight up to 2^53 - 1 (BigInt). */
  const huge = () => (BigInt(int(0, 0x1fffff)) << 32n) | BigInt(int(0, 0xffffffff));
  return { next, int, hex, huge };
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** One generated case: a list of 1 to 10,000 entries (log-spread lengths), weights
 * of one of several shapes, random seed and randomness, 1 to 20 winners, some voids.
 * @param {ReturnType<typeof generator>} rnd @param {number} n */
function makeCase(rnd, n) {
  const length = n === 0 ? 1 : n === 1 ? 10_000 : Math.min(10_000, Math.floor(Math.exp(rnd.next() * Math.log(10_001))));
  const shape = n < 4 ? ["small", "huge", "equal", "mixed"][n] : ["equal", "small", "medium", "huge", "mixed", "max"][rnd.int(0, 5)];
  const weight = () => {
    switch (shape) {
      case "equal":
        return 1n;
      case "small":
        return BigInt(rnd.int(0, 10)); // zeros are left out of the list
      case "medium":
        return BigInt(rnd.int(1, 1_000_000));
      case "huge":
        return rnd.huge() || 1n;
      case "max":
        return rnd.next() < 0.5 ? MAX_WEIGHT : BigInt(rnd.int(1, 3));
      default:
        return rnd.next() < 0.05 ? rnd.huge() : BigInt(rnd.int(1, 100));
    }
  };
  const ids = new Set();
  while (ids.size < length) {
    ids.add(`ent_${Array.from({ length: rnd.int(4, 12) }, () => ID_CHARS[rnd.int(0, ID_CHARS.length - 1)]).join("")}`);
  }
  /** @type {[string, bigint][]} */
  const entries = [...ids].map((id) => [id, weight()]);
  if (entries.every(([, w]) => w === 0n)) entries[0][1] = 1n;
  const voids = rnd.next() < 0.3 ? rnd.int(1, 5) : 0;
  return { seed: rnd.hex(32), randomness: rnd.hex(32), winners: rnd.int(1, 20), voids, entries };
}

/** The verifier's answer for a case, in draw_picks.rs's output format.
 * @param {ReturnType<typeof makeCase>} c */
function jsAnswer(c) {
  const text = listText(c.entries);
  const listHash = sha256Hex(text);
  const { ids, weights } = parseList(text);
  const key = drawKey(fromHex(c.seed), fromHex(c.randomness), fromHex(listHash));
  const picks = drawPicks(key, weights, c.winners + c.voids);
  return [listHash, ...picks.map((p) => `${p.k}:${ids[p.index]}`)].join(" ");
}

test("the worker and the verifier pick the same winners on 1,000 generated lists", { timeout: 600_000 }, () => {
  const rnd = generator(25);
  const cases = Array.from({ length: 1000 }, (_, n) => makeCase(rnd, n));
  const input = cases
    .map((c) => [`case ${c.seed} ${c.randomness} ${c.winners} ${c.voids} ${c.entries.length}`, ...c.entries.map(([id, w]) => `${id} ${w}`)].join("\n"))
    .join("\n");
  // The debug build: `cargo test` (the native layer) has it warm; release is LTO.
  const out = execFileSync("cargo", ["run", "-p", "edge", "--quiet", "--example", "draw_picks"], {
    cwd: ROOT,
    input: `${input}\n`,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["pipe", "pipe", "inherit"],
  }).trimEnd().split("\n");
  assert.equal(out.length, cases.length);
  let lengths = 0;
  let voided = 0;
  let huge = 0;
  for (const [i, c] of cases.entries()) {
    assert.equal(out[i], jsAnswer(c), `case ${i}: ${c.entries.length} entries, ${c.winners} winners, ${c.voids} voids`);
    lengths += c.entries.length;
    if (c.voids) voided++;
    if (c.entries.some(([, w]) => w > 1n << 40n)) huge++;
  }
  // The generated cases cover what they should.
  assert.ok(cases.some((c) => c.entries.length === 1) && cases.some((c) => c.entries.length === 10_000));
  assert.ok(voided > 200 && huge > 200, `${voided} cases with voids, ${huge} with huge weights`);
  assert.ok(lengths > 500_000, `${lengths} entries in all`);
});

test("a step in the rejected top picks nothing; the sequence skips it", () => {
  const TWO_128 = 1n << 128n;
  // W = 3: 2^128 = 3q + 1, so only x = 2^128 - 1 is rejected.
  assert.equal(pickIndex(TWO_128 - 1n, [1n, 2n]), null);
  assert.equal(pickIndex(TWO_128 - 2n, [1n, 2n]), (TWO_128 - 2n) % 3n >= 1n ? 1 : 0);
  // W = 2^64 + 1: rejected from floor(2^128 / W) x W upward, accepted just below.
  const w = [(1n << 64n) - 1n, 2n];
  const limit = (TWO_128 / ((1n << 64n) + 1n)) * ((1n << 64n) + 1n);
  assert.equal(pickIndex(limit, w), null);
  assert.equal(pickIndex(TWO_128 - 1n, w), null);
  assert.notEqual(pickIndex(limit - 1n, w), null);
  // A power of two divides 2^128: nothing rejected.
  assert.equal(pickIndex(TWO_128 - 1n, [1n << 63n, 1n << 63n]), 1);
  // Running totals, picked entries skipped (DRAWS.md's worked example).
  assert.deepEqual([0n, 1n, 2n, 3n, 7n, 8n].map((x) => pickIndex(x, [2n, 1n, 5n])), [0, 0, 1, 2, 2, 0]);
  assert.equal(pickIndex(2n, [2n, null, 5n]), 2);
  assert.equal(pickIndex(0n, [null, null]), null);
});

test("the sequence goes on past a rejected step, with the next k", () => {
  // W = 2^127 + 1 (weights beyond the list's 2^53, to reach the rule): floor(2^128 / W) = 1,
  // so every x >= W is rejected, about half the steps. Take a key whose step 0 is rejected.
  const W = (1n << 127n) + 1n;
  let key;
  for (let n = 0; ; n++) {
    key = drawKey(new Uint8Array(32).fill(n), new Uint8Array(32), new Uint8Array(32));
    if (stepValue(key, 0) >= W) break;
  }
  const weights = [1n << 127n, 1n];
  const firstAccepted = [1, 2, 3, 4, 5, 6, 7, 8].find((k) => stepValue(key, k) < W);
  assert.ok(firstAccepted !== undefined);
  const [first] = drawPicks(key, weights, 1);
  assert.equal(first.k, firstAccepted);
  assert.equal(first.index, stepValue(key, firstAccepted) < 1n << 127n ? 0 : 1);
  // All picks are distinct, in increasing k; a shorter draw is a prefix (filling a
  // voided place is the next pick of the same sequence).
  const small = [3n, 1n, 4n, 1n, 5n, 9n, 2n, 6n];
  const picks = drawPicks(key, small, 100);
  assert.deepEqual(picks.map((p) => p.index).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.ok(picks.every((p, i) => i === 0 || p.k > picks[i - 1].k));
  assert.deepEqual(drawPicks(key, small, 4), picks.slice(0, 4));
});

test("the round rule and the list's bytes", () => {
  const g = 1692803367;
  assert.deepEqual([g, g + 1, g + 3, g + 4].map((t) => beaconRound(t, g, 3)), [1, 2, 2, 3]);
  assert.equal(listText([["ent_b", 5], ["ent_a", 1], ["ent_Z", 2], ["ent_c", 0]]), "ent_Z\t2\nent_a\t1\nent_b\t5\n");
  assert.deepEqual(parseList("ent_Z\t2\nent_a\t1\n"), { ids: ["ent_Z", "ent_a"], weights: [2n, 1n] });
  for (const bad of ["ent_a\t1", "ent_b\t1\nent_a\t1\n", "ent_a\t0\n", "ent_a 1\n", "ent_a\t1\nent_a\t1\n", "ent_a\t01\n"]) {
    assert.throws(() => parseList(bad), Error, JSON.stringify(bad));
  }
});
