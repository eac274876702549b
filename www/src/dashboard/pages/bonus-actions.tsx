// A contest's bonus actions in their order: create, edit (only what changed
// is sent), delete after a confirmation, move up or down. A quiz's answer is
// write-only: the API never returns it, so the edit form leaves it empty and
// sends it only when one is typed.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction, useLoad } from "../load";
import { signed } from "../format";
import { Confirm, Field, Notice } from "../ui";
import { ContestShell } from "./contest-shell";

type Contest = Schema<"Contest">;
type BonusAction = Schema<"BonusAction">;
type Kind = Schema<"ConfirmationType">;

const KIND_TEXT: Record<Kind, string> = {
  auto: "auto: completes at once",
  click: "click: completes when clicked",
  manual: "manual: you approve each",
  quiz: "quiz: completes on the right answer",
};

export function BonusActionsPage({ contestId }: { contestId: string }) {
  return (
    <ContestShell contestId={contestId} tab="bonus-actions">
      {(contest) => <BonusActions contest={contest} />}
    </ContestShell>
  );
}

/** Sorted as the API's `order` says, ties by creation. */
function sorted(list: BonusAction[]): BonusAction[] {
  return [...list].sort((a, b) => a.order - b.order || a.createdAt.localeCompare(b.createdAt));
}

