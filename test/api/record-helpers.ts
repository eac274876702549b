// Helpers for the public record of issue 25 (besides the draws): the final
// standings' bytes at their open URL, and their SHA-256 computed here.
import { call, type Reply } from "./app";

/** `GET /api/referral/results/:contestId/standings` (no key). */
export function standingsText(contestId: string): Promise<Reply> {
  return call("GET", `/api/referral/results/${encodeURIComponent(contestId)}/standings`);
}

/** Lowercase hex SHA-256 of a text's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The standings' lines as the document states them, from the v1 standings rows. */
export function linesOf(rows: { rank: number; entryId: string; points: number; reachedAt: string }[]): string {
  return rows.map((r) => `${r.rank}\t${r.entryId}\t${r.points}\t${r.reachedAt}\n`).join("");
}
