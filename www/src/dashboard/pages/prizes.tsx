// A contest's prizes (issue 24): the prizes with their rule and how each is
// handed out, codes pasted or uploaded for code prizes, a new prize of any
// kind; then who earned what (prize-awards.tsx) and the contest's end,
// finalization, final standings and payouts (contest-outcome.tsx).
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { count } from "../format";
import { useAction, useLoad } from "../load";
import { batches, fulfilmentText, parseCodes, prizeBody, ruleText, type PrizeDraft as Draft } from "../prize-text";
import { Confirm, Field, Notice } from "../ui";
import { ContestOutcome } from "./contest-outcome";
import { ContestShell } from "./contest-shell";
import { PrizeAwards } from "./prize-awards";

type Contest = Schema<"Contest">;
type Prize = Schema<"Prize">;

export function PrizesPage({ contestId }: { contestId: string }) {
  return (
    <ContestShell contestId={contestId} tab="prizes">
      {(contest, update) => <Prizes contest={contest} onContest={update} />}
    </ContestShell>
  );
}

function Prizes({ contest, onContest }: { contest: Contest; onContest: (c: Contest) => void }) {
  const session = useSession();
  const action = useAction();
  const list = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/contests/{contestId}/prizes", { params: { path: { contestId: contest.id } } })),
    [session, contest.id],
  );
  const prizes = list.value?.data ?? null;
  // Awards change with a prize's codes (waiting ones served) and the finalize.
  const [round, setRound] = useState(0);
  const changed = () => {
    list.reload();
    setRound((n) => n + 1);
  };

  return (
    <>
      <section aria-labelledby="prizes-heading">
        <h2 id="prizes-heading">Prizes</h2>
        <Notice error={action.error ?? list.error} message={action.message} />
        {prizes === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : prizes.length === 0 ? (
          <p>No prizes yet: define the first one below.</p>
        ) : (
          <ul class="rows" aria-label="Prizes">
            {prizes.map((p) => (
              <PrizeRow key={p.id} prize={p} onChanged={changed} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="prize-create-heading" class="panel">
        <h2 id="prize-create-heading">New prize</h2>
        <PrizeForm
          contest={contest}
          onCreated={(p) => {
            action.say(`Created “${p.name}”.`);
            changed();
          }}
        />
      </section>
      <PrizeAwards contest={contest} prizes={prizes ?? []} round={round} onChanged={changed} />
      <ContestOutcome
        contest={contest}
        // Money is owed only with monetary rewards or a credit prize.
        owesMoney={contest.hasMonetaryReward || (prizes ?? []).some((p) => p.fulfilment.type === "credit")}
        onContest={onContest}
        onChanged={changed}
      />
    </>
  );
}

function PrizeRow({ prize: p, onChanged }: { prize: Prize; onChanged: () => void }) {
  const session = useSession();
  const action = useAction();
  const [codesOpen, setCodesOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = () =>
    action.run(async () => {
      await unwrap(session, session.api.DELETE("/api/v1/prizes/{prizeId}", { params: { path: { prizeId: p.id } } }));
      setDeleting(false);
      onChanged();
    });
  const left = p.quantity === null ? null : Math.max(0, p.quantity - p.earnedCount);
  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>{p.name}</h3>
          {p.description && <p>{p.description}</p>}
          <p class="quiet">
            Earned with {ruleText(p)} · {fulfilmentText(p.fulfilment)}
          </p>
        </div>
        <span class="badge status-ended">{p.kind}</span>
      </div>
      <p>
        Earned by {count(p.earnedCount)}
        {p.quantity === null ? "" : ` of ${count(p.quantity)} (${count(left ?? 0)} left)`}
        {p.fulfilment.type === "code" && p.codesAvailable !== undefined ? ` · ${count(p.codesAvailable)} codes available` : ""}
      </p>
      <div class="actions buttons">
        {p.fulfilment.type === "code" && (
          <button
            type="button"
            class="secondary"
            aria-expanded={codesOpen}
            onClick={() => setCodesOpen(!codesOpen)}
            aria-label={`Add codes to ${p.name}`}
          >
            Add codes…
          </button>
        )}
        {p.earnedCount === 0 && (
          <button type="button" class="secondary" onClick={() => setDeleting(!deleting)} aria-label={`Delete ${p.name}`}>
            Delete…
          </button>
        )}
      </div>
      {deleting && (
        <Confirm label={`Confirm deleting ${p.name}`} yes="Yes, delete" busy={action.busy} onYes={remove} onCancel={() => setDeleting(false)}>
          Delete “{p.name}” and its codes? Nobody has earned it yet.
        </Confirm>
      )}
      {codesOpen && (
        <CodesForm
          prize={p}
          onAdded={(text) => {
            action.say(text);
            onChanged();
          }}
        />
      )}
      <Notice error={action.error} message={action.message} />
    </li>
  );
}

/** Codes pasted (one per line) or read from a CSV file (its first column),
 * sent in calls of at most 10,000. */
function CodesForm({ prize, onAdded }: { prize: Prize; onAdded: (message: string) => void }) {
  const session = useSession();
  const action = useAction();
  const [text, setText] = useState("");
  const id = `codes-${prize.id}`;

  async function readFile(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setText(await file.text());
  }

  function submit(e: Event) {
    e.preventDefault();
    const codes = parseCodes(text);
    if (codes.length === 0) return action.fail("Paste at least one code, or choose a CSV file.");
    void action.run(async () => {
      let added = 0;
      let duplicates = 0;
      let available = 0;
      for (const part of batches(codes)) {
        const r = await unwrap(
          session,
          session.api.POST("/api/v1/prizes/{prizeId}/codes", { params: { path: { prizeId: prize.id } }, body: { codes: part } }),
        );
        added += r.data.added;
        duplicates += r.data.duplicates;
        available = r.data.available;
      }
      setText("");
      onAdded(
        `Added ${count(added)} ${added === 1 ? "code" : "codes"} to “${prize.name}”` +
          (duplicates ? ` (${count(duplicates)} already there)` : "") +
          `; ${count(available)} available.`,
      );
    });
  }

  return (
    <form onSubmit={submit} class="panel stack" aria-label={`Codes for ${prize.name}`}>
      <Field id={`${id}-text`} label="Codes, one per line" hint="Or choose a CSV file: its first column is read (a header named code is skipped).">
        <textarea
          id={`${id}-text`}
          rows={5}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          aria-describedby={`${id}-text-hint`}
          autocomplete="off"
          spellcheck={false}
        />
      </Field>
      <Field id={`${id}-file`} label="CSV file">
        <input id={`${id}-file`} type="file" accept=".csv,.txt,text/csv,text/plain" onChange={readFile} />
      </Field>
      <div>
        <button type="submit" disabled={action.busy}>
          Add codes
        </button>
      </div>
      <Notice error={action.error} message={action.message} />
    </form>
  );
}

function PrizeForm({ contest, onCreated }: { contest: Contest; onCreated: (p: Prize) => void }) {
  const session = useSession();
  const action = useAction();
  const blank: Draft = {
    name: "",
    description: "",
    imageUrl: "",
    kind: "milestone",
    thresholdOf: "referrals",
    threshold: "",
    rankFrom: "1",
    rankTo: "",
    fulfilment: "code",
    amount: "",
    currency: contest.rewardCurrency ?? "USD",
    quantity: "",
  };
  const [d, setD] = useState<Draft>(blank);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));

  function submit(e: Event) {
    e.preventDefault();
    const body = prizeBody(d);
    if (typeof body === "string") return action.fail(body);
    void action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/contests/{contestId}/prizes", { params: { path: { contestId: contest.id } }, body }),
      );
      setD(blank);
      onCreated(r.data);
    });
  }

  return (
    <form onSubmit={submit} aria-label="New prize">
      <div class="inline-form">
        <Field id="prize-name" label="Name">
          <input id="prize-name" value={d.name} onInput={(e) => set("name", e.currentTarget.value)} maxLength={200} autocomplete="off" />
        </Field>
        <Field id="prize-kind" label="Kind">
          <select id="prize-kind" value={d.kind} onChange={(e) => set("kind", e.currentTarget.value as Draft["kind"])}>
            <option value="milestone">milestone: everyone who reaches a threshold</option>
            <option value="rank">rank: places in the final standings</option>
          </select>
        </Field>
      </div>
      <Field id="prize-description" label="Description (optional)">
        <input id="prize-description" value={d.description} onInput={(e) => set("description", e.currentTarget.value)} maxLength={1000} />
      </Field>
      <Field id="prize-image" label="Image URL (optional, https)">
        <input id="prize-image" type="url" value={d.imageUrl} onInput={(e) => set("imageUrl", e.currentTarget.value)} />
      </Field>
      {d.kind === "milestone" ? (
        <div class="inline-form">
          <Field id="prize-threshold-of" label="Counted in">
            <select id="prize-threshold-of" value={d.thresholdOf} onChange={(e) => set("thresholdOf", e.currentTarget.value as Draft["thresholdOf"])}>
              <option value="referrals">confirmed referrals</option>
              <option value="points">confirmed points</option>
            </select>
          </Field>
          <Field id="prize-threshold" label="Threshold">
            <input id="prize-threshold" type="number" min={1} step={1} value={d.threshold} onInput={(e) => set("threshold", e.currentTarget.value)} />
          </Field>
        </div>
      ) : (
        <div class="inline-form">
          <Field id="prize-rank-from" label="From place">
            <input id="prize-rank-from" type="number" min={1} step={1} value={d.rankFrom} onInput={(e) => set("rankFrom", e.currentTarget.value)} />
          </Field>
          <Field id="prize-rank-to" label="To place (blank: the same)">
            <input id="prize-rank-to" type="number" min={1} step={1} value={d.rankTo} onInput={(e) => set("rankTo", e.currentTarget.value)} />
          </Field>
        </div>
      )}
      <div class="inline-form">
        <Field id="prize-fulfilment" label="Handed out as">
          <select id="prize-fulfilment" value={d.fulfilment} onChange={(e) => set("fulfilment", e.currentTarget.value as Draft["fulfilment"])}>
            <option value="code">a code from the prize's pool</option>
            <option value="credit">credit to the reward balance</option>
            <option value="manual">manual: you ship it</option>
          </select>
        </Field>
        {d.fulfilment === "credit" && (
          <>
            <Field id="prize-amount" label="Amount">
              <input id="prize-amount" type="number" min={0.01} step="any" inputMode="decimal" value={d.amount} onInput={(e) => set("amount", e.currentTarget.value)} />
            </Field>
            <Field id="prize-currency" label="Currency" hint="The contest's reward currency.">
              <input
                id="prize-currency"
                value={d.currency}
                maxLength={3}
                onInput={(e) => set("currency", e.currentTarget.value)}
                aria-describedby="prize-currency-hint"
                autocomplete="off"
              />
            </Field>
          </>
        )}
        <Field id="prize-quantity" label="How many may earn it (blank: no limit)">
          <input id="prize-quantity" type="number" min={1} step={1} value={d.quantity} onInput={(e) => set("quantity", e.currentTarget.value)} />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Create prize
        </button>
      </div>
      <Notice error={action.error} message={action.message} />
    </form>
  );
}
