// The widget's calls: a small fetch wrapper typed by the types generated from
// edge/openapi.json (../api/schema.d.ts). Not openapi-fetch: every byte here is
// paid by every visitor of every site that embeds the widget. Every call
// resolves; a network failure is status 0, never a throw.
import type { components, paths } from "../api/schema";

type Schemas = components["schemas"];
export type Entry = Schemas["Entry"];
export type BonusAction = Schemas["EntryBonusAction"];
export type Contest = Schemas["Contest"];
export type LeaderboardRow = Schemas["LeaderboardRow"];
/** `GET /api/referral/results`: the contest's prizes, and their winners once finalized. */
export type Results = Schemas["ContestResults"];

/** The `data` of an operation's 200 answer. */
type Data<Op> = Op extends { responses: { 200: { content: { "application/json": { data: infer D } } } } } ? D : never;
/** The JSON body an operation takes. */
type Body<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

type EntryPath = paths["/api/v1/entries/{entryId}"];
type BonusPath = paths["/api/v1/entries/{entryId}/bonus-actions"];
type CompletePath = paths["/api/v1/entries/{entryId}/bonus-actions/{bonusActionId}/complete"];
type ContestPath = paths["/api/v1/contests/{contestId}"];
type LeaderboardPath = paths["/api/v1/contests/{contestId}/leaderboard"];

export type Completion = Data<CompletePath["post"]>;
export type CompleteBody = Body<CompletePath["post"]>;

/** `POST /api/referral/join`: a new entry comes with its participant token;
 * an email already in gets `alreadyIn` and nothing else. */
export type JoinBody = Schemas["JoinRequest"];
/** `GET /api/referral/join`: what the join form needs (accepting, texts, Turnstile's site key). */
export type JoinFormFacts = Schemas["JoinForm"];
export type Joined = Schemas["JoinResult"] | Schemas["AlreadyIn"];
/** `POST /api/referral/portal-link`: the sign-in link by email (same answer for any address). */
export type PortalBody = Schemas["PortalLinkRequest"];

/** An answer: its data, or the status (0: no answer) and the API's error text. */
export type Result<T> = { ok: true; data: T } | { ok: false; status: number; error: string };

const enc = encodeURIComponent;

/** The entry id a participant token is for: `rtp_<entryId>.<expires>.<hmac>`. */
export function entryIdOf(token: string): string | null {
  const m = /^rtp_([^.]+)\.\d+\.[0-9a-f]+$/i.exec(token.trim());
  return m ? (m[1] ?? null) : null;
}

/** The API at `origin`, as the holder of `token` (a participant token) or as nobody. */
export function apiFor(origin: string, token: string | null) {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<Result<T>> {
    try {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(origin + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json: unknown = await res.json().catch(() => null);
      const reply = (json ?? {}) as { success?: unknown; data?: unknown; error?: unknown };
      if (res.ok && reply.success === true) return { ok: true, data: reply.data as T };
      return { ok: false, status: res.status, error: typeof reply.error === "string" ? reply.error : "" };
    } catch {
      return { ok: false, status: 0, error: "" };
    }
  }
  return {
    entry: (entryId: string) => call<Data<EntryPath["get"]>>("GET", `/api/v1/entries/${enc(entryId)}`),
    bonusActions: (entryId: string) =>
      call<Data<BonusPath["get"]>>("GET", `/api/v1/entries/${enc(entryId)}/bonus-actions`),
    complete: (entryId: string, actionId: string, body: CompleteBody) =>
      call<Completion>(
        "POST",
        `/api/v1/entries/${enc(entryId)}/bonus-actions/${enc(actionId)}/complete`,
        body,
      ),
    contest: (contestId: string) => call<Data<ContestPath["get"]>>("GET", `/api/v1/contests/${enc(contestId)}`),
    leaderboard: (contestId: string) =>
      call<Data<LeaderboardPath["get"]>>("GET", `/api/v1/contests/${enc(contestId)}/leaderboard?limit=10`),
    results: (contestId: string) => call<Results>("GET", `/api/referral/results?contestId=${enc(contestId)}`),
    joinForm: (contestId: string) => call<JoinFormFacts>("GET", `/api/referral/join?contestId=${enc(contestId)}`),
    join: (body: JoinBody) => call<Joined>("POST", "/api/referral/join", body),
    portalLink: (body: PortalBody) => call<unknown>("POST", "/api/referral/portal-link", body),
  };
}

export type Api = ReturnType<typeof apiFor>;
