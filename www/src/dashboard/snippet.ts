// What a site owner pastes into their pages for one contest, and the URLs
// they paste into Stripe and their own server, on this dashboard's origin
// (the worker serves the tracker, the API and the dashboard together).

/** `<script async src="https://host/referral-tracker.js?campaignId=ct_…">`. */
export function trackerTag(origin: string, contestId: string): string {
  return `<script async src="${origin}/referral-tracker.js?campaignId=${encodeURIComponent(contestId)}"></script>`;
}

/** The optional inline stub: calls made before the tracker loads are queued. */
export function stubTag(): string {
  return `<script>${STUB_JS}</script>`;
}

export function webhookUrl(origin: string, kind: "stripe" | "signup" | "purchase", contestId: string): string {
  return `${origin}/api/webhooks/${kind}/${encodeURIComponent(contestId)}`;
}
