// A contest's participants (its entries), page by page; for one of them:
// disqualify or reinstate with a reason, adjust points, the ledger, the
// bonus completions waiting for approval, the link and sign-in (a participant
// token, the sign-in email), and erasure after a confirmation.
import { useState } from "preact/hooks";
import type { operations } from "../../api/client";
import { unwrap, useSession, type Schema } from "../api";
import { count, signed, utc } from "../format";
import { useAction, useLoad } from "../load";
import { Confirm, Field, Figure, Notice, PagerButtons } from "../ui";
import { CompletionReview } from "./completion-review";
import { Access } from "./participant-access";
import { ContestShell } from "./contest-shell";
import { HOLD_TEXT, REASON_TEXT } from "./review";

type Contest = Schema<"Contest">;
type Entry = Schema<"Entry">;
type Sort = NonNullable<NonNullable<operations["listEntries"]["parameters"]["query"]>["sort"]>;

const PER_PAGE = 20;
/** The email of an erased entry, as the API shows it. */
const ERASED = "(erased)";

export function ParticipantsPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="participants">{(contest) => <Participants contest={contest} />}</ContestShell>;
}

function Participants({ contest }: { contest: Contest }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // A link may open the page on a search (the overview's top advocates: ?q=code).
  const [typed, setTyped] = useState(() => new URLSearchParams(location.search).get("q") ?? "");
  const [search, setSearch] = useState(typed);
  const [sort, setSort] = useState<Sort>("joined");

  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/entries", {
          params: {
            path: { contestId: contest.id },
            query: { page, limit: PER_PAGE, sort, ...(search === "" ? {} : { q: search }) },
          },
        }),
      ),
    [session, contest.id, page, search, sort],
  );
  const entries = list.value?.data ?? null;
  // Page numbers were asked for, so this is their pagination (not `after`'s).
  const paging = list.value?.pagination;
  const pagination = paging && "page" in paging ? paging : null;

  /** After a change: the message, and the list as the API now has it. */
  const changed = (text: string) => {
    setMessage(text);
    list.reload();
  };

  return (
    <section aria-labelledby="participants-heading">
      <h2 id="participants-heading">
        Participants{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
      </h2>
      <form
        role="search"
        aria-label="Participants"
        class="inline-form filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(null);
          setPage(1);
          setSearch(typed.trim());
        }}
      >
        <Field id="participant-search" label="Search email, name or code">
          <input
            id="participant-search"
            type="search"
            maxLength={100}
            autocomplete="off"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </Field>
        <Field id="participant-sort" label="Sort by">
          <select
            id="participant-sort"
            value={sort}
            onChange={(e) => {
              setOpen(null);
              setPage(1);
              setSort(e.currentTarget.value as Sort);
            }}
          >
            <option value="joined">joined, oldest first</option>
            <option value="-joined">joined, newest first</option>
            <option value="points">points, most first</option>
            <option value="email">email, A to Z</option>
          </select>
        </Field>
        <button type="submit">Search</button>
      </form>
      <Notice error={list.error} message={message} />
      {entries === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : entries.length === 0 ? (
        <p>{search === "" ? "No participants yet." : `No participant matches “${search}”.`}</p>
      ) : (
        <ul class="rows" aria-label="Participants">
          {entries.map((e) => (
            <EntryRow
              key={e.id}
              contest={contest}
              entry={e}
              open={open === e.id}
              onToggle={() => setOpen(open === e.id ? null : e.id)}
              onChanged={changed}
              onErased={(text) => {
                setOpen(null);
                changed(text);
              }}
            />
          ))}
        </ul>
      )}
      {pagination && (
        <PagerButtons
          page={page}
          totalPages={pagination.totalPages}
          label="Pages of participants"
          onPage={(p) => {
            setOpen(null);
            setPage(p);
          }}
        />
      )}
    </section>
  );
}

/** How a participant is called: the name, else the email. */
export function who(entry: { name: string | null; email: string }): string {
  return entry.name ?? entry.email;
}

/** The fraud score the tracker's screening gave the signup (entries made by
 * trusted sources have none). */
function FraudBadge({ score }: { score: NonNullable<Entry["fraudScore"]> }) {
  return <span class={`badge fraud-${score.toLowerCase()}`}>{score} fraud risk</span>;
}

