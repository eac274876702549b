// TypeScript declarations for the tracker's page API, `window.RocketTracker`
// (README, "Embedding the tracker"). Copy this file into your project (or
// reference it) to type your calls: the inline stub (www/stub.js) and the
// loader (tracker/js/loader.js) queue calls until the tracker can answer,
// then the loaded API answers them. Checked by `tsc` against
// test/types/tracker-usage.ts in the lint layer.

/** What `trackSignup` and `trackPurchase` resolve to: the server's answer, or
 * `{success: false, error}` when nothing was sent ("Not referred", "No
 * consent") or the API is unreachable. */
interface RocketTrackerReply {
  success: boolean;
  error?: string;
  data?: Record<string, unknown>;
}

interface RocketTrackerCalls {
  /** `trackSignup(email)`, `trackSignup(email, name)` or `trackSignup(email, { name, turnstileToken })`. */
  trackSignup(email: string, options?: string | { name?: string; turnstileToken?: string }): Promise<RocketTrackerReply>;
  trackPurchase(orderId: string, amount: number | string, currency: string, email: string): Promise<RocketTrackerReply>;
  /** With the script option `consent=required`: `consent(true)` once the
   * visitor agreed (stores the page's code and sends its visit);
   * `consent(false)` clears what was stored and stops. */
  consent(given: boolean): void;
  /** Calls `callback` with the loaded API once the tracker can answer. */
  ready(callback: (tracker: RocketTrackerApi) => void): void;
}

/** The loaded tracker. */
interface RocketTrackerApi extends RocketTrackerCalls {
  /** The referral code, or null (before consent, where it is required: the
   * code of this page's URL only). */
  getReferralCode(): string | null;
}

/** Before the tracker has loaded: calls queue in `q` (method, arguments and,
 * but for `ready`, the promise's resolve) and answer promises. */
interface RocketTrackerQueue extends RocketTrackerCalls {
  q: [method: string, args: ArrayLike<unknown>, resolve?: (value: unknown) => void][];
  getReferralCode(): Promise<string | null>;
}

/** `window.RocketTracker` on a page that embeds the stub or the tracker. */
declare var RocketTracker: RocketTrackerApi | RocketTrackerQueue;

interface WindowEventMap {
  /** Fired once the tracker can answer; `detail` is the loaded API. */
  "rockettracker:ready": CustomEvent<RocketTrackerApi>;
}
