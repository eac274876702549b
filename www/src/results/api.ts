// The open results this page reads, typed from edge/openapi.json's generated
// types (../api/schema.d.ts), and its one call.
import type { components } from "../api/schema";

type Schemas = components["schemas"];
/** `GET /api/referral/results?contestId=`. */
export type Results = Schemas["ContestResults"];
export type Prize = Results["prizes"][number];
/** A draw prize's public record (docs/DRAWS.md). */
export type Draw = Schemas["DrawRecord"];
export type Beacon = NonNullable<Draw["beacon"]>;
export type Pick = Draw["picks"][number];
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
