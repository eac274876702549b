// Contests: the account's contests with their status and key numbers, and a
// form to create one.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction, useLoad } from "../load";
import { count, endText, revenue } from "../format";
import { BASE, contestUrl, navigate, routeUrl } from "../router";
import { Figure, Link, Notice, PageHeading } from "../ui";

type Contest = Schema<"Contest">;

const PER_PAGE = 20;

export function ContestsPage({ page }: { page: number }) {
  const session = useSession();
  const [created, setCreated] = useState<Contest | null>(null);
  const list = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/contests", { params: { query: { page, limit: PER_PAGE } } })),
    [session, page],
  );
  const contests = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  return (
    <>
      <PageHeading title="Contests" />
      <CreateContest
        onCreated={(c) => {
          setCreated(c);
          if (page === 1) list.reload();
          else navigate(`${BASE}/`);
        }}
      />
      <Notice
        error={list.error}
        message={
          created && (
            <>
              Created “{created.name}”. <Link href={contestUrl(created.id, "settings")}>Open its settings</Link>
            </>
          )
        }
      />
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Your contests</h2>
        {contests === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : contests.length === 0 ? (
          <p>No contests yet: create the first one above.</p>
        ) : (
          <ul class="cards" aria-label="Contests">
            {contests.map((c) => (
              <ContestCard key={c.id} contest={c} />
            ))}
          </ul>
        )}
        {pagination && pagination.totalPages > 1 && <Pager page={page} totalPages={pagination.totalPages} />}
      </section>
    </>
  );
}

/** One contest with its key numbers (each card reads its own). */
function ContestCard({ contest }: { contest: Contest }) {
  const session = useSession();
  const numbers = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/contests/{contestId}/stats", { params: { path: { contestId: contest.id } } })),
    [session, contest.id],
  );
  const stats = numbers.value?.data;
  const end = endText(contest);
  return (
    <li class="card">
      <div class="card-head">
        <h3>
          <Link href={contestUrl(contest.id)}>{contest.name}</Link>
        </h3>
        <span class={`badge status-${contest.status}`}>{contest.status}</span>
      </div>
      <p class="quiet">
        <code>{contest.id}</code>
        {end && end !== contest.status ? ` · ${end}` : ""}
      </p>
      {numbers.error ? (
        <p class="quiet">Numbers unavailable.</p>
      ) : stats === undefined ? (
        <p class="quiet">Loading numbers…</p>
      ) : (
        <dl class="numbers">
          <Figure label="Visits" value={count(stats.visits)} />
          <Figure label="Signups" value={count(stats.signups)} />
          <Figure label="Referred" value={count(stats.referredSignups)} />
          <Figure label="Purchases" value={count(stats.purchases)} />
          <Figure label="Revenue" value={revenue(stats.revenue)} />
          <Figure label="Points" value={count(stats.points)} />
          <Figure label="Pending points" value={count(stats.pendingPoints)} />
        </dl>
      )}
    </li>
  );
}

function Pager({ page, totalPages }: { page: number; totalPages: number }) {
  return (
    <nav aria-label="Pages of contests" class="pager">
      {page > 1 ? <Link href={routeUrl({ name: "contests", page: page - 1 })}>Previous page</Link> : <span />}
      <span>
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? <Link href={routeUrl({ name: "contests", page: page + 1 })}>Next page</Link> : <span />}
    </nav>
  );
}

function CreateContest({ onCreated }: { onCreated: (c: Contest) => void }) {
  const session = useSession();
  const [name, setName] = useState("");
  const action = useAction();

  function create(e: Event) {
    e.preventDefault();
    void action.run(async () => {
      const res = await unwrap(session, session.api.POST("/api/v1/contests", { body: { name } }));
      setName("");
      onCreated(res.data);
    });
  }

  return (
    <section aria-labelledby="create-heading" class="panel">
      <h2 id="create-heading">New contest</h2>
      <form onSubmit={create} class="inline-form">
        <div class="field">
          <label for="new-contest-name">Name</label>
          <input
            id="new-contest-name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            required
            maxLength={200}
            autocomplete="off"
          />
        </div>
        <button type="submit" disabled={action.busy}>
          Create contest
        </button>
      </form>
      <Notice error={action.error} />
    </section>
  );
}
