// Who earned which prize, by status (earned, waiting for a code, fulfilled,
// void) and prize, page by page: mark one fulfilled, or void it with a reason
// (its code back to the pool, or burned).
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { count, utc } from "../format";
import { useAction, useLoad } from "../load";
import { Confirm, CopyButton, Field, Notice, PagerButtons } from "../ui";

type Contest = Schema<"Contest">;
type Prize = Schema<"Prize">;
type Award = Schema<"PrizeAward">;
type Status = Schema<"PrizeAwardStatus">;

const PER_PAGE = 25;

const STATUS_TEXT: Record<Status, string> = {
  earned: "earned",
  waiting: "waiting for a code",
  fulfilled: "fulfilled",
  void: "void",
};

export function PrizeAwards({
  contest,
  prizes,
  round,
  onChanged,
}: {
  contest: Contest;
  prizes: Prize[];
  /** Moves on when something else on the page changed the awards. */
  round: number;
  onChanged: () => void;
}) {
  const session = useSession();
  const [status, setStatus] = useState<Status | "">("");
  const [prizeId, setPrizeId] = useState("");
  const [page, setPage] = useState(1);
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/prize-awards", {
          params: {
            path: { contestId: contest.id },
            query: { page, limit: PER_PAGE, ...(status === "" ? {} : { status }), ...(prizeId === "" ? {} : { prizeId }) },
          },
        }),
      ),
    [session, contest.id, status, prizeId, page, round],
  );
  const awards = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  return (
    <section aria-labelledby="awards-heading">
      <h2 id="awards-heading">
        Who earned what{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
      </h2>
      <div class="inline-form filters">
        <Field id="award-status" label="Status">
          <select
            id="award-status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as Status | "");
              setPage(1);
            }}
          >
            <option value="">all</option>
            {(Object.keys(STATUS_TEXT) as Status[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_TEXT[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="award-prize" label="Prize">
          <select
            id="award-prize"
            value={prizeId}
            onChange={(e) => {
              setPrizeId(e.currentTarget.value);
              setPage(1);
            }}
          >
            <option value="">all prizes</option>
            {prizes.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Notice error={list.error} />
      {awards === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : awards.length === 0 ? (
        <p>No prize awards{status === "" ? "" : ` ${STATUS_TEXT[status]}`} yet.</p>
      ) : (
        <ul class="rows" aria-label="Prize awards">
          {awards.map((a) => (
            <AwardRow
              key={a.id}
              award={a}
              prizeName={a.prizeName}
              onChanged={() => {
                list.reload();
                onChanged();
              }}
            />
          ))}
        </ul>
      )}
      {pagination && <PagerButtons page={page} totalPages={pagination.totalPages} label="Pages of prize awards" onPage={setPage} />}
    </section>
  );
}

function AwardRow({ award: a, prizeName, onChanged }: { award: Award; prizeName: string; onChanged: () => void }) {
  const session = useSession();
  const action = useAction();
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState("");
  const [burn, setBurn] = useState(false);
  const id = `void-${a.id}`;
  const open = a.status === "earned" || a.status === "waiting";

  const fulfil = () =>
    action.run(async () => {
      await unwrap(session, session.api.POST("/api/v1/prize-awards/{prizeAwardId}/fulfil", { params: { path: { prizeAwardId: a.id } }, body: {} }));
      onChanged();
    });
  const voidIt = () => {
    const text = reason.trim();
    if (text === "") return action.fail("Say why it is void.");
    void action.run(async () => {
      await unwrap(
        session,
        session.api.POST("/api/v1/prize-awards/{prizeAwardId}/void", {
          params: { path: { prizeAwardId: a.id } },
          body: burn ? { reason: text, burnCode: true } : { reason: text },
        }),
      );
      setVoiding(false);
      onChanged();
    });
  };

  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>
            {prizeName} <span class="quiet">{a.email}</span>
          </h3>
          <p class="quiet">
            {a.rank != null ? `place ${count(a.rank)} · ` : ""}earned {utc(a.earnedAt)}
            {a.fulfilledAt ? ` · fulfilled ${utc(a.fulfilledAt)}` : ""}
            {a.note ? ` (${a.note})` : ""}
            {a.voidReason ? ` · void: ${a.voidReason}` : ""}
          </p>
        </div>
        <span class="badges">
          <span class={`badge prize-${a.status}`}>{STATUS_TEXT[a.status]}</span>
          {a.clawback && <span class="badge prize-void">clawback</span>}
        </span>
      </div>
      {a.code && (
        <p>
          Code <code>{a.code}</code> <CopyButton text={a.code} label={`Copy code for ${a.email}`} />
        </p>
      )}
      {open && (
        <div class="actions buttons">
          {a.status === "earned" && (
            <button type="button" disabled={action.busy} onClick={fulfil} aria-label={`Mark fulfilled: ${prizeName} for ${a.email}`}>
              Mark fulfilled
            </button>
          )}
          <button type="button" class="secondary" onClick={() => setVoiding(!voiding)} aria-label={`Void ${prizeName} for ${a.email}`}>
            Void…
          </button>
        </div>
      )}
      {voiding && (
        <Confirm label={`Confirm voiding ${prizeName} for ${a.email}`} yes="Yes, void" busy={action.busy} onYes={voidIt} onCancel={() => setVoiding(false)}>
          Void “{prizeName}” for {a.email}? {a.code ? "Its code goes back to the pool unless you burn it." : ""}
          <span class="field">
            <label for={`${id}-reason`}>Reason</label>
            <input id={`${id}-reason`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} maxLength={500} autocomplete="off" />
          </span>
          {a.code && (
            <span class="check">
              <input id={`${id}-burn`} type="checkbox" checked={burn} onChange={(e) => setBurn(e.currentTarget.checked)} />
              <label for={`${id}-burn`}>Burn the code (it was already handed out)</label>
            </span>
          )}
        </Confirm>
      )}
      <Notice error={action.error} message={action.message} />
    </li>
  );
}
