// The dashboard's settings draft (www/src/dashboard/settings-draft.ts) in
// Node, outside the browser: the contest as the form's inputs hold it, the
// PATCH body of only what changed, the currency rates' checks, the write-only
// secrets. The module is TypeScript importing its neighbours the bundler's way
// (no extensions), so esbuild (the dashboard's own bundler) bundles it in
// memory and the test imports the result; it must not pull in Preact.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("../../www/src/dashboard/settings-draft.ts", import.meta.url));

/** @type {typeof import("../../www/src/dashboard/settings-draft")} */
let draft;
/** @type {string[]} */
let inputs = [];

before(async () => {
  const out = await build({ entryPoints: [ENTRY], bundle: true, format: "esm", platform: "neutral", write: false, metafile: true, logLevel: "silent" });
  inputs = Object.keys(out.metafile.inputs);
  const code = /** @type {{ text: string }} */ (out.outputFiles[0]).text;
  draft = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
});

/** A contest as GET /api/v1/contests/{id} answers it; `over` replaces fields.
 * @param {Partial<import("../../www/src/api/client").Schema<"Contest">>} [over] */
function contest(over = {}) {
  return {
    id: "c_1",
    name: "Spring",
    description: null,
    status: /** @type {const} */ ("active"),
    endsAt: "2026-06-01T00:00:00Z",
    advocatePoints: 10,
    friendPoints: 5,
    purchasePointsPerUnit: 1.5,
    purchasePointsTo: /** @type {const} */ ("advocate"),
    referralEnabled: true,
    referrerReward: 0,
    refereeReward: 0,
    rewardCurrency: "USD",
    stripeConfigured: false,
    campaignUrl: "https://example.com/",
    rewardHeader: null,
    rewardDescription: null,
    shareWidgetHeader: null,
    shareWidgetDescription: null,
    rewardType: /** @type {const} */ ("Points"),
    browserPurchases: /** @type {const} */ ("pending"),
    maxPointsPerPurchase: 10000,
    maxPointsPerAdjustment: 1000,
    pointsCurrency: "USD",
    currencyRates: { EUR: 1.08, GBP: 1.27 },
    referralAwards: /** @type {const} */ ("instant"),
    maxReferralsPerHour: 20,
    holdDays: 0,
    requireEmailConfirmation: false,
    confirmationDays: 7,
    exposeReferrerEmail: false,
    turnstileEnabled: false,
    turnstileSiteKey: null,
    autoFinalizeAfterHours: null,
    emailFrom: null,
    emailFromName: null,
    emailReplyTo: null,
    emailLocale: /** @type {const} */ ("en"),
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    endedAt: null,
    finalizing: false,
    finalizedAt: null,
    hasMonetaryReward: false,
    webhookSecret: null,
    ...over,
  };
}

const noSecrets = () => ({ stripe: draft.noSecret, turnstile: draft.noSecret });

test("the module is plain: no Preact in what it imports", () => {
  assert.ok(inputs.some((f) => f.endsWith("settings-draft.ts")), `bundled ${inputs}`);
  assert.deepEqual(inputs.filter((f) => /node_modules|\.tsx$/.test(f)), [], "no package and no component");
});

test("the draft holds the contest as the inputs show it; unchanged, it sends nothing", () => {
  const c = contest();
  const d = draft.draftOf(c);
  assert.equal(d.description, "", "null text is an empty input");
  assert.equal(d.endsAt, "2026-06-01T00:00", "a datetime-local value read as UTC");
  assert.equal(d.purchasePointsPerUnit, "1.5");
  assert.deepEqual(
    d.currencyRates.map((r) => [r.code, r.rate]),
    [["EUR", "1.08"], ["GBP", "1.27"]],
  );
  assert.deepEqual(draft.changes(c, d), { body: {} });
  assert.deepEqual(draft.settingsUpdate(c, d, noSecrets()), { body: {} });
});

test("only the changed fields are sent, as the API takes them", () => {
  const c = contest();
  const d = {
    ...draft.draftOf(c),
    name: "Summer",
    advocatePoints: "12",
    referralEnabled: false,
    referralAwards: /** @type {const} */ ("review"),
    holdDays: "14",
    endsAt: "2026-07-01T12:30",
  };
  assert.deepEqual(draft.changes(c, d), {
    body: { name: "Summer", advocatePoints: 12, referralEnabled: false, referralAwards: "review", holdDays: 14, endsAt: "2026-07-01T12:30:00Z" },
  });
  assert.deepEqual(draft.changes(c, { ...draft.draftOf(c), endsAt: "" }), { body: { endsAt: null } }, "a cleared end");
});

test("the same number or code typed differently is no change; a new code goes upper-case", () => {
  const c = contest();
  const same = { ...draft.draftOf(c), purchasePointsPerUnit: "1.50", maxPointsPerPurchase: "10000.0", pointsCurrency: "usd", rewardCurrency: " USD " };
  assert.deepEqual(draft.changes(c, same), { body: {} });
  const other = { ...draft.draftOf(c), purchasePointsPerUnit: "2", pointsCurrency: " eur " };
  assert.deepEqual(draft.changes(c, other), { body: { purchasePointsPerUnit: 2, pointsCurrency: "EUR" } });
});

