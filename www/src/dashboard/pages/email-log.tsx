// The contest's email messages (GET /api/v1/contests/{id}/emails), newest
// first, all or by status: what went out, what was held back (suppressed,
// capped, erased) and each send that finally failed with its error, so the
// owner sees a sender the binding refuses.
import { useEffect, useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useLoad } from "../load";
import { count, utc } from "../format";
import { Field, Notice, PagerButtons } from "../ui";

type Message = Schema<"EmailMessage">;
type Status = Schema<"EmailStatus">;

const PER_PAGE = 20;

/** Each kind of message as the owner reads it. */
export const KIND_LABELS: Record<Message["kind"], string> = {
  welcome: "Welcome",
  confirm: "Confirm address",
  "referral.confirmed": "Referral counted",
  "prize.earned": "Prize earned",
  "contest.results": "Results",
  portal: "Sign-in link",
  test: "Test",
};

const STATUS_TEXT: Record<Status, string> = {
  queued: "queued",
  sent: "sent",
  failed: "failed",
  suppressed: "not sent: unsubscribed",
  capped: "not sent: daily limit",
  erased: "not sent: erased",
};

/** `round` changes when the page sent something (a test): the list reads again. */
export function EmailLog({ contestId, round }: { contestId: string; round: number }) {
  const session = useSession();
  const [status, setStatus] = useState<Status | "">("");
  const [page, setPage] = useState(1);
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/emails", {
          params: { path: { contestId }, query: { page, limit: PER_PAGE, ...(status === "" ? {} : { status }) } },
        }),
      ),
    [session, contestId, status, page, round],
  );
  // A queued message is sent within seconds: read again until none is left on the page.
  const waiting = list.value?.data.some((m) => m.status === "queued") ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(list.reload, 2000);
    return () => clearTimeout(timer);
  }, [waiting, list.value]);
  const messages = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  return (
    <section aria-labelledby="email-log-heading">
      <h2 id="email-log-heading">
        Sent messages{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
      </h2>
      <div class="inline-form filters">
        <Field id="email-status" label="Show">
          <select
            id="email-status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as Status | "");
              setPage(1);
            }}
          >
            <option value="">all messages</option>
            <option value="failed">failed</option>
            <option value="sent">sent</option>
            <option value="queued">queued</option>
            <option value="suppressed">unsubscribed</option>
            <option value="capped">over the daily limit</option>
            <option value="erased">erased</option>
          </select>
        </Field>
        <button type="button" class="secondary" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <Notice error={list.error} />
      {messages === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : messages.length === 0 ? (
        <p>No messages{status === "" ? "" : ` ${STATUS_TEXT[status]}`} yet.</p>
      ) : (
        <ul class="rows" aria-label="Email messages">
          {messages.map((m) => (
            <MessageRow key={m.id} message={m} />
          ))}
        </ul>
      )}
      {pagination && <PagerButtons page={page} totalPages={pagination.totalPages} label="Pages of messages" onPage={setPage} />}
    </section>
  );
}

function MessageRow({ message: m }: { message: Message }) {
  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>
            {KIND_LABELS[m.kind]} <span class="quiet">to {m.to}</span>
          </h3>
          <p class="quiet">
            {utc(m.createdAt)}
            {m.sentAt ? ` · sent ${utc(m.sentAt)}` : ""}
            {m.attempts > 0 ? ` · ${count(m.attempts)} attempt${m.attempts === 1 ? "" : "s"}` : ""}
          </p>
        </div>
        <span class={`badge status-${m.status}`}>{STATUS_TEXT[m.status]}</span>
      </div>
      {m.lastError && (
        <p class={m.status === "failed" ? "error-text" : "quiet"}>
          {m.status === "failed" ? "Failed: " : "Last error: "}
          {m.lastError}
        </p>
      )}
    </li>
  );
}
