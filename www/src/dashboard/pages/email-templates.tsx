// The messages a contest sends (GET /api/v1/contests/{id}/email-templates),
// one row each: on or off, and an editor of its subject, text and HTML
// (PUT .../email-templates/{kind} with only what changed), its placeholders,
// "Reset to default" and "Send a test" (POST .../emails/test). Templates are
// shown and edited as text (input values), never as markup.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction, useLoad } from "../load";
import { contestUrl } from "../router";
import { Confirm, Field, Link, Notice } from "../ui";
import { KIND_LABELS } from "./email-log";

type Contest = Schema<"Contest">;
type Template = Schema<"EmailTemplate">;
type Kind = Template["kind"];
type Update = Schema<"EmailTemplateUpdate">;

/** When each message goes, as the owner reads it. */
const WHEN: Record<Kind, string> = {
  welcome: "To a new participant: their referral link and a sign-in link.",
  confirm: "To a browser signup when confirmation is required: the link that confirms the address.",
  "referral.confirmed": "To the advocate when a referral counts for them.",
  "prize.earned": "To a participant who earned a prize, with its code.",
  "contest.results": "To every ranked participant after you finalize: their rank and prizes.",
  portal: "The sign-in link a participant asks for (or you send from their row).",
};

/** `onSent` is told when a test went out (the list below reads again). */
export function EmailTemplates({ contest, onSent }: { contest: Contest; onSent: () => void }) {
  const session = useSession();
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/email-templates", { params: { path: { contestId: contest.id } } }),
      ),
    [session, contest.id],
  );
  const templates = list.value?.data ?? null;
  return (
    <section aria-labelledby="email-templates-heading">
      <h2 id="email-templates-heading">Messages</h2>
      <p class="hint">
        Each message has shipped texts in English, French, German and Spanish (the participant's language, else the
        contest's). Your own subject, text or HTML replaces the shipped one in every language. Every message ends with
        the contest's name and an unsubscribe link. "Send a test" sends the saved version, with made-up values, to the
        contest's reply-to address (else its sender address).
      </p>
      <Notice error={list.error} />
      {templates === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : (
        <ul class="rows" aria-label="Messages">
          {templates.map((t) => (
            <MessageRow
              key={t.kind}
              contest={contest}
              template={t}
              onSaved={(next) => list.update((v) => v && { ...v, data: v.data.map((x) => (x.kind === next.kind ? next : x)) })}
              onSent={onSent}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The editor's values, as the inputs hold them. */
interface Draft {
  enabled: boolean;
  subject: string;
  text: string;
  html: string;
}

const draftOf = (t: Template): Draft => ({ enabled: t.enabled, subject: t.subject, text: t.text, html: t.html });

/** The PUT body: only what changed (a field sent blank goes back to the shipped one). */
function changes(t: Template, d: Draft): Update {
  const body: Update = {};
  if (t.switchable && d.enabled !== t.enabled) body.enabled = d.enabled;
  if (d.subject !== t.subject) body.subject = d.subject;
  if (d.text !== t.text) body.text = d.text;
  if (d.html !== t.html) body.html = d.html;
  return body;
}

function MessageRow({
  contest,
  template: t,
  onSaved,
  onSent,
}: {
  contest: Contest;
  template: Template;
  onSaved: (t: Template) => void;
  onSent: () => void;
}) {
  const session = useSession();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(t));
  const [resetting, setResetting] = useState(false);
  const id = `message-${t.kind.replace(".", "-")}`;
  const label = KIND_LABELS[t.kind];
  const path = { params: { path: { contestId: contest.id, kind: t.kind } } };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const put = (body: Update, done: string) =>
    action.run(async () => {
      const r = await unwrap(session, session.api.PUT("/api/v1/contests/{contestId}/email-templates/{kind}", { ...path, body }));
      setDraft(draftOf(r.data));
      setResetting(false);
      onSaved(r.data);
      return done;
    });

  function save(e: Event) {
    e.preventDefault();
    const body = changes(t, draft);
    if (Object.keys(body).length === 0) return action.say("Nothing changed.");
    void put(body, `${label}: saved.`);
  }

  const sendTest = () =>
    action.run(async () => {
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/contests/{contestId}/emails/test", {
          params: { path: { contestId: contest.id } },
          body: { kind: t.kind },
        }),
      );
      onSent();
      return r.data.status === "capped"
        ? `Not sent: ${r.data.to} had 10 messages today.`
        : `A test of ${label.toLowerCase()} is on its way to ${r.data.to}.`;
    });

  const always = t.kind === "portal";
  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>{label}</h3>
          <p class="quiet">{WHEN[t.kind]}</p>
          <p class="quiet">{t.customized ? "Your own text." : "The shipped text."}</p>
        </div>
        <span class={`badge ${t.enabled ? "status-sent" : "status-erased"}`}>{t.enabled ? "on" : "off"}</span>
      </div>
      <div class="actions">
        <button type="button" class="secondary" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          {open ? "Close" : "Edit"} <span class="visually-hidden">{label}</span>
        </button>{" "}
        <button type="button" class="secondary" disabled={action.busy || !contest.emailFrom} onClick={sendTest}>
          Send a test <span class="visually-hidden">of {label}</span>
        </button>
      </div>
      {open && (
        <form id={id} onSubmit={save} class="panel template" aria-label={`${label} message`}>
          {t.switchable ? (
            <div class="field check">
              <input
                id={`${id}-enabled`}
                type="checkbox"
                checked={draft.enabled}
                onChange={(e) => set({ enabled: e.currentTarget.checked })}
              />
              <label for={`${id}-enabled`}>Send {label.toLowerCase()} messages</label>
            </div>
          ) : (
            <p class="hint">
              {always ? (
                "Always sent: participants ask for it."
              ) : (
                <>
                  {t.enabled ? "On" : "Off"}: it follows "Require email confirmation" in the{" "}
                  <Link href={contestUrl(contest.id, "settings")}>settings</Link>.
                </>
              )}{" "}
              If your text or HTML leaves out {always ? "{{portalLink}}" : "{{confirmLink}}"}, the link is added at its
              end.
            </p>
          )}
          <p class="hint" id={`${id}-placeholders`}>
            Placeholders:{" "}
            {t.placeholders.map((p, i) => (
              <span key={p}>
                {i > 0 ? ", " : ""}
                <code>{`{{${p}}}`}</code>
              </span>
            ))}
            . A line whose link or value is missing is left out.
          </p>
          <Field id={`${id}-subject`} label="Subject">
            <input
              id={`${id}-subject`}
              maxLength={200}
              autocomplete="off"
              value={draft.subject}
              onInput={(e) => set({ subject: e.currentTarget.value })}
              aria-describedby={`${id}-placeholders`}
            />
          </Field>
          <Field id={`${id}-text`} label="Text">
            <textarea
              id={`${id}-text`}
              maxLength={10000}
              rows={8}
              value={draft.text}
              onInput={(e) => set({ text: e.currentTarget.value })}
              aria-describedby={`${id}-placeholders`}
            />
          </Field>
          <Field
            id={`${id}-html`}
            label="HTML"
            hint={
              t.custom.html
                ? "Your own HTML; values are escaped in it. Blank: made from the text."
                : "Made from the text; edit it to send your own. Values are escaped in it."
            }
          >
            <textarea
              id={`${id}-html`}
              maxLength={20000}
              rows={8}
              spellcheck={false}
              value={draft.html}
              onInput={(e) => set({ html: e.currentTarget.value })}
              aria-describedby={`${id}-html-hint`}
            />
          </Field>
          <div class="actions">
            <button type="submit" disabled={action.busy}>
              Save <span class="visually-hidden">{label}</span>
            </button>{" "}
            {t.customized && !resetting && (
              <button type="button" class="secondary" disabled={action.busy} onClick={() => setResetting(true)}>
                Reset to default <span class="visually-hidden">({label})</span>
              </button>
            )}
          </div>
          {resetting && (
            <Confirm
              label={`Confirm resetting ${label}`}
              yes="Yes, reset"
              busy={action.busy}
              onYes={() => void put({ subject: null, text: null, html: null }, `${label}: back to the shipped text.`)}
              onCancel={() => setResetting(false)}
            >
              Your subject, text and HTML of this message are deleted; it goes out with the shipped text again.
            </Confirm>
          )}
        </form>
      )}
      <Notice error={action.error} message={action.message} />
    </li>
  );
}
