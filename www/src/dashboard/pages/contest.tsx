// A contest's settings (PATCH /api/v1/contests/{id}: only what changed is
// sent), its webhook and Stripe endpoints, and the tracker snippet to paste.
import { useState } from "preact/hooks";
import { failureText, unwrap, useSession, type Schema } from "../api";
import { fromUtcInput, toUtcInput } from "../format";
import { CURRENCY_CODE_INPUT, RatesEditor, rateRows, ratesOf, sameRates, type RateRow } from "../settings-rates";
import { CONSENT_CALL, firstPartyTag, stubTag, trackerTag, webhookUrl } from "../snippet";
import { CopyButton, Field, Notice } from "../ui";
import { ContestShell } from "./contest-shell";

type Contest = Schema<"Contest">;
type Update = Schema<"ContestUpdate">;

/** The form's values, as the inputs hold them. */
interface Draft {
  name: string;
  description: string;
  status: Schema<"ContestStatus">;
  endsAt: string;
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
}

/** The Draft fields an input of text or number holds. */
type TextKey = { [K in keyof Draft]: string extends Draft[K] ? K : never }[keyof Draft];

function draftOf(c: Contest): Draft {
  return {
    name: c.name,
    description: c.description ?? "",
    status: c.status,
    endsAt: toUtcInput(c.endsAt),
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
  };
}

/** Blank optional text is sent as null, which clears it. */
const orNull = (s: string): string | null => (s.trim() === "" ? null : s);

/** The PATCH body: the fields whose value changed, as the API takes them,
 * or the problem to show instead. */
function changes(contest: Contest, after: Draft): { body: Update } | { problem: string } {
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
  return { body };
}

/** A write-only secret: a new value, or a request to clear the stored one. */
interface SecretDraft {
  value: string;
  clear: boolean;
}
const noSecret: SecretDraft = { value: "", clear: false };

function secretChange(s: SecretDraft): string | null | undefined {
  if (s.clear) return null;
  return s.value.trim() === "" ? undefined : s.value.trim();
}

export function ContestPage({ contestId }: { contestId: string }) {
  return (
    <ContestShell contestId={contestId} tab="settings">
      {(contest, setContest) => (
        <>
          <SettingsForm key={contest.id} contest={contest} onSaved={setContest} />
          <Endpoints contest={contest} onRotated={setContest} />
          <TrackerSnippet contest={contest} />
        </>
      )}
    </ContestShell>
  );
}

