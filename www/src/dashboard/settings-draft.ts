// The settings form's draft, without Preact: the contest as the inputs hold
// it, the currency rates as rows, the write-only secrets, and the PATCH body
// of what changed (or the problem to show instead). Plain functions, so
// test/e2e/settings-draft.test.mjs runs them in Node, outside the browser.
import type { Schema } from "../api/client";
import { fromUtcInput, toUtcInput } from "./format";

type Contest = Schema<"Contest">;
export type Update = Schema<"ContestUpdate">;

/** One currency rate as the inputs hold it; `key` keeps a row's inputs when another is removed. */
export interface RateRow {
  key: number;
  code: string;
  rate: string;
}

/** The form's values, as the inputs hold them. */
export interface Draft {
  name: string;
  description: string;
  status: Schema<"ContestStatus">;
  endsAt: string;
  /** Blank: never (null). */
  autoFinalizeAfterHours: string;
  advocatePoints: string;
  friendPoints: string;
  referralEnabled: boolean;
  browserPurchases: Schema<"BrowserPurchases">;
  referralAwards: Schema<"ReferralAwards">;
  holdDays: string;
  maxReferralsPerHour: string;
  purchasePointsPerUnit: string;
  purchasePointsTo: Schema<"PurchasePointsTo">;
  pointsCurrency: string;
  maxPointsPerPurchase: string;
  maxPointsPerAdjustment: string;
  currencyRates: RateRow[];
  rewardType: Schema<"RewardType">;
  referrerReward: string;
  refereeReward: string;
  rewardCurrency: string;
  campaignUrl: string;
  rewardHeader: string;
  rewardDescription: string;
  shareWidgetHeader: string;
  shareWidgetDescription: string;
  exposeReferrerEmail: boolean;
  turnstileSiteKey: string;
  emailFrom: string;
  emailFromName: string;
  emailReplyTo: string;
  emailLocale: Schema<"EmailLocale">;
  requireEmailConfirmation: boolean;
  confirmationDays: string;
}

/** The Draft fields an input of text or number holds. */
export type TextKey = { [K in keyof Draft]: string extends Draft[K] ? K : never }[keyof Draft];

let nextKey = 0;

/** A new empty row (the owner adds one, then types its code and rate). */
export function blankRateRow(): RateRow {
  return { key: nextKey++, code: "", rate: "" };
}

/** The stored map as rows, by code. */
export function rateRows(rates: Record<string, number>): RateRow[] {
  return Object.entries(rates)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, rate]) => ({ key: nextKey++, code, rate: String(rate) }));
}

/** The rows as the API's map (codes upper-case), or the problem to show. */
export function ratesOf(rows: RateRow[]): { rates: Record<string, number> } | { problem: string } {
  const rates: Record<string, number> = {};
  for (const row of rows) {
    const code = row.code.trim().toUpperCase();
    if (code === "" && row.rate.trim() === "") continue; // an empty row added and left
    if (!/^[A-Z]{3}$/.test(code)) return { problem: `Currency rates: "${row.code}" is not a 3-letter currency code.` };
    if (code in rates) return { problem: `Currency rates: ${code} is listed twice.` };
    const rate = Number(row.rate);
    if (row.rate.trim() === "" || !Number.isFinite(rate) || rate <= 0) {
      return { problem: `Currency rates: the rate of ${code} must be a number above 0.` };
    }
    rates[code] = rate;
  }
  return { rates };
}

