// "Verify this draw": every check of docs/DRAWS.md a browser can make from
// the public record, in order, each reported as it is made. The beacon's BLS
// signature is not checked here (scripts/verify-draw.mjs checks it).
import { fetchBytes, type Draw, type Pick } from "./api";
import { drawKey, fromHex, hex, parseList, roundTime, sha256, steps, type Listed, type Step } from "./draw";

export interface Check {
  label: string;
  ok: boolean;
  detail: string;
}

export interface Outcome {
  ok: boolean;
  list: Listed[];
  steps: Step[];
}

/** Runs the checks of a drawn prize, calling `report` after each; stops at
 * the first one that cannot go on (a missing value, a list that fails). */
export async function verifyDraw(d: Draw, finalizedAt: string | null, report: (c: Check) => void): Promise<Outcome> {
  let ok = true;
  const note = (label: string, pass: boolean, detail: string) => {
    ok &&= pass;
    report({ label, ok: pass, detail });
    return pass;
  };
  const none: Outcome = { ok: false, list: [], steps: [] };
  const beacon = d.beacon;
  const seed = fromHex(d.seed ?? "");
  const randomness = fromHex(beacon?.randomness ?? "");
  const signature = fromHex(beacon?.signature ?? "");
  const listHash = fromHex(d.listHash ?? "");
  if (!beacon || !d.listUrl || seed?.length !== 32 || randomness?.length !== 32 || !signature?.length || listHash?.length !== 32) {
    note("The record is complete", false, "the seed, list hash, list URL or beacon values are missing or malformed");
    return none;
  }

  const commitment = hex(await sha256(seed));
  note("SHA-256(seed) equals the commitment published at the prize's creation", commitment === d.seedCommitment, `SHA-256(seed) = ${commitment}; commitment = ${d.seedCommitment}`);

  const bytes = await fetchBytes(d.listUrl);
  if (typeof bytes === "string") {
    note("The eligible list can be read", false, `${d.listUrl}: ${bytes}`);
    return none;
  }
  const listed = hex(await sha256(bytes));
  note("SHA-256(list) equals listHash", listed === d.listHash, `${bytes.length} bytes; SHA-256 = ${listed}; listHash = ${d.listHash}`);
  const list = parseList(bytes);
  if (!list) {
    note("The list is lines of <entryId>\\t<weight>\\n", false, "a line is not of that form");
    return none;
  }
  const total = list.reduce((s, e) => s + e.weight, 0n);
  note(
    "The list has the published number of entries and total weight",
    list.length === d.listEntries && String(total) === d.listWeight,
    `${list.length} entries (published ${d.listEntries}), total weight ${total} (published ${d.listWeight})`,
  );
  const sorted = list.every((e, i) => i === 0 || bytesLess((list[i - 1] as Listed).entryId, e.entryId));
  note("The list is sorted by entry id (ascending bytes)", sorted, sorted ? "in order, no id twice" : "out of order or an id twice");

  const at = roundTime(beacon.genesis, beacon.period, beacon.round);
  const listedAt = finalizedAt ? Math.floor(Date.parse(finalizedAt) / 1000) : NaN;
  note(
    "The beacon round comes after the list was published",
    at >= listedAt,
    `round ${beacon.round} of chain ${beacon.chainHash} is produced at ${iso(at)} (genesis ${beacon.genesis} + (round - 1) x ${beacon.period} s), ${at - listedAt} s after the list was published at ${finalizedAt ?? "?"}`,
  );
  const derived = hex(await sha256(signature));
  note("randomness equals SHA-256(signature)", derived === beacon.randomness, `SHA-256(signature) = ${derived}; randomness = ${beacon.randomness}`);

  const key = await drawKey(seed, randomness, listHash);
  report({ label: "key = SHA-256(seed || randomness || listHash)", ok: true, detail: hex(key) });

  // Recompute as many picks as the record has (voided ones included: their
  // places were filled by the next steps); one more when fewer than
  // `winners` stand, to show the list really ran out.
  const picks = [...d.picks].sort((a, b) => a.k - b.k);
  const standing = picks.filter((p) => !p.voided).length;
  const want = picks.length + (standing < d.winners ? 1 : 0);
  const seq = await steps(key, list.map((e) => e.weight), want);
  const made = seq.filter((s) => s.pick != null);
  let same = true;
  for (let i = 0; i < picks.length; i++) {
    const p = picks[i] as Pick;
    const m = made[i];
    if (!m || m.k !== p.k || list[m.pick as number]?.entryId !== p.entryId) same = false;
  }
  note(
    "The recomputed picks are the published ones, in k order",
    same,
    made
      .slice(0, picks.length)
      .map((m) => `k=${m.k}: ${list[m.pick as number]?.entryId}`)
      .join(", ") || "no pick",
  );
  if (standing < d.winners) {
    note(
      "Fewer winners than asked only because the list ran out",
      made.length <= picks.length,
      made.length <= picks.length ? `${standing} of ${d.winners} places filled; no entry is left` : `the sequence picks another entry at k=${made[picks.length]?.k}`,
    );
  }
  return { ok, list, steps: seq };
}

/** `a` before `b` in ascending byte (UTF-8) order. */
function bytesLess(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number);
  return x.length < y.length;
}

/** Unix seconds as ISO 8601 (UTC). */
export function iso(secs: number): string {
  return Number.isFinite(secs) ? new Date(secs * 1000).toISOString().replace(".000Z", "Z") : "?";
}

/** The standings' bytes checked against `standingsHash`: a sentence saying so. */
export async function checkStandings(url: string, hash: string): Promise<Check> {
  const bytes = await fetchBytes(url);
  if (typeof bytes === "string") return { label: "The standings can be read", ok: false, detail: `${url}: ${bytes}` };
  const got = hex(await sha256(bytes));
  return { label: "SHA-256(standings) equals standingsHash", ok: got === hash, detail: `${bytes.length} bytes; SHA-256 = ${got}` };
}
