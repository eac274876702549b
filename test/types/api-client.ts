// Type-level tests of the API types generated from edge/openapi.json
// (www/src/api/schema.d.ts) and of the client built on them
// (www/src/api/client.ts). Never run: `tsc -p www` (the lint layer) checks
// them, so a path, parameter, body or response that drifts from the document
// fails the lint. Every `@ts-expect-error` line must stay an error.
import { createApiClient, type Schema } from "../../www/src/api/client";

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(proof: Equal<A, B>): void {
  void proof;
}

const api = createApiClient("https://rocket.example", "rt_pk_example");

export async function knownCalls(): Promise<void> {
  // Joining a contest: a path parameter and a body with the required email.
  const joined = await api.POST("/api/v1/contests/{contestId}/entries", {
    params: { path: { contestId: "ct_1" } },
    body: { email: "ada@example.com", name: "Ada", referralCode: null },
  });
  if (joined.data) {
    const entry: Schema<"EntryCreated"> = joined.data.data;
    const fields: [string, string, number, boolean] = [entry.id, entry.referralCode, entry.totalPoints, entry.alreadyExists];
    same<typeof entry.status, "active" | "disqualified">(true);
    void fields;
  } else {
    // Every error is the documented envelope.
    same<typeof joined.error, { success: false; error: string }>(true);
  }

  // The open referral API the widget and the tracker use.
  const checked = await api.GET("/api/referral/validate-code", {
    params: { query: { code: "ADA2026", contestId: "ct_1" } },
  });
  if (checked.data?.valid) {
    const shown: [string, string | null, string] = [
      checked.data.referrerEmail,
      checked.data.referrerName,
      checked.data.contestId,
    ];
    void shown;
  }
  const signup = await api.POST("/api/referral/track-signup", {
    body: { email: "friend@example.com", contestId: "ct_1", referralCode: "ADA2026", turnstileToken: null },
  });
  if (signup.data && "status" in signup.data.data) {
    same<typeof signup.data.data.status, "confirmed" | "pending" | "none">(true);
  }

  // The owner's contests: no parameter needed.
  const contests = await api.GET("/api/v1/contests");
  if (contests.data) {
    const names: string[] = contests.data.data.map((c) => c.name);
    void names;
  }
  // A contest from its name alone: request fields with a server default stay
  // optional (scripts/build-api-types.sh, --default-non-nullable=false).
  void api.POST("/api/v1/contests", { body: { name: "Spring" } });
  void api.PATCH("/api/v1/contests/{contestId}", { params: { path: { contestId: "ct_1" } }, body: { holdDays: 3 } });

  // A participant's own view.
  const entry = await api.GET("/api/v1/entries/{entryId}", { params: { path: { entryId: "en_1" } } });
  if (entry.data) {
    const points: number = entry.data.data.totalPoints;
    void points;
  }
}

export function refusedCalls(): void {
  // @ts-expect-error: no such path
  void api.GET("/api/v1/no-such-path", {});
  // @ts-expect-error: validate-code is a GET only
  void api.POST("/api/referral/validate-code", { body: {} });
  // @ts-expect-error: validate-code needs its query parameters
  void api.GET("/api/referral/validate-code", {});
  void api.POST("/api/v1/contests/{contestId}/entries", {
    params: { path: { contestId: "ct_1" } },
    // @ts-expect-error: the email is required
    body: { name: "Ada" },
  });
  // @ts-expect-error: the contest id is a path parameter that must be given
  void api.POST("/api/v1/contests/{contestId}/entries", { body: { email: "ada@example.com" } });
  void api.POST("/api/referral/track-signup", {
    // @ts-expect-error: a signup names its contest and the advocate's code
    body: { email: "friend@example.com" },
  });
}
