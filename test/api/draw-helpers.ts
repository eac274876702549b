// Helpers of the draw specs (issue 25): draw prizes, their list and record,
// waiting for the draw, and a second implementation of the selection
// (docs/DRAWS.md) written from the contract alone, importing nothing from
// the worker.
import { env } from "cloudflare:test";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { expect } from "vitest";
import { call, type Json, TestApp } from "./app";
import { results } from "./standings-helpers";

export function sha256Hex(text: string | Uint8Array): string {
  return bytesToHex(sha256(typeof text === "string" ? utf8ToBytes(text) : text));
}

/** Creates a draw prize of the app's contest; answers it. */
export async function addDraw(app: TestApp, fields: Json = {}): Promise<Json> {
  const r = await app.post(`/api/v1/contests/${app.contestId}/prizes`, {
    name: "Prize draw",
    kind: "draw",
    winners: 1,
    fulfilment: { type: "manual" },
    ...fields,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data;
}

export function drawList(prizeId: string) {
  return call("GET", `/api/referral/results/${encodeURIComponent(prizeId)}/draw-list`);
}

/** The draw record of a prize on the open results. */
export async function drawRecord(contestId: string, prizeId: string): Promise<Json> {
  const r = await results(contestId);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.prizes.find((p: Json) => p.id === prizeId).draw;
}

/** Waits (up to `ms`) until the prize is drawn; answers its record. */
export async function waitForDraw(contestId: string, prizeId: string, ms = 15_000): Promise<Json> {
  const until = Date.now() + ms;
  for (;;) {
    const drawn = await env.DB.prepare("SELECT drawn_at FROM prize_draws WHERE prize_id = ?").bind(prizeId).first<Json>();
    if (drawn?.drawn_at) return drawRecord(contestId, prizeId);
    if (Date.now() > until) throw new Error(`${prizeId} was not drawn within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The prize's awards as stored, by step. */
export async function drawAwards(prizeId: string): Promise<Json[]> {
  const { results: rows } = await env.DB.prepare(
    "SELECT id, entry_id, status, draw_k, void_reason FROM prize_awards WHERE prize_id = ? ORDER BY draw_k",
  )
    .bind(prizeId)
    .all<Json>();
  return rows;
}

/** The picks (step, entry id) the contract gives for a list's text, a seed,
 * the beacon's randomness and the list hash (hex): the first `count` picks. */
export function expectedPicks(list: string, seed: string, randomness: string, listHash: string, count: number) {
  const entries = list
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [id, weight] = line.split("\t");
      return { id, weight: BigInt(weight), picked: false };
    });
  const key = sha256(new Uint8Array([...hexToBytes(seed), ...hexToBytes(randomness), ...hexToBytes(listHash)]));
  const picks: { k: number; entryId: string }[] = [];
  const two128 = 1n << 128n;
  for (let k = 0; picks.length < count && entries.some((e) => !e.picked); k++) {
    const message = new Uint8Array([...utf8ToBytes("rocket-draw"), 0, 0, 0, 0]);
    new DataView(message.buffer).setUint32(11, k);
    const x = BigInt(`0x${bytesToHex(hmac(sha256, key, message).slice(0, 16))}`);
    const total = entries.filter((e) => !e.picked).reduce((sum, e) => sum + e.weight, 0n);
    if (x >= (two128 / total) * total) continue;
    const t = x % total;
    let running = 0n;
    for (const e of entries) {
      if (e.picked) continue;
      running += e.weight;
      if (running > t) {
        e.picked = true;
        picks.push({ k, entryId: e.id });
        break;
      }
    }
  }
  return picks;
}
