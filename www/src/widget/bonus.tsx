// The advocate's bonus actions with their state: click actions open their
// destination and complete; quiz actions take an answer; manual actions take a
// proof URL and then wait for the owner's review; auto actions only show (the
// site completes them).
import { useState } from "preact/hooks";
import type { BonusAction, CompleteBody, Completion, Result } from "./api";
import { fill } from "./locale";
import { safeUrl } from "./share";
import { day, num, quietly, type Ctx } from "./util";

/** Completes `action` with `body`; refreshes the widget when it worked. */
export type Complete = (action: BonusAction, body: CompleteBody) => Promise<Result<Completion>>;

export function BonusActions({ ctx, actions, complete }: { ctx: Ctx; actions: BonusAction[]; complete: Complete }) {
  if (!actions.length) return null;
  return (
    <>
      <h3>{ctx.s.bonusTitle}</h3>
      <ul>
        {actions.map((a) => (
          <BonusItem key={a.id} ctx={ctx} action={a} complete={complete} />
        ))}
      </ul>
    </>
  );
}

function BonusItem({ ctx, action: a, complete }: { ctx: Ctx; action: BonusAction; complete: Complete }) {
  const { s } = ctx;
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const send = (body: CompleteBody) =>
    quietly(async () => {
      setBusy(true);
      setError("");
      const r = await complete(a, body);
      setBusy(false);
      // The API refuses a wrong quiz answer with a 400.
      if (!r.ok) setError(r.status === 400 && a.confirmationType === "quiz" ? s.wrongAnswer : s.actionFailed);
    });
  return (
    <li>
      <p>
        <strong>{a.action}</strong> <span class="q">{fill(s.bonusPoints, { n: num(s, a.points) })}</span>
      </p>
      {a.description && <p class="q">{a.description}</p>}
      {state(ctx, a) ?? <Control ctx={ctx} action={a} busy={busy} value={value} setValue={setValue} send={send} />}
      <p role="status" class="e">
        {error}
      </p>
    </li>
  );
}

/** What the entry has done with the action, or null when not attempted. */
function state({ s }: Ctx, a: BonusAction) {
  if (a.completed || a.completionStatus === "verified") return <p>{fill(s.completedOn, { date: day(s, a.completedAt) })}</p>;
  if (a.completionStatus === "pending") return <p>{s.pendingReview}</p>;
  if (a.completionStatus === "rejected") return <p>{s.rejected}</p>;
  return null;
}

function Control({
  ctx: { s },
  action: a,
  busy,
  value,
  setValue,
  send,
}: {
  ctx: Ctx;
  action: BonusAction;
  busy: boolean;
  value: string;
  setValue: (v: string) => void;
  send: (body: CompleteBody) => void;
}) {
  if (a.confirmationType === "quiz" || a.confirmationType === "manual") {
    const quiz = a.confirmationType === "quiz";
    const id = `in-${a.id}`;
    const field = { id, required: true, value, onInput: (e: Event) => setValue((e.currentTarget as HTMLInputElement).value) };
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send(quiz ? { answer: value } : { proof: value });
        }}
      >
        <label for={id}>{quiz ? s.answer : s.proof}</label>
        <div class="row">
          {quiz ? <input type="text" maxLength={500} {...field} /> : <input type="url" maxLength={2048} {...field} />}
          <button disabled={busy}>{quiz ? s.submitAnswer : s.submitProof}</button>
        </div>
      </form>
    );
  }
  // Auto actions are the site's to confirm (its server completes them): nothing to press.
  if (a.confirmationType === "auto") return null;
  // Click: the destination opens in a new tab (the link's own behaviour)
  // while the completion is sent.
  const href = safeUrl(a.destinationUrl);
  return href ? (
    <a class="b" href={href} target="_blank" rel="noopener" onClick={() => send({})}>
      {s.open}
    </a>
  ) : (
    <button type="button" disabled={busy} onClick={() => send({})}>
      {s.claim}
    </button>
  );
}
