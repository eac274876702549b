// The account's outbound webhook endpoints (not per contest): list, create
// (the signing secret is shown once), edit (only what changed is sent),
// disable or enable, rotate the secret after a confirmation (the new one shown
// once; the old one signs alongside for 24 hours), send a test ping, delete
// after a confirmation; each endpoint's recent deliveries page by page, newest
// first, and redelivery of a settled one.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { count, utc } from "../format";
import { useAction, useLoad } from "../load";
import { Confirm, CopyButton, Field, Notice, PageHeading } from "../ui";

type Endpoint = Schema<"WebhookEndpoint">;
type Delivery = Schema<"WebhookDelivery">;
type EventType = Schema<"WebhookSubscribableEvent">;
type EventTypeInfo = Schema<"WebhookEventTypeInfo">;

/** How many deliveries one "more" shows. */
const DELIVERIES_PAGE = 10;

/** A secret just made: shown this once. */
interface Fresh {
  secret: string;
  heading: string;
  note: string;
}

export function WebhooksPage() {
  const session = useSession();
  const [fresh, setFresh] = useState<Fresh | null>(null);
  // The rows' actions report here: one notice for the page.
  const shown = useAction();
  const list = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/webhook-endpoints", { params: { query: { limit: 100 } } })),
    [session],
  );
  const endpoints = list.value?.data ?? null;

  const done = (text: string) => {
    shown.say(text);
    list.reload();
  };

  return (
    <>
      <PageHeading title="Webhooks" />
      <p>
        Your endpoints receive the events they subscribe to, from every contest of this account, as a signed JSON POST{" "}
        <code>{"{type, timestamp, data}"}</code>.
      </p>
      <Help />
      {fresh && (
        <section aria-labelledby="fresh-secret-heading" class="panel fresh-key">
          <h2 id="fresh-secret-heading">{fresh.heading}</h2>
          <p>
            <strong>Copy it now: it will not be shown again.</strong> {fresh.note}
          </p>
          <pre id="fresh-secret">
            <code>{fresh.secret}</code>
          </pre>
          <CopyButton text={fresh.secret} label="Copy the secret" />{" "}
          <button type="button" class="secondary" onClick={() => setFresh(null)}>
            Done, hide it
          </button>
        </section>
      )}
      <Notice error={shown.error ?? list.error} message={shown.message} />
      <section aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints</h2>
        {endpoints === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : endpoints.length === 0 ? (
          <p>No endpoints yet: add the first one below.</p>
        ) : (
          <ul class="rows" aria-label="Webhook endpoints">
            {endpoints.map((ep) => (
              <EndpointRow
                key={ep.id}
                endpoint={ep}
                onChanged={done}
                onFailed={shown.fail}
                onSecret={(secret) => {
                  setFresh({
                    secret,
                    heading: `New signing secret of ${ep.url}`,
                    note: "The old secret keeps signing alongside it for 24 hours: switch your receiver to the new one.",
                  });
                  done(`Rotated the secret of ${ep.url}.`);
                }}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="new-endpoint-heading" class="panel">
        <h2 id="new-endpoint-heading">New endpoint</h2>
        <EndpointForm
          onSaved={(ep, secret) => {
            if (secret) {
              setFresh({
                secret,
                heading: `Signing secret of ${ep.url}`,
                note: "Your receiver verifies every delivery with it.",
              });
            }
            done(`Created the endpoint ${ep.url}.`);
          }}
        />
      </section>
    </>
  );
}

function Help() {
  return (
    <details class="panel webhook-help">
      <summary>How to verify a delivery</summary>
      <p>
        Each delivery carries the Standard Webhooks headers <code>webhook-id</code> (the same on every retry of one event
        to one endpoint: de-duplicate on it), <code>webhook-timestamp</code> (Unix seconds) and{" "}
        <code>webhook-signature</code> (<code>v1,</code> and an HMAC-SHA256 with the endpoint's secret; two after a
        rotation). Verify them with a Standard Webhooks library (<code>standardwebhooks</code> on npm and PyPI) before
        trusting the body, and answer 2xx within 10 seconds. Anything else is retried for about a day; 20 deliveries
        failed in a row disable the endpoint.
      </p>
      <p>The README's "Webhooks" section has the events, their payloads and Node and Python snippets.</p>
    </details>
  );
}

type Open = "edit" | "rotate" | "delete" | null;

function EndpointRow({
  endpoint: ep,
  onChanged,
  onFailed,
  onSecret,
}: {
  endpoint: Endpoint;
  onChanged: (message: string) => void;
  onFailed: (error: string) => void;
  onSecret: (secret: string) => void;
}) {
  const session = useSession();
  const [open, setOpen] = useState<Open>(null);
  // Busy per row; the failure goes to the page's notice.
  const action = useAction();
  const [refresh, setRefresh] = useState(0);
  const path = { params: { path: { endpointId: ep.id } } };
  const toggle = (what: Open) => setOpen(open === what ? null : what);

  async function act(work: () => Promise<void>) {
    const failed = await action.run(work);
    if (failed !== null) onFailed(failed);
  }

  const setEnabled = (enabled: boolean) =>
    act(async () => {
      await unwrap(session, session.api.PATCH("/api/v1/webhook-endpoints/{endpointId}", { ...path, body: { enabled } }));
      onChanged(enabled ? `Enabled ${ep.url}: its failure count and disabled reason are cleared.` : `Disabled ${ep.url}.`);
    });

  const rotate = () =>
    act(async () => {
      const r = await unwrap(session, session.api.POST("/api/v1/webhook-endpoints/{endpointId}/rotate-secret", path));
      setOpen(null);
      onSecret(r.data.secret);
    });

  const ping = () =>
    act(async () => {
      const r = await unwrap(session, session.api.POST("/api/v1/webhook-endpoints/{endpointId}/test", path));
      setRefresh((n) => n + 1);
      onChanged(`Sent a test ping to ${ep.url} (event ${r.data.eventId}).`);
    });

  const remove = () =>
    act(async () => {
      await unwrap(session, session.api.DELETE("/api/v1/webhook-endpoints/{endpointId}", path));
      setOpen(null);
      onChanged(`Deleted the endpoint ${ep.url}.`);
    });

  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>
            <code>{ep.url}</code>
          </h3>
          {ep.description && <p>{ep.description}</p>}
          <p class="quiet">Events: {ep.events.join(", ")}</p>
          <p class="quiet">
            {ep.enabled ? "Enabled" : `Disabled: ${ep.disabledReason ?? "no reason given"}`} · {count(ep.consecutiveFailures)}{" "}
            failed in a row · <code>{ep.id}</code>
            {ep.previousSecretExpiresAt ? ` · the previous secret signs too until ${utc(ep.previousSecretExpiresAt)}` : ""}
          </p>
        </div>
        <span class={`badge ${ep.enabled ? "status-active" : "status-disabled"}`}>{ep.enabled ? "enabled" : "disabled"}</span>
      </div>
      <div class="actions buttons">
        <button type="button" class="secondary" disabled={action.busy} onClick={ping} aria-label={`Send test ping to ${ep.url}`}>
          Send test ping
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={open === "edit"}
          onClick={() => toggle("edit")}
          aria-label={`Edit ${ep.url}`}
        >
          Edit
        </button>
        <button
          type="button"
          class="secondary"
          disabled={action.busy}
          onClick={() => setEnabled(!ep.enabled)}
          aria-label={`${ep.enabled ? "Disable" : "Enable"} ${ep.url}`}
        >
          {ep.enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" class="secondary" onClick={() => toggle("rotate")} aria-label={`Rotate secret of ${ep.url}`}>
          Rotate secret…
        </button>
        <button type="button" class="secondary" onClick={() => toggle("delete")} aria-label={`Delete ${ep.url}`}>
          Delete…
        </button>
      </div>
      {open === "rotate" && (
        <Confirm
          label={`Confirm rotating the secret of ${ep.url}`}
          yes="Yes, rotate"
          busy={action.busy}
          onYes={rotate}
          onCancel={() => setOpen(null)}
        >
          Make a new signing secret for <code>{ep.url}</code>? It is shown once; the old one keeps signing alongside it for
          24 hours.
        </Confirm>
      )}
      {open === "delete" && (
        <Confirm
          label={`Confirm deleting ${ep.url}`}
          yes="Yes, delete"
          busy={action.busy}
          onYes={remove}
          onCancel={() => setOpen(null)}
        >
          Delete <code>{ep.url}</code> and its delivery log? Nothing more is sent to it.
        </Confirm>
      )}
      {open === "edit" && (
        <EndpointForm
          endpoint={ep}
          onSaved={(saved) => {
            setOpen(null);
            onChanged(`Saved the endpoint ${saved.url}.`);
          }}
        />
      )}
      <Deliveries endpoint={ep} refresh={refresh} />
    </li>
  );
}

interface Draft {
  url: string;
  description: string;
  events: EventType[];
}

function draftOf(ep: Endpoint | undefined): Draft {
  return { url: ep?.url ?? "", description: ep?.description ?? "", events: ep?.events ?? [] };
}

/** The create form (no `endpoint`) or the edit form of `endpoint`. */
function EndpointForm({ endpoint, onSaved }: { endpoint?: Endpoint; onSaved: (ep: Endpoint, secret?: string) => void }) {
  const session = useSession();
  const [draft, setDraft] = useState(() => draftOf(endpoint));
  const action = useAction();
  const p = endpoint ? `edit-${endpoint.id}` : "new-endpoint";
  // The types the worker sends, with when: its own list, not one kept here.
  const types = useLoad(() => unwrap(session, session.api.GET("/api/v1/webhook-event-types")), [session]);
  const order: EventType[] = (types.value?.data ?? []).map((t) => t.type);

  const check = (type: EventType, on: boolean) =>
    setDraft((d) => ({ ...d, events: on ? [...d.events, type] : d.events.filter((t) => t !== type) }));

  function save(e: Event) {
    e.preventDefault();
    if (draft.events.length === 0) return action.fail("Choose at least one event.");
    const url = draft.url.trim();
    const description = draft.description.trim();
    const events = order.filter((t) => draft.events.includes(t));
    if (endpoint === undefined) {
      void action.run(async () => {
        const r = await unwrap(
          session,
          session.api.POST("/api/v1/webhook-endpoints", {
            body: { url, events, description: description === "" ? null : description },
          }),
        );
        setDraft(draftOf(undefined));
        onSaved(r.data, r.data.secret);
      });
      return;
    }
    const body: Schema<"WebhookEndpointUpdate"> = {};
    if (url !== endpoint.url) body.url = url;
    if (description !== (endpoint.description ?? "")) body.description = description === "" ? null : description;
    if (events.join() !== order.filter((t) => endpoint.events.includes(t)).join()) body.events = events;
    if (Object.keys(body).length === 0) return action.fail("Nothing changed.");
    void action.run(async () => {
      const r = await unwrap(
        session,
        session.api.PATCH("/api/v1/webhook-endpoints/{endpointId}", { params: { path: { endpointId: endpoint.id } }, body }),
      );
      onSaved(r.data);
    });
  }

  return (
    <form onSubmit={save} class="settings" aria-label={endpoint ? `Edit ${endpoint.url}` : "New endpoint"}>
      <fieldset>
        <legend>{endpoint ? "Edit" : "Receiver"}</legend>
        <Field id={`${p}-url`} label="URL" hint="https:// only; where each event is POSTed.">
          <input
            id={`${p}-url`}
            type="url"
            required
            maxLength={2048}
            autocomplete="off"
            aria-describedby={`${p}-url-hint`}
            value={draft.url}
            onInput={(e) => setDraft((d) => ({ ...d, url: e.currentTarget.value }))}
          />
        </Field>
        <Field id={`${p}-description`} label="Description (optional)">
          <input
            id={`${p}-description`}
            maxLength={500}
            autocomplete="off"
            value={draft.description}
            onInput={(e) => setDraft((d) => ({ ...d, description: e.currentTarget.value }))}
          />
        </Field>
      </fieldset>
      <fieldset class="events" aria-describedby={`${p}-events-hint`}>
        <legend>Events</legend>
        <p id={`${p}-events-hint`} class="hint">
          At least one. Every endpoint also gets the ping of its test.
        </p>
        <Notice error={types.error} />
        {types.value === null && types.error === null && <p class="quiet">Loading the event types…</p>}
        {(types.value?.data ?? []).map((t: EventTypeInfo) => (
          <div key={t.type} class="check">
            <input
              id={`${p}-event-${t.type}`}
              type="checkbox"
              checked={draft.events.includes(t.type)}
              onChange={(e) => check(t.type, e.currentTarget.checked)}
            />
            <label for={`${p}-event-${t.type}`}>
              <code>{t.type}</code> <span class="quiet">{t.description}</span>
            </label>
          </div>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={action.busy || types.value === null}>
          {endpoint ? "Save endpoint" : "Create endpoint"}
        </button>
      </div>
      <Notice error={action.error} />
    </form>
  );
}

/** What the last attempt got: its status code and duration, or its error. */
function outcome(d: Delivery): string {
  const parts: string[] = [];
  if (d.lastStatusCode !== null) parts.push(`HTTP ${d.lastStatusCode}`);
  if (d.lastError) parts.push(d.lastError);
  if (d.lastDurationMs !== null) parts.push(`${count(d.lastDurationMs)} ms`);
  return parts.length ? parts.join(" · ") : "not attempted yet";
}

/** The endpoint's deliveries, newest first, a page at a time ("more" adds the
 * next); `refresh` changing (a ping sent) loads the first page again. */
function Deliveries({ endpoint: ep, refresh }: { endpoint: Endpoint; refresh: number }) {
  const session = useSession();
  const action = useAction();
  const read = (page: number) =>
    unwrap(
      session,
      session.api.GET("/api/v1/webhook-endpoints/{endpointId}/deliveries", {
        params: { path: { endpointId: ep.id }, query: { page, limit: DELIVERIES_PAGE } },
      }),
    );
  // The first page; "more" adds the next ones to it (their pagination replaces its own).
  const loaded = useLoad(() => read(1), [session, ep.id, refresh]);
  const list = loaded.value?.data ?? null;
  const pagination = loaded.value?.pagination ?? null;

  function more() {
    if (pagination === null) return;
    void action.run(async () => {
      const next = await read(pagination.page + 1);
      loaded.update((shown) => {
        const seen = new Set((shown?.data ?? []).map((d) => d.id));
        return { ...next, data: [...(shown?.data ?? []), ...next.data.filter((d) => !seen.has(d.id))] };
      });
    });
  }

  const redeliver = (d: Delivery) =>
    action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/webhook-deliveries/{deliveryId}/redeliver", { params: { path: { deliveryId: d.id } } }),
      );
      loaded.update(
        (shown) => shown && { ...shown, data: shown.data.map((x) => (x.id === d.id ? { ...x, status: r.data.status, nextRetryAt: null } : x)) },
      );
      return `Redelivering ${d.eventType} (${d.id}).`;
    });

  const label = `Deliveries to ${ep.url}`;
  return (
    <div class="deliveries">
      <div class="row-head">
        <h4>Recent deliveries</h4>
        <button
          type="button"
          class="link"
          onClick={() => {
            action.clear();
            loaded.reload();
          }}
          aria-label={`Refresh the deliveries to ${ep.url}`}
        >
          Refresh
        </button>
      </div>
      <Notice error={action.error ?? loaded.error} message={action.message} />
      {list === null ? (
        loaded.error ? null : <p class="quiet">Loading…</p>
      ) : list.length === 0 ? (
        <p class="quiet">None yet: send a test ping.</p>
      ) : (
        <ul class="ledger" aria-label={label}>
          {list.map((d) => (
            <li key={d.id}>
              <div class="row-head">
                <div class="row-main">
                  <strong>{d.eventType}</strong> <span class={`badge status-${d.status}`}>{d.status}</span>
                  <p class="quiet">
                    {count(d.attempts)} {d.attempts === 1 ? "attempt" : "attempts"} · {outcome(d)}
                    {d.status === "pending" && d.nextRetryAt ? ` · next retry ${utc(d.nextRetryAt)}` : ""} · created{" "}
                    {utc(d.createdAt)} · <code>{d.id}</code>
                  </p>
                  {d.lastAnswer ? <p class="quiet answer">Answer: {d.lastAnswer}</p> : null}
                </div>
                {d.status !== "pending" && (
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy}
                    onClick={() => redeliver(d)}
                    aria-label={`Redeliver ${d.eventType} ${d.id}`}
                  >
                    Redeliver
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {pagination !== null && pagination.page < pagination.totalPages && (
        <button type="button" class="secondary" disabled={action.busy} onClick={more} aria-label={`More deliveries to ${ep.url}`}>
          More deliveries
        </button>
      )}
    </div>
  );
}
