// A contest's purchases, all or by status (verified, unverified, refunded),
// page by page; refund one in full or in part.
import { useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { useAction, useLoad } from "../load";
import { count, money, utc } from "../format";
import { Field, Notice, PagerButtons } from "../ui";
import { ContestShell } from "./contest-shell";

type Contest = Schema<"Contest">;
type Purchase = Schema<"Purchase">;
type Status = Schema<"PurchaseStatus">;

const PER_PAGE = 20;

export function PurchasesPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="purchases">{(contest) => <Purchases contest={contest} />}</ContestShell>;
}

function Purchases({ contest }: { contest: Contest }) {
  const session = useSession();
  const [status, setStatus] = useState<Status | "">("");
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<string | null>(null);
  const list = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/purchases", {
          params: {
            path: { contestId: contest.id },
            query: { page, limit: PER_PAGE, ...(status === "" ? {} : { status }) },
          },
        }),
      ),
    [session, contest.id, status, page],
  );
  const purchases = list.value?.data ?? null;
  const pagination = list.value?.pagination ?? null;

  return (
    <section aria-labelledby="purchases-heading">
      <h2 id="purchases-heading">
        Purchases{pagination ? <span class="quiet"> ({count(pagination.total)})</span> : null}
      </h2>
      <div class="inline-form filters">
        <Field id="purchase-status" label="Show">
          <select
            id="purchase-status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as Status | "");
              setPage(1);
            }}
          >
            <option value="">all purchases</option>
            <option value="verified">verified</option>
            <option value="unverified">unverified</option>
            <option value="refunded">refunded</option>
          </select>
        </Field>
      </div>
      <Notice error={list.error} message={message} />
      {purchases === null ? (
        list.error ? null : <p class="quiet">Loading…</p>
      ) : purchases.length === 0 ? (
        <p>No purchases{status === "" ? "" : ` ${status}`} yet.</p>
      ) : (
        <ul class="rows" aria-label="Purchases">
          {purchases.map((p) => (
            <PurchaseRow
              key={p.id}
              purchase={p}
              contest={contest}
              onRefunded={(text) => {
                setMessage(text);
                list.reload();
              }}
            />
          ))}
        </ul>
      )}
      {pagination && <PagerButtons page={page} totalPages={pagination.totalPages} label="Pages of purchases" onPage={setPage} />}
    </section>
  );
}

/** What the purchase's status says: who reported it. */
export const PURCHASE_STATUS_TEXT: Record<Status, string> = {
  verified: "verified: a trusted source (your server, a webhook or Stripe) reported it",
  unverified: "not verified: only a browser reported it, no trusted source has",
  refunded: "refunded in full",
};

/** What its points' state says, in the words of who decided it. */
export function pointsText(p: Purchase, contest: Contest): string {
  switch (p.awardStatus) {
    case "confirmed":
      if (p.status !== "unverified") return "confirmed";
      return contest.browserPurchases === "award"
        ? "confirmed at once: this contest awards browser-reported purchases"
        : "confirmed: approved by you on the Review page";
    case "pending":
      return "pending: waiting for a trusted report of this order or your review";
    case "rejected":
      return "rejected";
    case "none":
      return "nobody is credited";
  }
}

function PurchaseRow({
  purchase: p,
  contest,
  onRefunded,
}: {
  purchase: Purchase;
  contest: Contest;
  onRefunded: (message: string) => void;
}) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState("");
  const action = useAction();
  const remaining = Math.round((p.amount - p.refundedAmount) * 100) / 100;
  const form = `refund-${p.id}`;

  function refund(e: Event) {
    e.preventDefault();
    void action.run(async () => {
      const value = amount.trim();
      const r = await unwrap(
        session,
        session.api.POST("/api/v1/purchases/{purchaseId}/refund", {
          params: { path: { purchaseId: p.id } },
          body: value === "" ? {} : { amount: value },
        }),
      );
      setOpen(false);
      setAmount("");
      onRefunded(
        `Refunded ${money(r.data.amount, p.currency)} of order ${p.orderId}` +
          (r.data.pointsReversed ? `; ${count(r.data.pointsReversed)} points taken back.` : "."),
      );
    });
  }

  return (
    <li class="row">
      <div class="row-head">
        <div class="row-main">
          <h3>
            {money(p.amount, p.currency)} <span class="quiet">order {p.orderId}</span>
          </h3>
          <p class="quiet">
            {p.email} · {utc(p.createdAt)} · from {p.source}
            {p.referralCode ? ` · code ${p.referralCode}` : ""}
          </p>
        </div>
        <span class={`badge status-${p.status}`}>{p.status === "unverified" ? "not verified" : p.status}</span>
      </div>
      <p class="purchase-status">Purchase {PURCHASE_STATUS_TEXT[p.status]}.</p>
      <p class="purchase-points">
        Points: {count(p.pointsAwarded)}, {pointsText(p, contest)}
        {p.refundedAmount > 0 ? ` · refunded ${money(p.refundedAmount, p.currency)}` : ""}
      </p>
      {remaining > 0 && (
        <div class="actions">
          <button type="button" class="secondary" aria-expanded={open} aria-controls={form} onClick={() => setOpen(!open)}>
            {open ? "Cancel refund" : "Refund…"}
          </button>
        </div>
      )}
      {open && (
        <form id={form} onSubmit={refund} class="inline-form panel" aria-label={`Refund order ${p.orderId}`}>
          <Field
            id={`${form}-amount`}
            label={`Amount to refund (${p.currency})`}
            hint={`Leave it blank to refund all that remains: ${money(remaining, p.currency)}.`}
          >
            <input
              id={`${form}-amount`}
              type="number"
              inputMode="decimal"
              min={0.01}
              max={remaining}
              step="any"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
              aria-describedby={`${form}-amount-hint`}
            />
          </Field>
          <button type="submit" disabled={action.busy}>
            Refund
          </button>
        </form>
      )}
      <Notice error={action.error} />
    </li>
  );
}
