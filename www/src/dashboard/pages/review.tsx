// A contest's awards held pending, with why each is held: approve or reject
// one, or those selected at once (POST .../awards/review); and the pending
// completions of manual bonus actions, approved or rejected one by one.
import { useEffect, useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { count, money, signed, utc } from "../format";
import { useAction, useLoad } from "../load";
import { Notice, PagerButtons } from "../ui";
import { CompletionReview } from "./completion-review";
import { ContestShell } from "./contest-shell";

type Award = Schema<"Award">;
type Contest = Schema<"Contest">;

const PER_PAGE = 50;

export const REASON_TEXT: Record<Schema<"LedgerReason">, string> = {
  referral_advocate: "referral",
  referral_friend: "joined through a referral",
  purchase: "purchase",
  purchase_refund: "refund",
  bonus_action: "bonus action",
  adjustment: "adjustment",
};

export const HOLD_TEXT: Record<Schema<"HoldReason">, string> = {
  unverified_purchase: "only a browser reported this purchase; a trusted report of the same order confirms it",
  fraud: "the tracker signup looked suspicious (fraud score medium or high)",
  velocity: "the advocate passed the contest's referrals per hour",
  review: "this contest reviews every referral",
  on_purchase: "waits for the friend's verified purchase",
  currency: "a purchase in a currency without a rate, counted 1:1",
  email_unconfirmed: "the friend has not confirmed their email address yet",
};

export const SIGNAL_TEXT: Record<Schema<"FraudSignal">, string> = {
  disposable_email: "the friend's address is at a disposable-email domain",
  looks_like_advocate: "the friend's address has the advocate's letters at the advocate's domain",
  busy_address: "the friend's network address had already made 3 signups in this contest that hour",
};

/** A participant an award names: "Nina Simone (nina@example.com)". */
function who(p: Schema<"AwardParty">): string {
  return p.name ? `${p.name} (${p.email})` : p.email;
}

/** What the award is about, beyond its reason: the purchase, the friend or
 * the advocate, and a fraud hold's signals. */
export function AwardDetail({ award: a }: { award: Award }) {
  return (
    <>
      {a.purchase && (
        <p class="award-purchase">
          <strong>Purchase:</strong> {money(a.purchase.amount, a.purchase.currency)} by {a.purchase.buyerEmail}, order{" "}
          {a.purchase.orderId}, reported by {a.purchase.source === "tracker" ? "the browser (tracker)" : a.purchase.source}
          {a.purchase.status === "unverified" ? ", not verified" : `, ${a.purchase.status}`}.
        </p>
      )}
      {a.friend && (
        <p class="award-friend">
          <strong>Friend:</strong> {who(a.friend)} joined through this advocate's link.
        </p>
      )}
      {a.advocate && (
        <p class="award-friend">
          <strong>Referred by:</strong> {who(a.advocate)}.
        </p>
      )}
      {a.fraudSignals && (
        <p class="award-signals">
          <strong>Signals that fired:</strong>{" "}
          {a.fraudSignals.length === 0 ? "none any more (the entry was erased)" : a.fraudSignals.map((s) => SIGNAL_TEXT[s]).join("; ")}.
        </p>
      )}
    </>
  );
}

/** A proof as the participant gave it: an http(s) URL is a link (opened in a
 * new tab with no opener), anything else plain text. */
export function Proof({ text }: { text: string | null | undefined }) {
  if (!text) return <>none given</>;
  const url = proofUrl(text);
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {text}
    </a>
  ) : (
    <span class="proof">{text}</span>
  );
}

