// A page's use of the tracker, typed by www/referral-tracker.d.ts (the file the
// README links). Never run: `tsc -p www` (the lint layer) checks it, so a
// declaration that drifts from the documented calls fails the lint. Every
// `@ts-expect-error` line must stay an error.

export function onSignupForm(email: string, name: string, turnstileToken: string): void {
  // The seed's calls, through the stub or the loaded tracker alike.
  void RocketTracker.trackSignup(email);
  void RocketTracker.trackSignup(email, name);
  void RocketTracker.trackSignup(email, { name, turnstileToken }).then((reply) => {
    if (!reply.success) console.warn(reply.error);
  });
  void RocketTracker.trackPurchase("order-1", 49.99, "USD", email);
  void RocketTracker.trackPurchase("order-2", "10", "EUR", email);
  // @ts-expect-error the currency and the buyer's email are required
  void RocketTracker.trackPurchase("order-3", 10);
  // @ts-expect-error an email is a string
  void RocketTracker.trackSignup(42);
}

export function withConsentBanner(accepted: boolean): void {
  // Consent mode (script option consent=required): the banner's answer.
  RocketTracker.consent(accepted);
  // @ts-expect-error consent takes a boolean
  RocketTracker.consent("yes");
}

export function referralField(input: HTMLInputElement): void {
  // The loaded API answers a value; before load (the stub) a promise of it.
  RocketTracker.ready((tracker) => {
    const code: string | null = tracker.getReferralCode();
    input.value = code ?? "";
  });
  addEventListener("rockettracker:ready", (event) => {
    const code: string | null = event.detail.getReferralCode();
    input.value = code ?? "";
  });
  // @ts-expect-error before ready() it may be the stub's promise, not a string
  const early: string | null = RocketTracker.getReferralCode();
  void early;
}