function SettingsForm({ contest, onSaved }: { contest: Contest; onSaved: (c: Contest) => void }) {
  const session = useSession();
  const [draft, setDraft] = useState(() => draftOf(contest));
  const [stripe, setStripe] = useState(noSecret);
  const [turnstile, setTurnstile] = useState(noSecret);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setDraft((d) => ({ ...d, [k]: v }));
  const text = (k: TextKey) => ({
    value: draft[k],
    onInput: (e: { currentTarget: { value: string } }) => set(k)(e.currentTarget.value),
  });

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setMessage(null);
    const result = changes(contest, draft);
    if ("problem" in result) {
      setError(result.problem);
      return;
    }
    const body = result.body;
    const stripeSecret = secretChange(stripe);
    if (stripeSecret !== undefined) body.stripeWebhookSecret = stripeSecret;
    const turnstileSecret = secretChange(turnstile);
    if (turnstileSecret !== undefined) body.turnstileSecret = turnstileSecret;
    if (Object.keys(body).length === 0) {
      setMessage("Nothing changed.");
      return;
    }
    setBusy(true);
    try {
      const r = await unwrap(
        session,
        session.api.PATCH("/api/v1/contests/{contestId}", { params: { path: { contestId: contest.id } }, body }),
      );
      setDraft(draftOf(r.data));
      setStripe(noSecret);
      setTurnstile(noSecret);
      onSaved(r.data);
      setMessage("Saved.");
    } catch (err) {
      setError(failureText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} class="settings" aria-label="Contest settings">
      <fieldset>
        <legend>General</legend>
        <Field id="name" label="Name">
          <input id="name" {...text("name")} required maxLength={200} autocomplete="off" />
        </Field>
        <Field id="description" label="Description" hint="Optional; leave it blank for none.">
          <textarea id="description" {...text("description")} maxLength={2000} rows={3} aria-describedby="description-hint" />
        </Field>
        <Field id="status" label="Status" hint="Only an active contest records visits, signups and purchases.">
          <select
            id="status"
            value={draft.status}
            onChange={(e) => set("status")(e.currentTarget.value as Draft["status"])}
            aria-describedby="status-hint"
          >
            <option value="active">active</option>
            <option value="paused">paused</option>
            <option value="ended">ended</option>
          </select>
        </Field>
        <Field id="ends-at" label="Ends at (UTC)" hint="Optional; past it the contest counts as ended.">
          <input id="ends-at" type="datetime-local" {...text("endsAt")} aria-describedby="ends-at-hint" />
        </Field>
      </fieldset>

      <fieldset>
        <legend>Points</legend>
        <NumberField
          id="advocate-points"
          label="Advocate points"
          hint="To the advocate for each referred signup."
          min={0}
          max={1000000}
          whole
          {...text("advocatePoints")}
        />
        <NumberField
          id="friend-points"
          label="Friend points"
          hint="To the referred friend when they sign up."
          min={0}
          max={1000000}
          whole
          {...text("friendPoints")}
        />
        <div class="field check">
          <input
            id="referral-enabled"
            type="checkbox"
            checked={draft.referralEnabled}
            onChange={(e) => set("referralEnabled")(e.currentTarget.checked)}
          />
          <label for="referral-enabled">Referrals enabled</label>
        </div>
      </fieldset>

      <fieldset>
        <legend>Purchase points</legend>
        <NumberField
          id="purchase-points-per-unit"
          label="Purchase points per unit"
          hint="A purchase earns its amount in the points currency times this, rounded."
          min={0}
          max={10000}
          {...text("purchasePointsPerUnit")}
        />
        <Field
          id="purchase-points-to"
          label="Purchase points go to"
          hint="The advocate: a referred buyer's points go to who referred them (an unreferred buyer earns their own)."
        >
          <select
            id="purchase-points-to"
            value={draft.purchasePointsTo}
            onChange={(e) => set("purchasePointsTo")(e.currentTarget.value as Draft["purchasePointsTo"])}
            aria-describedby="purchase-points-to-hint"
          >
            <option value="advocate">the advocate</option>
            <option value="buyer">the buyer</option>
          </select>
        </Field>
        <CurrencyField id="points-currency" label="Points currency" hint="The currency whose units earn points." {...text("pointsCurrency")} />
        <NumberField
          id="max-points-per-purchase"
          label="Max points per purchase"
          hint="No single purchase earns more."
          min={0}
          max={1000000000}
          whole
          {...text("maxPointsPerPurchase")}
        />
        <NumberField
          id="max-points-per-adjustment"
          label="Max points per adjustment"
          hint="A hand adjustment of an entry's points stays within plus or minus this."
          min={1}
          max={1000000000}
          whole
          {...text("maxPointsPerAdjustment")}
        />
      </fieldset>

      <fieldset>
        <legend>Currency rates</legend>
        <RatesEditor
          rows={draft.currencyRates}
          pointsCurrency={draft.pointsCurrency}
          onChange={(rows) => set("currencyRates")(rows)}
        />
      </fieldset>

      <fieldset>
        <legend>Referral Rocket rewards</legend>
        <p class="hint">
          Double-sided rewards of the Referral Rocket campaign API: the friend earns the referee reward on joining,
          their referrer the referrer reward once the friend qualifies.
        </p>
        <Field id="reward-type" label="Reward type">
          <select
            id="reward-type"
            value={draft.rewardType}
            onChange={(e) => set("rewardType")(e.currentTarget.value as Draft["rewardType"])}
          >
            <option value="Monetary">monetary</option>
            <option value="Points">points</option>
          </select>
        </Field>
        <NumberField
          id="referrer-reward"
          label="Referrer reward"
          hint="To the advocate when a friend they referred qualifies."
          min={0}
          max={1000000000}
          {...text("referrerReward")}
        />
        <NumberField
          id="referee-reward"
          label="Referee reward"
          hint="To the friend who joins through a referral."
          min={0}
          max={1000000000}
          {...text("refereeReward")}
        />
        <CurrencyField id="reward-currency" label="Reward currency" hint="Of monetary rewards." {...text("rewardCurrency")} />
      </fieldset>

      <fieldset>
        <legend>Campaign page and share widget</legend>
        <p class="hint">Optional texts; leave one blank for none.</p>
        <Field id="campaign-url" label="Campaign URL" hint="The page referral links point to (http or https).">
          <input
            id="campaign-url"
            type="url"
            inputMode="url"
            maxLength={2048}
            autocomplete="off"
            spellcheck={false}
            placeholder="https://"
            {...text("campaignUrl")}
            aria-describedby="campaign-url-hint"
          />
        </Field>
        <Field id="reward-header" label="Reward header">
          <input id="reward-header" maxLength={200} autocomplete="off" {...text("rewardHeader")} />
        </Field>
        <Field id="reward-text" label="Reward text">
          <textarea id="reward-text" maxLength={1000} rows={3} {...text("rewardDescription")} />
        </Field>
        <Field id="share-widget-header" label="Share widget header">
          <input id="share-widget-header" maxLength={200} autocomplete="off" {...text("shareWidgetHeader")} />
        </Field>
        <Field id="share-widget-text" label="Share widget text">
          <textarea id="share-widget-text" maxLength={1000} rows={3} {...text("shareWidgetDescription")} />
        </Field>
      </fieldset>

      <fieldset>
        <legend>Integrity</legend>
        <Field
          id="browser-purchases"
          label="Purchases reported by the browser"
          hint="Pending: the award waits for your server, a webhook or Stripe to confirm the order. Award: confirmed at once."
        >
          <select
            id="browser-purchases"
            value={draft.browserPurchases}
            onChange={(e) => set("browserPurchases")(e.currentTarget.value as Draft["browserPurchases"])}
            aria-describedby="browser-purchases-hint"
          >
            <option value="pending">pending</option>
            <option value="award">award</option>
          </select>
        </Field>
        <Field
          id="referral-awards"
          label="Referral awards"
          hint="Instant: a clean referral counts at once. On purchase: the advocate's award waits for the friend's verified purchase. Review: you confirm each."
        >
          <select
            id="referral-awards"
            value={draft.referralAwards}
            onChange={(e) => set("referralAwards")(e.currentTarget.value as Draft["referralAwards"])}
            aria-describedby="referral-awards-hint"
          >
            <option value="instant">instant</option>
            <option value="onPurchase">on purchase</option>
            <option value="review">review</option>
          </select>
        </Field>
        <NumberField
          id="hold-days"
          label="Hold days"
          hint="Held awards confirm on their own after this many days; 0: never."
          min={0}
          max={365}
          whole
          {...text("holdDays")}
        />
        <NumberField
          id="max-referrals"
          label="Max referrals per hour"
          hint="An advocate's browser referrals past this many in an hour are held."
          min={1}
          max={1000000}
          whole
          {...text("maxReferralsPerHour")}
        />
        <div class="field">
          <div class="check">
            <input
              id="expose-referrer-email"
              type="checkbox"
              checked={draft.exposeReferrerEmail}
              onChange={(e) => set("exposeReferrerEmail")(e.currentTarget.checked)}
              aria-describedby="expose-referrer-email-hint"
            />
            <label for="expose-referrer-email">Show the advocate's full email when a code is checked</label>
          </div>
          <p id="expose-referrer-email-hint" class="hint">
            Otherwise validate-code shows it masked, like ja***@example.com.
          </p>
        </div>
      </fieldset>

      <fieldset>
        <legend>Secrets</legend>
        <p class="hint">Never shown back: type a new value to replace the saved one.</p>
        <SecretField
          id="stripe-secret"
          label="Stripe signing secret"
          configured={contest.stripeConfigured}
          hint={contest.stripeConfigured ? "Set. Stripe events are accepted." : "Not set: Stripe events are refused."}
          draft={stripe}
          onChange={setStripe}
        />
        <SecretField
          id="turnstile-secret"
          label="Turnstile secret key"
          configured={contest.turnstileEnabled}
          hint={
            contest.turnstileEnabled
              ? "Set. Tracker signups and widget joins need a Turnstile token."
              : "Not set: tracker signups and widget joins are not checked by Turnstile."
          }
          draft={turnstile}
          onChange={setTurnstile}
        />
        <Field
          id="turnstile-site-key"
          label="Turnstile site key"
          hint="Public: the participant widget's join form shows the Turnstile check with it. Set it with the secret key."
        >
          <input
            id="turnstile-site-key"
            maxLength={100}
            autocomplete="off"
            spellcheck={false}
            pattern="[A-Za-z0-9_\-]+"
            {...text("turnstileSiteKey")}
            aria-describedby="turnstile-site-key-hint"
          />
        </Field>
      </fieldset>

      <div class="actions">
        <button type="submit" disabled={busy}>
          Save settings
        </button>
      </div>
      <Notice error={error} message={message} />
    </form>
  );
}

