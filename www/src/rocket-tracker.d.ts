// The page API of the tracker, `window.RocketTracker` (README, "Embedding the
// tracker"), as the pages that call it see it: the inline stub (www/stub.js)
// and the loader (tracker/js/loader.js) queue calls until the wasm is ready,
// then the loaded API answers them.

/** What `trackSignup` and `trackPurchase` resolve to: the server's answer, or
 * `{success: false, error}` when nothing was sent or the API is unreachable. */
interface RocketTrackerReply {
  success: boolean;
  error?: string;
  data?: Record<string, unknown>;
}

interface RocketTrackerCalls {
  trackSignup(email: string, options?: string | { name?: string; turnstileToken?: string }): Promise<RocketTrackerReply>;
  trackPurchase(orderId: string, amount: number | string, currency: string, email: string): Promise<RocketTrackerReply>;
  /** Calls `callback` with the loaded API once the tracker has loaded. */
  ready(callback: (tracker: RocketTrackerApi) => void): void;
}

/** The loaded tracker. */
interface RocketTrackerApi extends RocketTrackerCalls {
  /** The stored referral code, or null. */
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
