// The end of a contest on its Prizes page: end it now, finalize it (the final
// standings frozen from confirmed points, rank prizes assigned; the
// confirmation says how many awards are still pending, which then do not
// count), the final standings, and the payouts file (PayPal, Wise or generic
// CSV), fetched with the key like the other exports.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { count, utc } from "../format";
import { useAction, useLoad } from "../load";
import { Confirm, Field, Notice, PagerButtons } from "../ui";
import { saveBlob, sizeText } from "./exports";

type Contest = Schema<"Contest">;
type Format = "paypal" | "wise" | "generic";

const PER_PAGE = 25;

export function ContestOutcome({
  contest,
  owesMoney,
  onContest,
  onChanged,
}: {
  contest: Contest;
  /** Monetary rewards or a credit prize: only then is there money to pay out. */
  owesMoney: boolean;
  onContest: (c: Contest) => void;
  onChanged: () => void;
}) {
  const finalized = contest.finalizedAt != null;
  return (
    <>
      <EndAndFinalize contest={contest} onContest={onContest} onChanged={onChanged} />
      {finalized && <Standings contest={contest} />}
      {owesMoney && <Payouts contest={contest} />}
    </>
  );
}

function EndAndFinalize({ contest, onContest, onChanged }: { contest: Contest; onContest: (c: Contest) => void; onChanged: () => void }) {
  const session = useSession();
  const action = useAction();
  const [ending, setEnding] = useState(false);
  /** The pending awards counted when the owner asked to finalize; null: not asked. */
  const [pending, setPending] = useState<number | null>(null);
  // Ended by its status, the end call, or its end date passing (the cron notes that one).
  const ended =
    contest.status === "ended" || contest.endedAt != null || (contest.endsAt != null && Date.parse(contest.endsAt) <= Date.now());
  const finalized = contest.finalizedAt != null;

  const readContest = () =>
    action.run(async () => {
      const r = await unwrap(session, session.api.GET("/api/v1/contests/{contestId}", { params: { path: { contestId: contest.id } } }));
      onContest(r.data);
      if (r.data.finalizedAt != null) onChanged();
    });
  const end = () =>
    action.run(async () => {
      const r = await unwrap(session, session.api.POST("/api/v1/contests/{contestId}/end", { params: { path: { contestId: contest.id } } }));
      setEnding(false);
      onContest(r.data);
      return "The contest has ended: it takes no more signups, referrals or purchases.";
    });
  const askFinalize = () =>
    action.run(async () => {
      const r = await unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/awards", {
          params: { path: { contestId: contest.id }, query: { status: "pending", page: 1, limit: 1 } },
        }),
      );
      setPending(r.pagination.total);
    });
  const finalize = (excludePending: boolean) =>
    action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/contests/{contestId}/finalize", {
          params: { path: { contestId: contest.id } },
          body: excludePending ? { excludePending: true } : {},
        }),
      );
      setPending(null);
      onContest(r.data);
      onChanged();
      return r.data.finalizedAt != null
        ? "The contest is finalized: the final standings are frozen and rank prizes assigned."
        : "Finalizing: a large contest's standings are written in the background.";
    });

  return (
    <section aria-labelledby="outcome-heading" class="panel">
      <h2 id="outcome-heading">End and finalize</h2>
      <p>
        {contest.finalizing && !finalized
          ? "Finalizing: the final standings are being written in the background. Check again in a moment."
          : finalized
            ? `Finalized ${utc(contest.finalizedAt ?? "")}: the final standings below are frozen and rank prizes assigned.`
            : ended
              ? "The contest has ended. Finalize it to freeze the final standings from confirmed points and assign the rank prizes."
              : contest.endsAt
                ? `The contest ends ${utc(contest.endsAt)}. End it now, or let it end then; then finalize it.`
                : "End the contest to stop signups, referrals and purchases; then finalize it."}
      </p>
      <Notice error={action.error} message={action.message} />
      {!ended && !finalized && (
        <>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setEnding(!ending)} aria-expanded={ending}>
              End the contest now…
            </button>
          </div>
          {ending && (
            <Confirm label="Confirm ending the contest" yes="Yes, end it" busy={action.busy} onYes={end} onCancel={() => setEnding(false)}>
              End “{contest.name}” now? It stops taking signups, referrals and purchases.
            </Confirm>
          )}
        </>
      )}
      {contest.finalizing && !finalized && (
        <div class="actions">
          <button type="button" class="secondary" disabled={action.busy} onClick={readContest}>
            Check again
          </button>
        </div>
      )}
      {ended && !finalized && !contest.finalizing && (
        <>
          <div class="actions">
            <button type="button" disabled={action.busy} onClick={askFinalize}>
              Finalize…
            </button>
          </div>
          {pending !== null && (
            <Confirm
              label="Confirm finalizing the contest"
              yes="Yes, finalize"
              busy={action.busy}
              onYes={() => finalize(pending > 0)}
              onCancel={() => setPending(null)}
            >
              Finalize “{contest.name}”? The final standings are frozen from confirmed points and rank prizes are assigned; this
              cannot be undone.{" "}
              {pending === 0
                ? "No award is pending."
                : `${count(pending)} ${pending === 1 ? "award is" : "awards are"} still pending review: ${pending === 1 ? "it does" : "they do"} not count.`}
            </Confirm>
          )}
        </>
      )}
    </section>
  );
}