/** The proof as a URL to link to, only http: and https: (never javascript:, data: ...). */
export function proofUrl(text: string): string | null {
  try {
    const u = new URL(text.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

export function ReviewPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="review">{(contest) => <Review contest={contest} />}</ContestShell>;
}

function Review({ contest }: { contest: Contest }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const [names, setNames] = useState<Record<string, string | null>>({});
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const action = useAction();
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/awards", {
          params: { path: { contestId: contest.id }, query: { status: "pending", page, limit: PER_PAGE, detail: true } },
        }),
      ),
    [session, contest.id, page],
  );
  const awards = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  // A new list: nothing selected, and the participants' names, one call per
  // entry not yet known.
  useEffect(() => {
    setSelected(new Set());
    let live = true;
    for (const entryId of new Set((awards ?? []).map((a) => a.entryId))) {
      if (entryId in names) continue;
      unwrap(session, session.api.GET("/api/v1/entries/{entryId}", { params: { path: { entryId } } }))
        .then((e) => live && setNames((all) => ({ ...all, [entryId]: e.data.name })))
        .catch(() => live && setNames((all) => ({ ...all, [entryId]: null })));
    }
    return () => {
      live = false;
    };
    // `names` is only a cache: a change of it needs no new calls.
  }, [session, awards]);

  const label = (a: Award) => `${names[a.entryId] ?? a.email}: ${signed(a.points)} ${REASON_TEXT[a.reason]}`;

  const decideOne = (a: Award, approve: boolean) =>
    action.run(async () => {
      const params = { params: { path: { awardId: a.id } } };
      const r = await unwrap(
        session,
        approve
          ? session.api.POST("/api/v1/awards/{awardId}/confirm", params)
          : session.api.POST("/api/v1/awards/{awardId}/reject", params),
      );
      list.reload();
      const what = approve ? "Approved" : "Rejected";
      return r.data.changed ? `${what} ${label(a)}.` : `Already ${r.data.status}: ${label(a)}.`;
    });

  function decideSelected(approve: boolean) {
    const ids = [...selected];
    if (ids.length === 0) return action.fail("Select the awards first.");
    void action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/contests/{contestId}/awards/review", {
          params: { path: { contestId: contest.id } },
          body: approve ? { confirm: ids } : { reject: ids },
        }),
      );
      list.reload();
      return `${approve ? "Approved" : "Rejected"} ${count(r.data.changed)} of ${count(r.data.requested)} awards.`;
    });
  }

  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const all = awards !== null && awards.length > 0 && awards.every((a) => selected.has(a.id));

  return (
    <>
      <section aria-labelledby="awards-heading">
        <h2 id="awards-heading">
          Pending awards{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
        </h2>
        <p class="hint">
          Held awards count in pending points only. Approve to add them to the totals; reject to drop them.
        </p>
        <Notice error={action.error ?? list.error} message={action.message} />
        {awards === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : awards.length === 0 ? (
          <p>Nothing is waiting for review.</p>
        ) : (
          <>
            <div class="bulk" role="group" aria-label="Selected awards">
              <div class="check">
                <input
                  id="select-all"
                  type="checkbox"
                  checked={all}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(awards.map((a) => a.id)) : new Set())}
                />
                <label for="select-all">Select all on this page</label>
              </div>
              <button type="button" disabled={action.busy || selected.size === 0} onClick={() => decideSelected(true)}>
                Approve selected ({selected.size})
              </button>
              <button
                type="button"
                class="secondary"
                disabled={action.busy || selected.size === 0}
                onClick={() => decideSelected(false)}
              >
                Reject selected ({selected.size})
              </button>
            </div>
            <ul class="rows" aria-label="Pending awards">
              {awards.map((a) => (
                <li key={a.id} class="row">
                  <div class="row-head">
                    <div class="check">
                      <input
                        id={`award-${a.id}`}
                        type="checkbox"
                        checked={selected.has(a.id)}
                        onChange={(e) => toggle(a.id, e.currentTarget.checked)}
                      />
                      <label for={`award-${a.id}`}>
                        <span class="visually-hidden">Select </span>
                        <span class="points">{signed(a.points)}</span> {REASON_TEXT[a.reason]} for{" "}
                        <span class="who">{names[a.entryId] ?? a.email}</span>
                      </label>
                    </div>
                    <span class="badge status-pending">pending</span>
                  </div>
                  {names[a.entryId] ? <p class="quiet">{a.email}</p> : null}
                  <p>
                    <strong>Held:</strong> {a.holdReason ? HOLD_TEXT[a.holdReason] : "no reason recorded"}.
                  </p>
                  <AwardDetail award={a} />
                  <p class="quiet">
                    {a.note ? `${a.note} · ` : ""}
                    {utc(a.createdAt)}
                    {a.confirmAfter ? ` · confirms on its own ${utc(a.confirmAfter)}` : ""}
                  </p>
                  <div class="actions">
                    <button type="button" disabled={action.busy} onClick={() => decideOne(a, true)} aria-label={`Approve ${label(a)}`}>
                      Approve
                    </button>{" "}
                    <button
                      type="button"
                      class="secondary"
                      disabled={action.busy}
                      onClick={() => decideOne(a, false)}
                      aria-label={`Reject ${label(a)}`}
                    >
                      Reject
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        {pagination && (
          <PagerButtons
            page={page}
            totalPages={pagination.totalPages}
            label="Pages of pending awards"
            // Another page: the last action's failure was about this one.
            onPage={(p) => {
              action.clear();
              setPage(p);
            }}
          />
        )}
      </section>
      <PendingCompletions contest={contest} />
    </>
  );
}

/** The contest's completions of manual bonus actions waiting for the owner,
 * paged, each with its proof; each approved or rejected by CompletionReview. */
function PendingCompletions({ contest }: { contest: Contest }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const action = useAction();
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/bonus-completions", {
          params: { path: { contestId: contest.id }, query: { status: "pending", page, limit: PER_PAGE } },
        }),
      ),
    [session, contest.id, page],
  );
  const rows = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  return (
    <section aria-labelledby="bonus-review-heading">
      <h2 id="bonus-review-heading">
        Pending bonus completions{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
      </h2>
      <p class="hint">Manual bonus actions wait for you: approve to add their points, or reject.</p>
      <Notice error={action.error ?? list.error} message={action.message} />
      {rows === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : rows.length === 0 ? (
        <p>No bonus completion is waiting.</p>
      ) : (
        <ul class="rows" aria-label="Pending bonus completions">
          {rows.map((c) => (
            <li key={c.id} class="row">
              <div class="row-head">
                <div class="row-main">
                  <h3>
                    {c.action} <span class="quiet">{signed(c.points)} points</span>
                  </h3>
                  <p class="quiet">
                    {c.email} · {utc(c.createdAt)}
                  </p>
                </div>
                <span class="badge status-pending">pending</span>
              </div>
              <p>
                <strong>Proof:</strong> <Proof text={c.proof} />
              </p>
              <div class="actions">
                <CompletionReview
                  completion={c}
                  who={c.email}
                  label={`${c.action} for ${c.email}`}
                  action={action}
                  onDecided={(text) => {
                    action.say(text);
                    list.reload();
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      {pagination && (
        <PagerButtons page={page} totalPages={pagination.totalPages} label="Pages of bonus completions" onPage={setPage} />
      )}
    </section>
  );
}