/** A 3-letter currency code (ISO 4217); the API stores it upper-case. */
/** A required number input with its label and hint; `whole`: integers only. */
function NumberField(props: {
  id: string;
  label: string;
  hint: string;
  min: number;
  max: number;
  whole?: boolean;
  value: string;
  onInput: (e: { currentTarget: { value: string } }) => void;
}) {
  const { id, label, hint, min, max, whole = false, value, onInput } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="number"
        inputMode={whole ? "numeric" : "decimal"}
        min={min}
        max={max}
        step={whole ? 1 : "any"}
        required
        value={value}
        onInput={onInput}
        aria-describedby={`${id}-hint`}
      />
    </Field>
  );
}

function CurrencyField(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onInput: (e: { currentTarget: { value: string } }) => void;
}) {
  const { id, label, hint, value, onInput } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        value={value}
        onInput={onInput}
        {...CURRENCY_CODE_INPUT}
        aria-describedby={`${id}-hint`}
      />
    </Field>
  );
}

function SecretField(props: {
  id: string;
  label: string;
  hint: string;
  configured: boolean;
  draft: SecretDraft;
  onChange: (s: SecretDraft) => void;
}) {
  const { id, label, hint, configured, draft, onChange } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="password"
        autocomplete="off"
        spellcheck={false}
        maxLength={200}
        value={draft.value}
        disabled={draft.clear}
        onInput={(e) => onChange({ value: e.currentTarget.value, clear: false })}
        aria-describedby={`${id}-hint`}
      />
      {configured && (
        <div class="check">
          <input
            id={`${id}-clear`}
            type="checkbox"
            checked={draft.clear}
            onChange={(e) => onChange({ value: "", clear: e.currentTarget.checked })}
          />
          <label for={`${id}-clear`}>Remove the saved {label.toLowerCase()}</label>
        </div>
      )}
    </Field>
  );
}

