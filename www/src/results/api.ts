// The open results this page reads, typed from edge/openapi.json's generated
// types (../api/schema.d.ts), and its one call.
import type { components } from "../api/schema";

type Schemas = components["schemas"];
/** `GET /api/referral/results?contestId=`. */
export type Results = Schemas["ContestResults"];
/** A draw prize's public record (docs/DRAWS.md), as the results give it. */
export interface Draw {
  winners: number;
  weighting: "points" | "equal";
  eligibility: { minPoints?: number; minReferrals?: number };
  seedCommitment: string;
  seed: string | null;
  listHash: string | null;
  listUrl: string | null;
  listEntries: number | null;
  listWeight: string | null;
  beacon: Beacon | null;
  drawnAt: string | null;
  picks: Pick[];
}
export interface Beacon {
  chainHash: string;
  genesis: number;
  period: number;
  round: number;
  randomness: string | null;
  signature: string | null;
}
export interface Pick {
  k: number;
  entryId: string;
  name: string | null;
  voided: boolean;
  voidReason: string | null;
  voidedAt: string | null;
}
export type Prize = Results["prizes"][number] & { draw?: Draw };
export type AuditLine = Schemas["AuditLine"];

/** The results, or null when they cannot be read (any failure: the page
 * then shows nothing of them). */
export async function fetchResults(origin: string, contestId: string): Promise<Results | null> {
  try {
    const res = await fetch(`${origin}/api/referral/results?contestId=${encodeURIComponent(contestId)}`);
    if (!res.ok) return null;
    const body = (await res.json()) as { success?: boolean; data?: Results };
    return body.success && body.data ? body.data : null;
  } catch {
    return null;
  }
}

/** A published file's exact bytes (the eligible list, the standings). */
export async function fetchBytes(url: string): Promise<Uint8Array<ArrayBuffer> | string> {
  try {
    const res = await fetch(url);
    if (!res.ok) return `HTTP ${res.status}`;
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    return e instanceof Error ? e.message : "no answer";
  }
}
