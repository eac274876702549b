// The operator's page (signed in with the admin token): the worker's accounts,
// newest first, page by page, and a form to create one. A new account's public
// and private keys are shown this once, with copy buttons; the list never
// shows a key (the API has only their hashes).
import { useState } from "preact/hooks";
import { unwrap, type OperatorSession, type Schema } from "../api";
import { useAction, useLoad } from "../load";
import { count, utc } from "../format";
import { CopyButton, Field, Figure, Notice, PageHeading, PagerButtons } from "../ui";

type Account = Schema<"Account">;

const PER_PAGE = 20;

export function AccountsPage({ session }: { session: OperatorSession }) {
  const [page, setPage] = useState(1);
  const [created, setCreated] = useState<Account | null>(null);
  const [name, setName] = useState("");
  const action = useAction();
  const list = useLoad(
    () => unwrap(session, session.api.GET("/api/admin/accounts", { params: { query: { page, limit: PER_PAGE } } })),
    [session, page],
  );
  const accounts = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  function create(e: Event) {
    e.preventDefault();
    if (name.trim() === "") return action.fail("Give the account a name.");
    setCreated(null);
    void action.run(async () => {
      const r = await unwrap(session, session.api.POST("/api/admin/accounts", { body: { name: name.trim() } }));
      setCreated(r.data);
      setName("");
      if (page === 1) list.reload();
      else setPage(1);
    });
  }

  return (
    <>
      <PageHeading title="Accounts" />
      <p>Each account owns its contests and keys. Give the owner the new private key: they sign in here with it.</p>
      <section aria-labelledby="new-account-heading" class="panel">
        <h2 id="new-account-heading">New account</h2>
        <form onSubmit={create} class="inline-form">
          <Field id="account-name" label="Account name">
            <input id="account-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={action.busy}>
            Create account
          </button>
        </form>
      </section>
      {created && <NewAccountKeys account={created} onDone={() => setCreated(null)} />}
      <Notice error={action.error ?? list.error} />
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">
          Accounts{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
        </h2>
        {accounts === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : accounts.length === 0 ? (
          <p>No account yet.</p>
        ) : (
          <ul class="rows" aria-label="Accounts">
            {accounts.map((a) => (
              <li key={a.id} class="row">
                <h3>{a.name}</h3>
                <p class="quiet">
                  <code>{a.id}</code> · created {utc(a.createdAt)}
                </p>
                <dl class="numbers">
                  <Figure label="Contests" value={count(a.contests)} />
                  <Figure label="Active keys" value={count(a.activeKeys)} />
                </dl>
              </li>
            ))}
          </ul>
        )}
        {pagination && <PagerButtons page={page} totalPages={pagination.totalPages} label="Accounts pages" onPage={setPage} />}
      </section>
    </>
  );
}

/** The keys of an account just made: shown this once. */
function NewAccountKeys({ account, onDone }: { account: Account; onDone: () => void }) {
  return (
    <section aria-labelledby="new-account-keys-heading" class="panel fresh-key">
      <h2 id="new-account-keys-heading">Keys of “{account.name}”</h2>
      <p>
        <strong>Copy them now: they are shown only this once.</strong>
      </p>
      <dl>
        <dt>Private key (read and write: the owner's dashboard and server)</dt>
        <dd>
          <pre>
            <code id="new-private-key">{account.privateKey}</code>
          </pre>
          <CopyButton text={account.privateKey} label="Copy the private key" />
        </dd>
        <dt>Public key (read only: for pages)</dt>
        <dd>
          <pre>
            <code id="new-public-key">{account.publicKey}</code>
          </pre>
          <CopyButton text={account.publicKey} label="Copy the public key" />
        </dd>
      </dl>
      <button type="button" class="secondary" onClick={onDone}>
        Done, hide them
      </button>
    </section>
  );
}