function Endpoints({ contest, onRotated }: { contest: Contest; onRotated: (c: Contest) => void }) {
  const origin = location.origin;
  const stripeUrl = webhookUrl(origin, "stripe", contest.id);
  return (
    <section aria-labelledby="endpoints-heading" class="panel">
      <h2 id="endpoints-heading">Webhooks and Stripe</h2>
      <h3>Stripe</h3>
      <p>
        In Stripe, add a webhook endpoint with this URL and the events <code>checkout.session.completed</code>,{" "}
        <code>checkout.session.async_payment_succeeded</code>, <code>charge.refunded</code> and{" "}
        <code>charge.dispute.created</code>; then paste its signing secret above.
      </p>
      <Copyable id="stripe-url" label="Stripe webhook URL" text={stripeUrl} />
      <h3>Your server</h3>
      <p>
        Your server can report signups and purchases to these URLs with the webhook secret in the{" "}
        <code>x-webhook-secret</code> header.
      </p>
      <Copyable id="signup-url" label="Signup webhook URL" text={webhookUrl(origin, "signup", contest.id)} />
      <Copyable id="purchase-url" label="Purchase webhook URL" text={webhookUrl(origin, "purchase", contest.id)} />
      {contest.webhookSecret ? (
        <Copyable id="webhook-secret" label="Webhook secret" text={contest.webhookSecret} />
      ) : (
        <p class="quiet">This contest has no webhook secret.</p>
      )}
      <RotateWebhookSecret contest={contest} onRotated={onRotated} />
    </section>
  );
}