function EntryRow(props: {
  contest: Contest;
  entry: Entry;
  open: boolean;
  onToggle: () => void;
  onChanged: (message: string) => void;
  onErased: (message: string) => void;
}) {
  const { entry, open, onToggle } = props;
  const panel = `entry-${entry.id}`;
  // An erased entry stays in the list, anonymous, with nothing left to change.
  const erased = entry.email === ERASED;
  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>{entry.name ?? entry.email}</h3>
          {entry.name !== null && <p class="quiet">{entry.email}</p>}
          <p class="quiet">
            Code <code>{entry.referralCode}</code> · joined {utc(entry.createdAt)} · from {entry.source}
          </p>
        </div>
        <div class="badges">
          {erased ? (
            <span class="badge status-ended">erased</span>
          ) : entry.disqualified ? (
            <span class="badge status-disqualified">disqualified</span>
          ) : (
            <span class="badge status-active">active</span>
          )}
          {entry.fraudScore !== null && !erased && <FraudBadge score={entry.fraudScore} />}
        </div>
      </div>
      <dl class="numbers">
        <Figure label="Points" value={count(entry.totalPoints)} />
        <Figure label="Pending" value={count(entry.pendingPoints)} />
        <Figure label="Referrals" value={count(entry.referralCount)} />
      </dl>
      {entry.disqualified && entry.disqualifiedReason && <p>Disqualified: {entry.disqualifiedReason}</p>}
      {!erased && (
        <div class="actions">
          <button type="button" class="secondary" aria-expanded={open} aria-controls={panel} onClick={onToggle}>
            {open ? "Close" : "Manage"}
          </button>
        </div>
      )}
      {open && !erased && (
        <div id={panel} class="manage">
          <Access contest={props.contest} entry={entry} />
          <Standing {...props} />
          <AdjustPoints {...props} />
          <Ledger entry={entry} />
          <EntryCompletions {...props} />
          <Erase {...props} />
        </div>
      )}
    </li>
  );
}

function Standing({ entry, onChanged }: { entry: Entry; onChanged: (m: string) => void }) {
  const session = useSession();
  const [reason, setReason] = useState("");
  const action = useAction();
  const id = `dq-reason-${entry.id}`;

  function disqualify(e: Event) {
    e.preventDefault();
    void action.run(async () => {
      const text = reason.trim();
      await unwrap(
        session,
        session.api.POST("/api/v1/entries/{entryId}/disqualify", {
          params: { path: { entryId: entry.id } },
          body: { reason: text === "" ? null : text },
        }),
      );
      onChanged(`Disqualified ${who(entry)}.`);
    });
  }

  const reinstate = () =>
    action.run(async () => {
      await unwrap(session, session.api.POST("/api/v1/entries/{entryId}/reinstate", { params: { path: { entryId: entry.id } } }));
      onChanged(`Reinstated ${who(entry)}.`);
    });

  return (
    <section class="panel" aria-label="Standing">
      <h4>Standing</h4>
      {entry.disqualified ? (
        <div class="actions">
          <button type="button" disabled={action.busy} onClick={reinstate}>
            Reinstate
          </button>
        </div>
      ) : (
        <form onSubmit={disqualify} class="inline-form">
          <Field id={id} label="Reason for disqualifying">
            <input id={id} value={reason} onInput={(e) => setReason(e.currentTarget.value)} maxLength={500} autocomplete="off" />
          </Field>
          <button type="submit" disabled={action.busy}>
            Disqualify
          </button>
        </form>
      )}
      <Notice error={action.error} />
    </section>
  );
}

function AdjustPoints({ entry, onChanged }: { entry: Entry; onChanged: (m: string) => void }) {
  const session = useSession();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const action = useAction();

  function adjust(e: Event) {
    e.preventDefault();
    const n = Number(points);
    if (!Number.isInteger(n) || n === 0) return action.fail("Enter a whole number of points, not zero (negative to remove).");
    void action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/entries/{entryId}/adjust-points", {
          params: { path: { entryId: entry.id } },
          body: { points: n, reason: reason.trim() },
        }),
      );
      setPoints("");
      setReason("");
      onChanged(`Adjusted ${who(entry)} by ${signed(r.data.pointsAdded)}: now ${count(r.data.newTotalPoints)} points.`);
    });
  }

  return (
    <section class="panel" aria-label="Adjust points">
      <h4>Adjust points</h4>
      <form onSubmit={adjust} class="inline-form">
        <Field id={`adjust-points-${entry.id}`} label="Points to add (negative to remove)">
          <input
            id={`adjust-points-${entry.id}`}
            type="number"
            inputMode="numeric"
            step={1}
            required
            value={points}
            onInput={(e) => setPoints(e.currentTarget.value)}
          />
        </Field>
        <Field id={`adjust-reason-${entry.id}`} label="Reason for the adjustment">
          <input
            id={`adjust-reason-${entry.id}`}
            required
            maxLength={500}
            autocomplete="off"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" disabled={action.busy}>
          Adjust points
        </button>
      </form>
      <Notice error={action.error} />
    </section>
  );
}

