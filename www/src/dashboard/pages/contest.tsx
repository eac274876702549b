// A contest's settings (PATCH /api/v1/contests/{id}: only what changed is
// sent; the draft and the body are built in ../settings-draft.ts), its webhook
// and Stripe endpoints, the tracker's and the widget's snippets to paste
// (./contest-endpoints), and a new contest's getting-started checklist (./checklist).
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction } from "../load";
import { draftOf, noSecret, settingsUpdate, type Draft, type TextKey } from "../settings-draft";
import { CurrencyField, NumberField, RatesEditor, SecretField } from "../settings-fields";
import { Field, Notice } from "../ui";
import { ContestShell } from "./contest-shell";
import { GettingStarted } from "./checklist";
import { Endpoints, TrackerSnippet, WidgetSnippet } from "./contest-endpoints";

type Contest = Schema<"Contest">;

export function ContestPage({ contestId }: { contestId: string }) {
  return (
    <ContestShell contestId={contestId} tab="settings">
      {(contest, setContest) => (
        <>
          <GettingStarted key={`${contest.id}-${contest.stripeConfigured}`} contest={contest} />
          <SettingsForm key={contest.id} contest={contest} onSaved={setContest} />
          <Endpoints contest={contest} onRotated={setContest} />
          <TrackerSnippet contest={contest} />
          <WidgetSnippet contest={contest} />
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
  const action = useAction();

  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setDraft((d) => ({ ...d, [k]: v }));
  const text = (k: TextKey) => ({
    value: draft[k],
    onInput: (e: { currentTarget: { value: string } }) => set(k)(e.currentTarget.value),
  });

  function save(e: Event) {
    e.preventDefault();
    const result = settingsUpdate(contest, draft, { stripe, turnstile });
    if ("problem" in result) return action.fail(result.problem);
    const body = result.body;
    if (Object.keys(body).length === 0) return action.say("Nothing changed.");
    void action.run(async () => {
      const r = await unwrap(
        session,
        session.api.PATCH("/api/v1/contests/{contestId}", { params: { path: { contestId: contest.id } }, body }),
      );
      setDraft(draftOf(r.data));
      setStripe(noSecret);
      setTurnstile(noSecret);
      onSaved(r.data);
      return "Saved.";
    });
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
        <Field
          id="auto-finalize"
          label="Finalize automatically after (hours)"
          hint="Hours after the contest ends; pending awards are left out. Blank: you finalize it on the Prizes page."
        >
          <input
            id="auto-finalize"
            type="number"
            inputMode="numeric"
            min={0}
            max={8760}
            step={1}
            {...text("autoFinalizeAfterHours")}
            aria-describedby="auto-finalize-hint"
          />
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
        <Field
          id="reward-type"
          label="Reward type"
          hint={
            draft.rewardType === "Monetary"
              ? "Money in the reward currency: balances and payouts are shown once a reward is above 0."
              : "Points: no amounts of money are shown to you or to participants."
          }
        >
          <select
            id="reward-type"
            value={draft.rewardType}
            onChange={(e) => set("rewardType")(e.currentTarget.value as Draft["rewardType"])}
            aria-describedby="reward-type-hint"
          >
            <option value="Points">points</option>
            <option value="Monetary">monetary</option>
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
        <CurrencyField
          id="reward-currency"
          label="Reward currency"
          hint={draft.rewardType === "Monetary" ? "Of monetary rewards." : "Of monetary rewards: not used while the reward type is points."}
          {...text("rewardCurrency")}
        />
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

      <fieldset>
        <legend>Email</legend>
        <p class="hint">
          Participants' email goes through Cloudflare Email Service from an address on a domain you set up for
          sending. Without a sender address the contest sends no email.
        </p>
        <Field id="email-from" label="Sender address" hint="Optional; for example contest@mail.your-shop.com.">
          <input id="email-from" type="email" maxLength={254} autocomplete="off" {...text("emailFrom")} aria-describedby="email-from-hint" />
        </Field>
        <Field id="email-from-name" label="Sender name" hint="Optional; shown with the address.">
          <input id="email-from-name" maxLength={100} autocomplete="off" {...text("emailFromName")} aria-describedby="email-from-name-hint" />
        </Field>
        <Field id="email-reply-to" label="Reply-to address" hint="Optional; where replies go. Blank: the sender address.">
          <input
            id="email-reply-to"
            type="email"
            maxLength={254}
            autocomplete="off"
            {...text("emailReplyTo")}
            aria-describedby="email-reply-to-hint"
          />
        </Field>
        <Field
          id="email-locale"
          label="Default language"
          hint="Of the shipped messages, for a participant whose signup gave no language of these."
        >
          <select
            id="email-locale"
            value={draft.emailLocale}
            onChange={(e) => set("emailLocale")(e.currentTarget.value as Draft["emailLocale"])}
            aria-describedby="email-locale-hint"
          >
            <option value="en">English</option>
            <option value="fr">Français</option>
            <option value="de">Deutsch</option>
            <option value="es">Español</option>
          </select>
        </Field>
        <div class="field">
          <div class="check">
            <input
              id="require-email-confirmation"
              type="checkbox"
              checked={draft.requireEmailConfirmation}
              onChange={(e) => set("requireEmailConfirmation")(e.currentTarget.checked)}
              aria-describedby="require-email-confirmation-hint"
            />
            <label for="require-email-confirmation">Require email confirmation</label>
          </div>
          <p id="require-email-confirmation-hint" class="hint">
            A signup from the tracker or the widget counts once its address is confirmed through the link of the
            confirm message: until then its referral points wait, it is not ranked and earns no prize. Your server's
            signups count at once. Applies to signups from now on.
          </p>
        </div>
        <NumberField
          id="confirmation-days"
          label="Days to confirm"
          hint="How long a confirm link works; a signup still unconfirmed after that is rejected."
          min={1}
          max={90}
          whole
          {...text("confirmationDays")}
        />
      </fieldset>

      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Save settings
        </button>
      </div>
      <Notice error={action.error} message={action.message} />
    </form>
  );
}
