// What a site owner pastes into their pages for one contest, and the URLs
// they paste into Stripe and their own server, on this dashboard's origin
// (the worker serves the tracker, the API and the dashboard together).

/** `<script async src="https://host/referral-tracker.js?campaignId=ct_…">`;
 * with `consent`, `&consent=required` (nothing stored or sent until
 * `RocketTracker.consent(true)`). */
export function trackerTag(origin: string, contestId: string, consent = false): string {
  const options = `campaignId=${encodeURIComponent(contestId)}${consent ? "&consent=required" : ""}`;
  return `<script async src="${origin}/referral-tracker.js?${options}"></script>`;
}

/** First-party mode: the same worker on the site's own domain under /rt/ (a
 * Worker route), so the referral cookie is set by the server. */
export function firstPartyTag(contestId: string): string {
  return `<script async src="/rt/referral-tracker.js?campaignId=${encodeURIComponent(contestId)}"></script>`;
}

/** What a consent banner calls once the visitor agrees (or `false` to withdraw). */
export const CONSENT_CALL = "RocketTracker.consent(true);";

/** The optional inline stub: calls made before the tracker loads are queued. */
export function stubTag(): string {
  return `<script>${STUB_JS}</script>`;
}

/** The participant widget for one contest: the join form, or with
 * `data-token` (a participant token your server mints per logged-in user)
 * that participant's view. */
export function widgetTag(origin: string, contestId: string, withToken = false): string {
  const token = withToken ? ' data-token="PARTICIPANT_TOKEN"' : "";
  return `<div id="rocket-referral"></div>\n<script async src="${origin}/widget.js" data-contest="${contestId}"${token}></script>`;
}

export function webhookUrl(origin: string, kind: "stripe" | "signup" | "purchase", contestId: string): string {
  return `${origin}/api/webhooks/${kind}/${encodeURIComponent(contestId)}`;
}