function Ledger({ entry }: { entry: Entry }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const loaded = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/entries/{entryId}/ledger", { params: { path: { entryId: entry.id }, query: { page, limit: 10 } } }),
      ),
    // The entry's points changed: the ledger has a new row to show.
    [session, entry.id, entry.totalPoints, entry.pendingPoints, page],
  );
  const ledger = loaded.value?.data ?? null;
  const pagination = loaded.value?.pagination ?? null;
  const error = loaded.error;

  return (
    <section class="panel" aria-label="Ledger">
      <h4>Ledger</h4>
      <Notice error={error} />
      {ledger === null ? (
        error ? null : <p class="quiet">Loading…</p>
      ) : ledger.entries.length === 0 ? (
        <p>No points yet.</p>
      ) : (
        <ul class="ledger" aria-label={`Ledger of ${who(entry)}`}>
          {ledger.entries.map((row) => (
            <li key={row.id}>
              <span class="points">{signed(row.points)}</span> {REASON_TEXT[row.reason]}
              {row.note ? `: ${row.note}` : ""} · <span class={`badge status-${row.status}`}>{row.status}</span>
              <span class="quiet">
                {" "}
                · {utc(row.createdAt)}
                {row.status === "pending" && row.holdReason ? ` · held: ${HOLD_TEXT[row.holdReason]}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {pagination && (
        <PagerButtons page={page} totalPages={pagination.totalPages} label={`Pages of the ledger of ${who(entry)}`} onPage={setPage} />
      )}
    </section>
  );
}

/** The entry's bonus completions that wait for the owner (manual actions),
 * each approved or rejected by CompletionReview (as on the review page). */
function EntryCompletions({ entry, onChanged }: { entry: Entry; onChanged: (m: string) => void }) {
  const session = useSession();
  const action = useAction();
  const loaded = useLoad(async () => {
    const r = await unwrap(session, session.api.GET("/api/v1/entries/{entryId}/bonus-actions", { params: { path: { entryId: entry.id } } }));
    return r.data.actions.filter((a) => a.completionStatus === "pending");
  }, [session, entry.id, entry.totalPoints]);
  const pending = loaded.value;

  if (pending !== null && pending.length === 0 && action.error === null && loaded.error === null) return null;
  return (
    <section class="panel" aria-label="Bonus actions to approve">
      <h4>Bonus actions to approve</h4>
      <Notice error={action.error ?? loaded.error} />
      {pending && (
        <ul class="ledger">
          {pending.map((a) => (
            <li key={a.id}>
              {a.action} ({signed(a.points)}){" "}
              <CompletionReview
                completion={{ entryId: entry.id, bonusActionId: a.id, action: a.action }}
                who={who(entry)}
                label={a.action}
                action={action}
                onDecided={(text) => {
                  loaded.update((list) => (list ?? []).filter((x) => x.id !== a.id));
                  onChanged(text);
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Erase({ entry, onErased }: { entry: Entry; onErased: (m: string) => void }) {
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();

  const erase = () =>
    action.run(async () => {
      await unwrap(session, session.api.DELETE("/api/v1/entries/{entryId}", { params: { path: { entryId: entry.id } } }));
      onErased(`Erased ${who(entry)}.`);
    });

  return (
    <section class="panel" aria-label="Erase">
      <h4>Erase</h4>
      {confirming ? (
        <Confirm label="Confirm erasure" yes="Yes, erase" busy={action.busy} onYes={erase} onCancel={() => setConfirming(false)}>
          Erase {who(entry)} for good? Their email, name and referral code are removed; their ledger stays, anonymous, so
          every total stays right. This cannot be undone.
        </Confirm>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          Erase this participant…
        </button>
      )}
      <Notice error={action.error} />
    </section>
  );
}