function Standings({ contest }: { contest: Contest }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/standings", {
          params: { path: { contestId: contest.id }, query: { page, limit: PER_PAGE } },
        }),
      ),
    [session, contest.id, page],
  );
  const rows = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;
  return (
    <section aria-labelledby="standings-heading">
      <h2 id="standings-heading">Final standings</h2>
      <Notice error={list.error} />
      {rows === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : rows.length === 0 ? (
        <p>Nobody is ranked: no entry has confirmed points.</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Final standings table">
          <table>
            <caption class="visually-hidden">Final standings</caption>
            <thead>
              <tr>
                <th scope="col">Place</th>
                <th scope="col">Name</th>
                <th scope="col">Points</th>
                <th scope="col">Reached</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.entryId}>
                  <td>{count(r.rank)}</td>
                  <td>{r.name ?? "–"}</td>
                  <td>{count(r.points)}</td>
                  <td>{r.reachedAt ? utc(r.reachedAt) : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pagination && <PagerButtons page={page} totalPages={pagination.totalPages} label="Pages of the final standings" onPage={setPage} />}
    </section>
  );
}

const FORMAT_TEXT: Record<Format, string> = {
  paypal: "PayPal Payouts (bulk file, no header)",
  wise: "Wise batch payment",
  generic: "generic CSV with a header",
};

function Payouts({ contest }: { contest: Contest }) {
  const session = useSession();
  const action = useAction();
  const [format, setFormat] = useState<Format>("paypal");
  /** The parts of the last file downloaded (X-Total-Parts), with its format. */
  const [parts, setParts] = useState<{ format: Format; total: number } | null>(null);

  const download = (part: number) =>
    action.run(async () => {
      const pending = session.api.GET("/api/v1/contests/{contestId}/export/payouts.csv", {
        params: { path: { contestId: contest.id }, query: { format, part } },
        parseAs: "blob",
      });
      const blob = await unwrap(session, pending);
      const total = Math.max(1, Number((await pending).response.headers.get("x-total-parts")) || 1);
      setParts({ format, total });
      const name = `${contest.id}-payouts-${format}${total > 1 ? `-part${part}` : ""}.csv`;
      saveBlob(blob, name);
      return `Downloaded ${name} (${sizeText(blob.size)})` + (total > 1 ? `: part ${part} of ${total}.` : ".");
    });

  return (
    <section aria-labelledby="payouts-heading" class="panel">
      <h2 id="payouts-heading">Payouts</h2>
      <p>
        What each participant is owed in the contest's reward currency ({contest.rewardCurrency}): credit prizes and monetary
        rewards, less what was redeemed or paid, as a file for your payout provider. A long list comes in parts (5,000 rows,
        Wise 1,000): download every part before you pay.
      </p>
      <form
        class="inline-form"
        aria-label="Payouts file"
        onSubmit={(e) => {
          e.preventDefault();
          void download(1);
        }}
      >
        <Field id="payout-format" label="Format">
          <select
            id="payout-format"
            value={format}
            onChange={(e) => {
              setFormat(e.currentTarget.value as Format);
              setParts(null);
            }}
          >
            {(Object.keys(FORMAT_TEXT) as Format[]).map((f) => (
              <option key={f} value={f}>
                {FORMAT_TEXT[f]}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={action.busy}>
          {action.busy ? "Preparing…" : "Download payouts CSV"}
        </button>
      </form>
      {parts && parts.format === format && parts.total > 1 && (
        <div class="actions buttons" role="group" aria-label="Parts of the payouts file">
          {Array.from({ length: parts.total }, (_, i) => (
            <button key={i} type="button" class="secondary" disabled={action.busy} onClick={() => download(i + 1)}>
              Part {i + 1}
            </button>
          ))}
        </div>
      )}
      <Notice error={action.error} message={action.message} />
    </section>
  );
}
