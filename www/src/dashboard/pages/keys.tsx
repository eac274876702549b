// The account's API keys: list, create (public or private; the new key is
// shown once), rotate (a new key replaces it, shown once) and revoke after a
// confirmation. The API refuses to revoke the last private key (409): its
// message is shown. Rotating this tab's own key goes on with the new one.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction, useLoad } from "../load";
import { utc } from "../format";
import { Confirm, CopyButton, Field, Notice, PageHeading } from "../ui";

type ApiKey = Schema<"ApiKey">;
type KeyType = Schema<"KeyType">;

/** A key just made: its full text, shown this once. */
interface Fresh {
  key: string;
  type: KeyType;
  replaces?: string;
}

export function KeysPage() {
  const session = useSession();
  const [type, setType] = useState<KeyType>("private");
  const [fresh, setFresh] = useState<Fresh | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const action = useAction();
  const list = useLoad(() => unwrap(session, session.api.GET("/api/v1/api-keys")), [session]);
  const keys = list.value?.data ?? null;

  function create(e: Event) {
    e.preventDefault();
    void action.run(async () => {
      const r = await unwrap(session, session.api.POST("/api/v1/api-keys", { body: { type } }));
      setFresh({ key: r.data.key, type: r.data.type });
      list.reload();
    });
  }

  function rotate(k: ApiKey) {
    setFresh(null);
    void action.run(async () => {
      const r = await unwrap(session, session.api.POST("/api/v1/api-keys/{keyId}/rotate", { params: { path: { keyId: k.id } } }));
      setFresh({ key: r.data.key, type: r.data.type, replaces: k.prefix });
      if (session.isThisKey(k.prefix)) session.switchKey(r.data.key);
      else list.reload();
    });
  }

  async function revoke(k: ApiKey) {
    const failed = await action.run(async () => {
      await unwrap(session, session.api.DELETE("/api/v1/api-keys/{keyId}", { params: { path: { keyId: k.id } } }));
      setRevoking(null);
      if (session.isThisKey(k.prefix)) {
        session.signOut("You revoked the key this tab signed in with: sign in with another.");
        return;
      }
      list.reload();
      return `Revoked ${k.prefix}….`;
    });
    if (failed !== null) setRevoking(null);
  }

  const active = keys?.filter((k) => k.active) ?? [];
  const revoked = keys?.filter((k) => !k.active) ?? [];

  return (
    <>
      <PageHeading title="API keys" />
      <p>
        Private keys (<code>rt_sk_…</code>) read and write: keep them on your server and in this dashboard. Public keys
        (<code>rt_pk_…</code>) only read, for your pages.
      </p>
      <section aria-labelledby="new-key-heading" class="panel">
        <h2 id="new-key-heading">New key</h2>
        <form onSubmit={create} class="inline-form">
          <Field id="new-key-type" label="Type">
            <select id="new-key-type" value={type} onChange={(e) => setType(e.currentTarget.value as KeyType)}>
              <option value="private">private (read and write)</option>
              <option value="public">public (read only)</option>
            </select>
          </Field>
          <button type="submit" disabled={action.busy}>
            Create key
          </button>
        </form>
      </section>
      {fresh && (
        <section aria-labelledby="fresh-key-heading" class="panel fresh-key">
          <h2 id="fresh-key-heading">{fresh.replaces ? `New key replacing ${fresh.replaces}…` : `New ${fresh.type} key`}</h2>
          <p>
            <strong>Copy it now: it is shown only this once.</strong>
            {fresh.replaces ? " The old key no longer works." : ""}
          </p>
          <pre id="fresh-key">
            <code>{fresh.key}</code>
          </pre>
          <CopyButton text={fresh.key} label="Copy the new key" />{" "}
          <button type="button" class="secondary" onClick={() => setFresh(null)}>
            Done, hide it
          </button>
        </section>
      )}
      <Notice error={action.error ?? list.error} message={action.message} />
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Active keys</h2>
        {keys === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : (
          <ul class="rows" aria-label="Active keys">
            {active.map((k) => (
              <li key={k.id} class="row">
                <div class="row-head">
                  <div class="row-main">
                    <h3>
                      <code>{k.prefix}…</code>
                      {session.isThisKey(k.prefix) ? <span class="quiet"> (this tab’s key)</span> : null}
                    </h3>
                    <p class="quiet">
                      {k.type} · created {utc(k.createdAt)} · <code>{k.id}</code>
                    </p>
                  </div>
                  <span class={`badge key-${k.type}`}>{k.type}</span>
                </div>
                <div class="actions buttons">
                  <button type="button" class="secondary" disabled={action.busy} onClick={() => rotate(k)} aria-label={`Rotate ${k.prefix}`}>
                    Rotate
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy}
                    onClick={() => setRevoking(revoking === k.id ? null : k.id)}
                    aria-label={`Revoke ${k.prefix}`}
                  >
                    Revoke…
                  </button>
                </div>
                {revoking === k.id && (
                  <Confirm
                    label={`Confirm revoking ${k.prefix}`}
                    yes="Yes, revoke"
                    busy={action.busy}
                    onYes={() => revoke(k)}
                    onCancel={() => setRevoking(null)}
                  >
                    Revoke <code>{k.prefix}…</code>? Whatever uses it stops working at once.
                    {session.isThisKey(k.prefix) ? " This tab signed in with it: you will be signed out." : ""}
                  </Confirm>
                )}
              </li>
            ))}
          </ul>
        )}
        {revoked.length > 0 && (
          <>
            <h2>Revoked keys</h2>
            <ul class="plain" aria-label="Revoked keys">
              {revoked.map((k) => (
                <li key={k.id} class="quiet">
                  <code>{k.prefix}…</code> {k.type} · revoked {k.revokedAt ? utc(k.revokedAt) : ""}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