function BonusActions({ contest }: { contest: Contest }) {
  const session = useSession();
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const action = useAction();
  const list = useLoad(async () => {
    const r = await unwrap(session, session.api.GET("/api/v1/contests/{contestId}/bonus-actions", { params: { path: { contestId: contest.id } } }));
    return sorted(r.data);
  }, [session, contest.id]);
  const actions = list.value;

  const done = (text: string) => {
    action.say(text);
    list.reload();
  };

  /** Moves one place up or down: every action gets order 1..n in the new
   * sequence; only those whose order changes are patched. */
  async function move(index: number, by: -1 | 1) {
    if (actions === null) return;
    const next = [...actions];
    const [item] = next.splice(index, 1);
    if (!item) return;
    next.splice(index + by, 0, item);
    const failed = await action.run(async () => {
      for (const [i, a] of next.entries()) {
        if (a.order === i + 1) continue;
        await unwrap(
          session,
          session.api.PATCH("/api/v1/contests/{contestId}/bonus-actions/{bonusActionId}", {
            params: { path: { contestId: contest.id, bonusActionId: a.id } },
            body: { order: i + 1 },
          }),
        );
      }
      list.reload();
      return `Moved “${item.action}” ${by < 0 ? "up" : "down"}.`;
    });
    // Some were moved, maybe: the list as the API now has it.
    if (failed !== null) list.reload();
  }

  const remove = (a: BonusAction) =>
    action.run(async () => {
      await unwrap(
        session,
        session.api.DELETE("/api/v1/contests/{contestId}/bonus-actions/{bonusActionId}", {
          params: { path: { contestId: contest.id, bonusActionId: a.id } },
        }),
      );
      setDeleting(null);
      list.reload();
      return `Deleted “${a.action}”.`;
    });

  return (
    <>
      <section aria-labelledby="bonus-list-heading">
        <h2 id="bonus-list-heading">Bonus actions</h2>
        <Notice error={action.error ?? list.error} message={action.message} />
        {actions === null ? (
          list.error ? null : <p class="quiet">Loading…</p>
        ) : actions.length === 0 ? (
          <p>No bonus actions yet: create the first one below.</p>
        ) : (
          <ol class="rows" aria-label="Bonus actions, in order">
            {actions.map((a, i) => (
              <li key={a.id} class="row">
                <div class="row-head">
                  <div class="row-main">
                    <h3>{a.action}</h3>
                    <p>{a.description}</p>
                    <p class="quiet">
                      {signed(a.points)} points · {KIND_TEXT[a.confirmationType]}
                      {a.destinationUrl ? ` · ${a.destinationUrl}` : ""}
                    </p>
                  </div>
                  <span class="badge status-ended">{a.confirmationType}</span>
                </div>
                <div class="actions buttons">
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy || i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={`Move ${a.action} up`}
                  >
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy || i === actions.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move ${a.action} down`}
                  >
                    ↓ Down
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={editing === a.id}
                    onClick={() => setEditing(editing === a.id ? null : a.id)}
                    aria-label={`Edit ${a.action}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => setDeleting(deleting === a.id ? null : a.id)}
                    aria-label={`Delete ${a.action}`}
                  >
                    Delete…
                  </button>
                </div>
                {deleting === a.id && (
                  <Confirm
                    label={`Confirm deleting ${a.action}`}
                    yes="Yes, delete"
                    busy={action.busy}
                    onYes={() => remove(a)}
                    onCancel={() => setDeleting(null)}
                  >
                    Delete “{a.action}”? Points already earned with it stay.
                  </Confirm>
                )}
                {editing === a.id && (
                  <ActionForm
                    contest={contest}
                    action={a}
                    onSaved={(b) => {
                      setEditing(null);
                      done(`Saved “${b.action}”.`);
                    }}
                  />
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="bonus-create-heading" class="panel">
        <h2 id="bonus-create-heading">New bonus action</h2>
        <ActionForm
          contest={contest}
          nextOrder={actions && actions.length ? Math.max(...actions.map((a) => a.order)) + 1 : 1}
          onSaved={(b) => done(`Created “${b.action}”.`)}
        />
      </section>
    </>
  );
}

interface Draft {
  action: string;
  description: string;
  points: string;
  confirmationType: Kind;
  destinationUrl: string;
}

function draftOf(a: BonusAction | undefined): Draft {
  return {
    action: a?.action ?? "",
    description: a?.description ?? "",
    points: a ? String(a.points) : "10",
    confirmationType: a?.confirmationType ?? "click",
    destinationUrl: a?.destinationUrl ?? "",
  };
}

/** The create form (no `action`) or the edit form of `action`. */
function ActionForm({
  contest,
  action,
  nextOrder,
  onSaved,
}: {
  contest: Contest;
  action?: BonusAction;
  nextOrder?: number;
  onSaved: (a: BonusAction) => void;
}) {
  const session = useSession();
  const [draft, setDraft] = useState(() => draftOf(action));
  const [answer, setAnswer] = useState("");
  const saving = useAction();
  const p = action ? `edit-${action.id}` : "new-bonus";
  const set = (k: Exclude<keyof Draft, "confirmationType">) => ({
    value: draft[k],
    onInput: (e: { currentTarget: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.currentTarget.value })),
  });

  function save(e: Event) {
    e.preventDefault();
    const url = draft.destinationUrl.trim();
    const typed = answer.trim();
    if (action === undefined) {
      void saving.run(async () => {
        const r = await unwrap(
          session,
          session.api.POST("/api/v1/contests/{contestId}/bonus-actions", {
            params: { path: { contestId: contest.id } },
            body: {
              action: draft.action,
              description: draft.description,
              points: Number(draft.points),
              confirmationType: draft.confirmationType,
              destinationUrl: url === "" ? null : url,
              order: nextOrder ?? null,
              ...(draft.confirmationType === "quiz" ? { correctAnswer: typed } : {}),
            },
          }),
        );
        setDraft(draftOf(undefined));
        setAnswer("");
        onSaved(r.data);
      });
      return;
    }
    const before = draftOf(action);
    const body: Schema<"BonusActionUpdate"> = {};
    if (draft.action !== before.action) body.action = draft.action;
    if (draft.description !== before.description) body.description = draft.description;
    if (draft.points !== before.points) body.points = Number(draft.points);
    if (draft.confirmationType !== before.confirmationType) body.confirmationType = draft.confirmationType;
    if (draft.destinationUrl !== before.destinationUrl) body.destinationUrl = url === "" ? null : url;
    if (draft.confirmationType === "quiz" && typed !== "") body.correctAnswer = typed;
    if (Object.keys(body).length === 0) return saving.fail("Nothing changed.");
    void saving.run(async () => {
      const r = await unwrap(
        session,
        session.api.PATCH("/api/v1/contests/{contestId}/bonus-actions/{bonusActionId}", {
          params: { path: { contestId: contest.id, bonusActionId: action.id } },
          body,
        }),
      );
      onSaved(r.data);
    });
  }

  return (
    <form onSubmit={save} class="settings bonus-form" aria-label={action ? `Edit ${action.action}` : "New bonus action"}>
      <fieldset>
        <legend>{action ? "Edit" : "Details"}</legend>
        <Field id={`${p}-action`} label="Name">
          <input id={`${p}-action`} required maxLength={100} autocomplete="off" {...set("action")} />
        </Field>
        <Field id={`${p}-description`} label="Description">
          <input id={`${p}-description`} required maxLength={500} autocomplete="off" {...set("description")} />
        </Field>
        <Field id={`${p}-points`} label="Points">
          <input id={`${p}-points`} type="number" inputMode="numeric" min={0} max={1000000} step={1} required {...set("points")} />
        </Field>
        <Field id={`${p}-type`} label="Confirmation">
          <select
            id={`${p}-type`}
            value={draft.confirmationType}
            onChange={(e) => setDraft((d) => ({ ...d, confirmationType: e.currentTarget.value as Kind }))}
          >
            {(Object.keys(KIND_TEXT) as Kind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_TEXT[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${p}-url`} label="Link (optional)" hint="Where the participant goes to do it: an http(s) URL.">
          <input id={`${p}-url`} type="url" maxLength={2048} autocomplete="off" aria-describedby={`${p}-url-hint`} {...set("destinationUrl")} />
        </Field>
        {draft.confirmationType === "quiz" && (
          <Field
            id={`${p}-answer`}
            label="Quiz answer"
            hint={
              action?.confirmationType === "quiz"
                ? "Never shown back. Leave it blank to keep the saved answer."
                : "Never shown back. Case and spacing are ignored."
            }
          >
            <input
              id={`${p}-answer`}
              autocomplete="off"
              maxLength={500}
              required={action?.confirmationType !== "quiz"}
              value={answer}
              onInput={(e) => setAnswer(e.currentTarget.value)}
              aria-describedby={`${p}-answer-hint`}
            />
          </Field>
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={saving.busy}>
          {action ? "Save bonus action" : "Create bonus action"}
        </button>
      </div>
      <Notice error={saving.error} />
    </form>
  );
}