/** A new inbound webhook secret after a confirmation: the old one stops
 * working at once, so the servers that call the webhooks need the new one. */
function RotateWebhookSecret({ contest, onRotated }: { contest: Contest; onRotated: (c: Contest) => void }) {
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function rotate() {
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/contests/{contestId}/rotate-webhook-secret", { params: { path: { contestId: contest.id } } }),
      );
      setConfirming(false);
      setMessage("New webhook secret made: the old one no longer works.");
      onRotated(r.data);
    } catch (err) {
      setError(failureText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="actions">
      {confirming ? (
        <div role="group" aria-label="Confirm rotating the webhook secret" class="confirm">
          <p>Make a new webhook secret? The current one stops working at once: your server's calls fail until it has the new one.</p>
          <button type="button" class="danger" disabled={busy} onClick={rotate}>
            Yes, make a new secret
          </button>{" "}
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          Rotate the webhook secret…
        </button>
      )}
      <Notice error={error} message={message} />
    </div>
  );
}

function TrackerSnippet({ contest }: { contest: Contest }) {
  return (
    <section aria-labelledby="snippet-heading" class="panel">
      <h2 id="snippet-heading">Tracker</h2>
      <p>
        Paste this into every page of your site, before <code>&lt;/head&gt;</code>. It records referred visits and
        gives your page <code>window.RocketTracker</code> for signups and purchases.
      </p>
      <Copyable id="tracker-snippet" label="Tracker script" text={trackerTag(location.origin, contest.id)} block />
      <p>
        Optional, before it: the inline stub, so calls your page makes before the tracker has loaded are queued and
        replayed. A Content-Security-Policy must allow it by its hash.
      </p>
      <Copyable id="stub-snippet" label="Inline stub" text={stubTag()} block />
      <h3>Where consent is required</h3>
      <p>
        With this form nothing is stored or sent until your consent banner calls{" "}
        <code>{CONSENT_CALL}</code> (on every page, once the visitor agreed; <code>consent(false)</code> clears what
        was stored).
      </p>
      <Copyable id="consent-snippet" label="Tracker script, consent required" text={trackerTag(location.origin, contest.id, true)} block />
      <h3>On your own domain (first-party)</h3>
      <p>
        Route <code>your-domain/rt/*</code> to this worker (a Worker route, see the README) and load the tracker from
        there: the referral cookie is then set by the server, which Safari keeps as long as it says.
      </p>
      <Copyable id="first-party-snippet" label="Tracker script, first-party" text={firstPartyTag(contest.id)} block />
    </section>
  );
}

/** A labelled value (URL, secret, snippet) with its copy button. */
function Copyable({ id, label, text, block = false }: { id: string; label: string; text: string; block?: boolean }) {
  return (
    <div class="copyable" role="group" aria-labelledby={`${id}-label`}>
      <p class="copy-label" id={`${id}-label`}>
        {label}
      </p>
      <pre id={id} class={block ? "snippet" : "value"}>
        <code>{text}</code>
      </pre>
      <CopyButton text={text} label={`Copy ${label.charAt(0).toLowerCase()}${label.slice(1)}`} />
    </div>
  );
}