test("finalize automatically: blank is never (null), 0 is at the end, whole hours only", () => {
  const off = contest();
  assert.equal(draft.draftOf(off).autoFinalizeAfterHours, "");
  assert.deepEqual(draft.changes(off, { ...draft.draftOf(off), autoFinalizeAfterHours: "0" }), { body: { autoFinalizeAfterHours: 0 } });
  assert.deepEqual(draft.changes(off, { ...draft.draftOf(off), autoFinalizeAfterHours: " 48 " }), { body: { autoFinalizeAfterHours: 48 } });
  const on = contest({ autoFinalizeAfterHours: 0 });
  assert.equal(draft.draftOf(on).autoFinalizeAfterHours, "0");
  assert.deepEqual(draft.changes(on, { ...draft.draftOf(on), autoFinalizeAfterHours: "" }), { body: { autoFinalizeAfterHours: null } });
  assert.deepEqual(draft.changes(on, draft.draftOf(on)), { body: {} });
  const bad = draft.changes(off, { ...draft.draftOf(off), autoFinalizeAfterHours: "1.5" });
  assert.ok("problem" in bad && /whole hours/.test(bad.problem), JSON.stringify(bad));
});

test("blank optional text is sent as null, which clears it", () => {
  const c = contest({ description: "Old", rewardHeader: "Win" });
  const d = { ...draft.draftOf(c), description: "  ", campaignUrl: "", rewardHeader: " ", shareWidgetHeader: "Share!" };
  assert.deepEqual(draft.changes(c, d), {
    body: { description: null, campaignUrl: null, rewardHeader: null, shareWidgetHeader: "Share!" },
  });
});

test("email: the sender trimmed, blank clears it, the language as chosen", () => {
  const c = contest({ emailFrom: "old@mail.example.com", emailFromName: "Shop" });
  const d = { ...draft.draftOf(c), emailFrom: " new@mail.example.com ", emailFromName: " ", emailLocale: /** @type {const} */ ("fr") };
  assert.deepEqual(draft.changes(c, d), {
    body: { emailFrom: "new@mail.example.com", emailFromName: null, emailLocale: "fr" },
  });
  assert.deepEqual(draft.changes(c, draft.draftOf(c)), { body: {} });
});

test("currency rates: the whole map when it changed, in any row order; an empty row is ignored", () => {
  const c = contest();
  const d = draft.draftOf(c);
  const reordered = { ...d, currencyRates: [...d.currencyRates].reverse().concat([draft.blankRateRow()]) };
  assert.deepEqual(draft.changes(c, reordered), { body: {} });
  const added = { ...d, currencyRates: [...d.currencyRates, { ...draft.blankRateRow(), code: "jpy", rate: "0.0064" }] };
  assert.deepEqual(draft.changes(c, added), { body: { currencyRates: { EUR: 1.08, GBP: 1.27, JPY: 0.0064 } } });
  assert.deepEqual(draft.changes(c, { ...d, currencyRates: [] }), { body: { currencyRates: {} } }, "all removed");
});

test("currency rates: a bad code, a code twice or a rate not above 0 is the problem shown, nothing is sent", () => {
  const c = contest();
  const d = draft.draftOf(c);
  const row = (/** @type {string} */ code, /** @type {string} */ rate) => ({ ...draft.blankRateRow(), code, rate });
  const problem = (/** @type {{ key: number, code: string, rate: string }[]} */ rows) => draft.changes(c, { ...d, name: "Changed", currencyRates: rows });
  assert.deepEqual(problem([row("EU", "1")]), { problem: 'Currency rates: "EU" is not a 3-letter currency code.' });
  assert.deepEqual(problem([row("usd", "1"), row("USD ", "2")]), { problem: "Currency rates: USD is listed twice." });
  assert.deepEqual(problem([row("CHF", "0")]), { problem: "Currency rates: the rate of CHF must be a number above 0." });
  assert.deepEqual(problem([row("CHF", "")]), { problem: "Currency rates: the rate of CHF must be a number above 0." });
  assert.deepEqual(draft.settingsUpdate(c, { ...d, currencyRates: [row("CHF", "-1")] }, noSecrets()), {
    problem: "Currency rates: the rate of CHF must be a number above 0.",
  });
});

test("write-only secrets: typed is sent trimmed, cleared is null, blank is left alone", () => {
  assert.equal(draft.secretChange({ value: "  whsec_1 ", clear: false }), "whsec_1");
  assert.equal(draft.secretChange({ value: "", clear: true }), null);
  assert.equal(draft.secretChange({ value: "  ", clear: false }), undefined);
  const c = contest();
  const d = draft.draftOf(c);
  assert.deepEqual(draft.settingsUpdate(c, d, { stripe: { value: "whsec_2", clear: false }, turnstile: { value: "", clear: true } }), {
    body: { stripeWebhookSecret: "whsec_2", turnstileSecret: null },
  });
});

test("email confirmation: the switch and the days as numbers (\"07\" after 7 is no change)", () => {
  const c = contest();
  const d = draft.draftOf(c);
  assert.equal(d.requireEmailConfirmation, false);
  assert.equal(d.confirmationDays, "7");
  assert.deepEqual(draft.changes(c, { ...d, confirmationDays: "07" }), { body: {} });
  assert.deepEqual(draft.changes(c, { ...d, requireEmailConfirmation: true, confirmationDays: "3" }), {
    body: { requireEmailConfirmation: true, confirmationDays: 3 },
  });
});
