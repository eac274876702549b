// The draw's selection recomputed in the browser, exactly as docs/DRAWS.md
// states it: WebCrypto's SHA-256 and HMAC, BigInt for the weights (totals can
// pass 2^64). A second implementation beside the worker's edge/src/domain/
// draw.rs; it imports nothing from it. No DOM here.

const subtle = () => crypto.subtle;

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes of an even-length hex string, or null when it is not one. */
export function fromHex(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().digest("SHA-256", bytes));
}

/** One line of the eligible list. */
export interface Listed {
  entryId: string;
  weight: bigint;
}

/** The eligible list's bytes as lines `<entryId>\t<weight>\n`, or null when
 * they are not exactly that (a line without its tab, a weight that is not a
 * decimal integer of at least 1, no final newline). */
export function parseList(bytes: Uint8Array): Listed[] | null {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  if (text === "") return [];
  if (!text.endsWith("\n")) return null;
  const out: Listed[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    const m = /^([^\t\n]+)\t([1-9][0-9]*)$/.exec(line);
    if (!m) return null;
    out.push({ entryId: m[1] as string, weight: BigInt(m[2] as string) });
  }
  return out;
}

/** `key` = SHA-256(seed || randomness || listHash), each its 32 raw bytes. */
export async function drawKey(seed: Uint8Array, randomness: Uint8Array, listHash: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const all = new Uint8Array(seed.length + randomness.length + listHash.length);
  all.set(seed, 0);
  all.set(randomness, seed.length);
  all.set(listHash, seed.length + randomness.length);
  return sha256(all);
}

const TWO_128 = 1n << 128n;
const DOMAIN = new TextEncoder().encode("rocket-draw");

/** One step k of the sequence: its x and W, and the pick (an index into the
 * list) or null when x fell in the rejected top. */
export interface Step {
  k: number;
  x: bigint;
  total: bigint;
  /** floor(2^128 / W) x W: x at or above it picks nothing. */
  limit: bigint;
  /** x mod W, when not rejected. */
  t: bigint | null;
  pick: number | null;
}

/** Which remaining entry `x` picks (`null` weights are picked already), as
 * DRAWS.md: rejected when x >= floor(2^128 / W) x W, else the first entry
 * whose running total exceeds x mod W. */
export function pick(x: bigint, remaining: (bigint | null)[]): Omit<Step, "k"> {
  const total = remaining.reduce<bigint>((s, w) => s + (w ?? 0n), 0n);
  const limit = total === 0n ? 0n : (TWO_128 / total) * total;
  if (total === 0n || x >= limit) return { x, total, limit, t: null, pick: null };
  const t = x % total;
  let running = 0n;
  for (let i = 0; i < remaining.length; i++) {
    const w = remaining[i];
    if (w == null) continue;
    running += w;
    if (running > t) return { x, total, limit, t, pick: i };
  }
  return { x, total, limit, t, pick: null };
}

/** The sequence from k = 0 until `picks` entries are picked or the list is
 * empty (or `maxSteps` steps ran, a guard for the page). */
export async function steps(key: Uint8Array<ArrayBuffer>, weights: bigint[], picks: number, maxSteps = 100_000): Promise<Step[]> {
  const hmacKey = await subtle().importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const remaining: (bigint | null)[] = weights.map((w) => (w > 0n ? w : null));
  const out: Step[] = [];
  let picked = 0;
  for (let k = 0; picked < picks && k < maxSteps && remaining.some((w) => w != null); k++) {
    const message = new Uint8Array(DOMAIN.length + 4);
    message.set(DOMAIN, 0);
    new DataView(message.buffer).setUint32(DOMAIN.length, k);
    const h = new Uint8Array(await subtle().sign("HMAC", hmacKey, message));
    const x = BigInt("0x" + hex(h.subarray(0, 16)));
    const step = { k, ...pick(x, remaining) };
    if (step.pick != null) {
      remaining[step.pick] = null;
      picked++;
    }
    out.push(step);
  }
  return out;
}

/** When round `round` of a chain is produced, in Unix seconds. */
export function roundTime(genesis: number, period: number, round: number): number {
  return genesis + (round - 1) * period;
}
