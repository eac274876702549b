// A contest's webhook and Stripe endpoints (with the inbound webhook secret's
// rotation) and the tracker snippets to paste, each with its copy button.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction } from "../load";
import { CONSENT_CALL, firstPartyTag, stubTag, trackerTag, webhookUrl, widgetTag } from "../snippet";
import { Confirm, CopyButton, Notice } from "../ui";

type Contest = Schema<"Contest">;

export function Endpoints({ contest, onRotated }: { contest: Contest; onRotated: (c: Contest) => void }) {
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
  const action = useAction();

  const rotate = () =>
    action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/contests/{contestId}/rotate-webhook-secret", { params: { path: { contestId: contest.id } } }),
      );
      setConfirming(false);
      onRotated(r.data);
      return "New webhook secret made: the old one no longer works.";
    });

  return (
    <div class="actions">
      {confirming ? (
        <Confirm
          label="Confirm rotating the webhook secret"
          yes="Yes, make a new secret"
          busy={action.busy}
          onYes={rotate}
          onCancel={() => setConfirming(false)}
        >
          Make a new webhook secret? The current one stops working at once: your server's calls fail until it has the new one.
        </Confirm>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          Rotate the webhook secret…
        </button>
      )}
      <Notice error={action.error} message={action.message} />
    </div>
  );
}

export function TrackerSnippet({ contest }: { contest: Contest }) {
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

/** The participant widget's snippet, and what its token line is for. */
export function WidgetSnippet({ contest }: { contest: Contest }) {
  return (
    <section aria-labelledby="widget-snippet-heading" class="panel">
      <h2 id="widget-snippet-heading">Participant widget</h2>
      <p>
        Paste this where your participants should see their referral link, points and bonus actions (the{" "}
        <code>div</code> says where it goes). Without a token it shows a join form: a visitor joins with their email
        and the widget remembers them in that browser.
      </p>
      <Copyable id="widget-snippet" label="Widget script" text={widgetTag(location.origin, contest.id)} block />
      <p id="widget-token-hint">
        For a customer who is logged in to your site, add the token line: <code>data-token</code> carries a participant
        token your server mints for that customer with the private key (
        <code>POST /api/v1/entries/&#123;entryId&#125;/token</code>). The widget then shows that participant at once,
        and the token reads only their own entry: never put an API key in a page.
      </p>
      <Copyable
        id="widget-token-snippet"
        label="Widget script with a participant token"
        text={widgetTag(location.origin, contest.id, true)}
        block
      />
    </section>
  );
}

/** A labelled value (URL, secret, snippet) with its copy button. */
export function Copyable({ id, label, text, block = false }: { id: string; label: string; text: string; block?: boolean }) {
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