/** Whether two maps hold the same rates. */
export function sameRates(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

export function draftOf(c: Contest): Draft {
  return {
    name: c.name,
    description: c.description ?? "",
    status: c.status,
    endsAt: toUtcInput(c.endsAt),
    autoFinalizeAfterHours: c.autoFinalizeAfterHours == null ? "" : String(c.autoFinalizeAfterHours),
    advocatePoints: String(c.advocatePoints),
    friendPoints: String(c.friendPoints),
    referralEnabled: c.referralEnabled,
    browserPurchases: c.browserPurchases,
    referralAwards: c.referralAwards,
    holdDays: String(c.holdDays),
    maxReferralsPerHour: String(c.maxReferralsPerHour),
    purchasePointsPerUnit: String(c.purchasePointsPerUnit),
    purchasePointsTo: c.purchasePointsTo,
    pointsCurrency: c.pointsCurrency,
    maxPointsPerPurchase: String(c.maxPointsPerPurchase),
    maxPointsPerAdjustment: String(c.maxPointsPerAdjustment),
    currencyRates: rateRows(c.currencyRates),
    rewardType: c.rewardType,
    referrerReward: String(c.referrerReward),
    refereeReward: String(c.refereeReward),
    rewardCurrency: c.rewardCurrency,
    campaignUrl: c.campaignUrl ?? "",
    rewardHeader: c.rewardHeader ?? "",
    rewardDescription: c.rewardDescription ?? "",
    shareWidgetHeader: c.shareWidgetHeader ?? "",
    shareWidgetDescription: c.shareWidgetDescription ?? "",
    exposeReferrerEmail: c.exposeReferrerEmail,
    turnstileSiteKey: c.turnstileSiteKey ?? "",
    emailFrom: c.emailFrom ?? "",
    emailFromName: c.emailFromName ?? "",
    emailReplyTo: c.emailReplyTo ?? "",
    emailLocale: c.emailLocale,
    requireEmailConfirmation: c.requireEmailConfirmation,
    confirmationDays: String(c.confirmationDays),
  };
}

/** Blank optional text is sent as null, which clears it. */
const orNull = (s: string): string | null => (s.trim() === "" ? null : s);

/** The PATCH body: the fields whose value changed, as the API takes them,
 * or the problem to show instead. */
export function changes(contest: Contest, after: Draft): { body: Update } | { problem: string } {
  const before = draftOf(contest);
  const body: Update = {};
  const changed = (k: keyof Draft) => before[k] !== after[k];
  // "1.50" after "1.5" is no change; nor is "usd" after "USD".
  const changedNumber = (k: TextKey) => Number(before[k]) !== Number(after[k]);
  const changedCode = (k: TextKey) => before[k].toUpperCase() !== after[k].trim().toUpperCase();
  if (changed("name")) body.name = after.name;
  if (changed("description")) body.description = after.description.trim() === "" ? null : after.description;
  if (changed("status")) body.status = after.status;
  if (changed("endsAt")) body.endsAt = fromUtcInput(after.endsAt);
  const hours = after.autoFinalizeAfterHours.trim();
  // Blank is never (null), which 0 (at the end) is not.
  if ((before.autoFinalizeAfterHours === "") !== (hours === "") || Number(before.autoFinalizeAfterHours) !== Number(hours)) {
    if (hours !== "" && !/^\d+$/.test(hours)) return { problem: "Finalize automatically after: whole hours, or blank for never." };
    body.autoFinalizeAfterHours = hours === "" ? null : Number(hours);
  }
  if (changed("advocatePoints")) body.advocatePoints = Number(after.advocatePoints);
  if (changed("friendPoints")) body.friendPoints = Number(after.friendPoints);
  if (changed("referralEnabled")) body.referralEnabled = after.referralEnabled;
  if (changed("browserPurchases")) body.browserPurchases = after.browserPurchases;
  if (changed("referralAwards")) body.referralAwards = after.referralAwards;
  if (changed("holdDays")) body.holdDays = Number(after.holdDays);
  if (changed("maxReferralsPerHour")) body.maxReferralsPerHour = Number(after.maxReferralsPerHour);
  if (changedNumber("purchasePointsPerUnit")) body.purchasePointsPerUnit = Number(after.purchasePointsPerUnit);
  if (changed("purchasePointsTo")) body.purchasePointsTo = after.purchasePointsTo;
  if (changedCode("pointsCurrency")) body.pointsCurrency = after.pointsCurrency.trim().toUpperCase();
  if (changedNumber("maxPointsPerPurchase")) body.maxPointsPerPurchase = Number(after.maxPointsPerPurchase);
  if (changedNumber("maxPointsPerAdjustment")) body.maxPointsPerAdjustment = Number(after.maxPointsPerAdjustment);
  const rates = ratesOf(after.currencyRates);
  if ("problem" in rates) return rates;
  // The map sent replaces the stored one, so it goes whole.
  if (!sameRates(contest.currencyRates, rates.rates)) body.currencyRates = rates.rates;
  if (changed("rewardType")) body.rewardType = after.rewardType;
  if (changedNumber("referrerReward")) body.referrerReward = Number(after.referrerReward);
  if (changedNumber("refereeReward")) body.refereeReward = Number(after.refereeReward);
  if (changedCode("rewardCurrency")) body.rewardCurrency = after.rewardCurrency.trim().toUpperCase();
  if (changed("campaignUrl")) body.campaignUrl = orNull(after.campaignUrl);
  if (changed("rewardHeader")) body.rewardHeader = orNull(after.rewardHeader);
  if (changed("rewardDescription")) body.rewardDescription = orNull(after.rewardDescription);
  if (changed("shareWidgetHeader")) body.shareWidgetHeader = orNull(after.shareWidgetHeader);
  if (changed("shareWidgetDescription")) body.shareWidgetDescription = orNull(after.shareWidgetDescription);
  if (changed("exposeReferrerEmail")) body.exposeReferrerEmail = after.exposeReferrerEmail;
  if (changed("turnstileSiteKey")) body.turnstileSiteKey = orNull(after.turnstileSiteKey);
  if (changed("emailFrom")) body.emailFrom = orNull(after.emailFrom.trim());
  if (changed("emailFromName")) body.emailFromName = orNull(after.emailFromName);
  if (changed("emailReplyTo")) body.emailReplyTo = orNull(after.emailReplyTo.trim());
  if (changed("emailLocale")) body.emailLocale = after.emailLocale;
  if (changed("requireEmailConfirmation")) body.requireEmailConfirmation = after.requireEmailConfirmation;
  if (changedNumber("confirmationDays")) body.confirmationDays = Number(after.confirmationDays);
  return { body };
}

/** A write-only secret: a new value, or a request to clear the stored one. */
export interface SecretDraft {
  value: string;
  clear: boolean;
}

export const noSecret: SecretDraft = { value: "", clear: false };

/** What to send for a secret: null clears it, a string replaces it,
 * undefined leaves it as it is (nothing typed). */
export function secretChange(s: SecretDraft): string | null | undefined {
  if (s.clear) return null;
  return s.value.trim() === "" ? undefined : s.value.trim();
}

/** The whole PATCH of the form: the changed fields and the secrets typed or
 * cleared; an empty body means nothing changed. */
export function settingsUpdate(
  contest: Contest,
  draft: Draft,
  secrets: { stripe: SecretDraft; turnstile: SecretDraft },
): { body: Update } | { problem: string } {
  const result = changes(contest, draft);
  if ("problem" in result) return result;
  const body = result.body;
  const stripeSecret = secretChange(secrets.stripe);
  if (stripeSecret !== undefined) body.stripeWebhookSecret = stripeSecret;
  const turnstileSecret = secretChange(secrets.turnstile);
  if (turnstileSecret !== undefined) body.turnstileSecret = turnstileSecret;
  return { body };
}
