// A contest's CSV exports: participants, purchases and the ledger. The API
// wants the private key in x-api-key, never in a URL, so a plain link cannot
// download them: the typed client fetches the file as a Blob, and a temporary
// <a download> on an object URL saves it.
import { unwrap, useSession, type Schema } from "../api";
import { count } from "../format";
import { useAction } from "../load";
import { Notice } from "../ui";
import { ContestShell } from "./contest-shell";

type Contest = Schema<"Contest">;
type Kind = "participants" | "purchases" | "ledger";

interface ExportInfo {
  kind: Kind;
  title: string;
  what: string;
  /** The header row, as edge/src/views/exports.rs writes it. */
  columns: string[];
}

const EXPORTS: ExportInfo[] = [
  {
    kind: "participants",
    title: "Participants",
    what: "Every entry of the contest in the order they joined, with points, referrals and status.",
    columns: [
      "id",
      "email",
      "name",
      "referralCode",
      "referredBy",
      "referredByCode",
      "totalPoints",
      "pendingPoints",
      "referralCount",
      "status",
      "disqualifiedReason",
      "source",
      "fraudScore",
      "createdAt",
    ],
  },
  {
    kind: "purchases",
    title: "Purchases",
    what: "Every purchase, oldest first, with its amount, refunds, points and whether it was verified.",
    columns: [
      "id",
      "orderId",
      "email",
      "entryId",
      "creditedEntryId",
      "amount",
      "currency",
      "refundedAmount",
      "pointsAwarded",
      "awardStatus",
      "referralCode",
      "source",
      "status",
      "createdAt",
      "verifiedAt",
    ],
  },
  {
    kind: "ledger",
    title: "Ledger",
    what: "Every change of points (referrals, purchases, refunds, bonus actions, adjustments), oldest first, confirmed, pending or rejected.",
    columns: ["id", "entryId", "email", "points", "reason", "refId", "note", "status", "holdReason", "createdAt", "reviewedAt"],
  },
];

export function ExportsPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="exports">{(contest) => <Exports contest={contest} />}</ContestShell>;
}

function Exports({ contest }: { contest: Contest }) {
  return (
    <section aria-labelledby="exports-heading">
      <h2 id="exports-heading">Download as CSV</h2>
      <p>
        Each file is CSV (RFC 4180, UTF-8, comma-separated) with a header row, and holds all of the contest's rows,
        however many. To keep a spreadsheet from running what a participant typed, a text cell starting with{" "}
        <code>=</code>, <code>+</code>, <code>-</code> or <code>@</code> is saved with a leading <code>'</code>.
      </p>
      <ul class="exports">
        {EXPORTS.map((info) => (
          <ExportItem key={info.kind} contest={contest} info={info} />
        ))}
      </ul>
    </section>
  );
}

/** The file's name as the browser saves it. */
export function exportFileName(contestId: string, kind: Kind): string {
  return `${contestId}-${kind}.csv`;
}

/** Saves `blob` as `name`: an anchor with `download` on an object URL (a
 * navigation, which the page's CSP allows), the URL revoked once clicked. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the time the click returns; a later revoke
  // leaves the browser time to read the Blob all the same.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function ExportItem({ contest, info }: { contest: Contest; info: ExportInfo }) {
  const session = useSession();
  const action = useAction();
  const name = exportFileName(contest.id, info.kind);
  const id = `export-${info.kind}`;

  const download = () =>
    action.run(async () => {
      const path = `/api/v1/contests/{contestId}/export/${info.kind}.csv` as const;
      const blob = await unwrap(session, session.api.GET(path, { params: { path: { contestId: contest.id } }, parseAs: "blob" }));
      saveBlob(blob, name);
      return `Downloaded ${name} (${sizeText(blob.size)}).`;
    });

  return (
    <li class="panel export">
      <h3 id={`${id}-heading`}>{info.title}</h3>
      <p>{info.what}</p>
      <p class="quiet export-columns">
        Columns: <code>{info.columns.join(", ")}</code>
      </p>
      <div class="actions">
        <button type="button" onClick={download} disabled={action.busy}>
          {action.busy ? "Preparing…" : `Download ${info.title.toLowerCase()} CSV`}
        </button>
      </div>
      <Notice error={action.error} message={action.message} />
    </li>
  );
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${count(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${count(Math.round(bytes / 102.4) / 10)} KB`;
  return `${count(Math.round(bytes / (1024 * 104.8576)) / 10)} MB`;
}
