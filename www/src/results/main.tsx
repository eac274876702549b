// The hosted results (issue 25), www/results.js, built by
// scripts/build-bundle.sh (results) and loaded by the hosted page /r/<contestId>
// (www/r.html) into its <section id="rocket-results">. Once the contest is
// finalized it shows the prizes and winners, each draw's public record, the
// final standings' hash, the audit list, and "Verify this draw", which
// recomputes a draw in the browser. Before that it shows nothing. Data is
// rendered as text (Preact), never as HTML.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchResults, type AuditLine, type Draw, type Prize, type Results } from "./api";
import { checkStandings, iso, type Check } from "./check";
import { Heading } from "./contest";
import { roundTime } from "./draw";
import { Verify } from "./verify";

const script = document.currentScript as HTMLScriptElement | null;
const ORIGIN = (() => {
  try {
    return new URL(script?.src ?? "", location.href).origin;
  } catch {
    return location.origin;
  }
})();

/** `2026-03-01 12:00:05 UTC` from an ISO timestamp. */
export function when(at: string | null | undefined): string {
  return at ? at.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC") : "";
}

/** A label and a long value (a hash, a signature): monospace, wrapping. */
function Field({ label, value, href }: { label: string; value: string | number | null | undefined; href?: string | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd class="v">{href ? <a href={href}>{String(value ?? "")}</a> : String(value ?? "–")}</dd>
    </>
  );
}

function eligibility(d: Draw): string {
  const parts = [];
  if (d.eligibility.minPoints != null) parts.push(`at least ${d.eligibility.minPoints} points`);
  if (d.eligibility.minReferrals != null) parts.push(`at least ${d.eligibility.minReferrals} confirmed referrals`);
  const weight = d.weighting === "points" ? "one chance per final point" : "one chance each";
  return `${parts.length ? parts.join(" and ") : "every ranked entry"}; ${weight}`;
}

function DrawRecord({ prize, d, finalizedAt, contestId }: { prize: Prize; d: Draw; finalizedAt: string | null; contestId: string }) {
  const b = d.beacon;
  return (
    <div class="draw">
      <p>
        Drawn: {d.winners} {d.winners === 1 ? "winner" : "winners"} among {eligibility(d)}.
      </p>
      <dl>
        <Field label="Seed commitment (published at the prize's creation)" value={d.seedCommitment} />
        <Field label="Eligible list hash (SHA-256)" value={d.listHash} />
        <Field label="Eligible list" value={d.listUrl ? `${d.listEntries} entries, total weight ${d.listWeight}` : null} href={d.listUrl} />
        {b && <Field label="Beacon" value={`round ${b.round} of chain ${b.chainHash} (at ${iso(roundTime(b.genesis, b.period, b.round))})`} />}
        {b?.randomness && <Field label="Beacon randomness" value={b.randomness} />}
        {b?.signature && <Field label="Beacon signature" value={b.signature} />}
        {d.seed && <Field label="Seed (revealed with the picks)" value={d.seed} />}
        {d.drawnAt && <Field label="Drawn at" value={when(d.drawnAt)} />}
      </dl>
      {d.drawnAt ? (
        <>
          <h4>Picks</h4>
          <ul class="picks">
            {d.picks.map((p) => (
              <li key={p.k} class={p.voided ? "voided" : undefined}>
                step k = {p.k}: {p.name ?? "(no name)"} <span class="v">{p.entryId}</span>
                {p.voided && (
                  <>
                    {" "}
                    <strong>voided</strong> {when(p.voidedAt)}: {p.voidReason ?? "no reason given"}
                  </>
                )}
              </li>
            ))}
          </ul>
          <Verify key={prize.id} d={d} finalizedAt={finalizedAt} contestId={contestId} prizeId={prize.id} />
        </>
      ) : (
        <p>
          {b ? `Waiting for beacon round ${b.round} (${iso(roundTime(b.genesis, b.period, b.round))}): the picks, the seed and the beacon come together.` : "Not drawn yet."}
        </p>
      )}
    </div>
  );
}

function rule(p: Prize): string {
  const t = p.threshold as { referrals?: number; points?: number } | undefined;
  if (p.ranks) return p.ranks.from === p.ranks.to ? `place ${p.ranks.from}` : `places ${p.ranks.from}–${p.ranks.to}`;
  if (t?.referrals != null) return `at ${t.referrals} confirmed referrals`;
  if (t?.points != null) return `at ${t.points} points`;
  return p.kind === "draw" ? "a verifiable draw" : "";
}

function PrizeView({ p, finalizedAt, contestId }: { p: Prize; finalizedAt: string | null; contestId: string }) {
  return (
    <li>
      <h3>{p.name}</h3>
      <p class="q">{rule(p)}</p>
      {p.description && <p>{p.description}</p>}
      {p.kind === "milestone" && <p>Earned by {p.earnedCount}.</p>}
      {p.winners && p.winners.length > 0 && (
        <ul class="winners">
          {p.winners.map((w) => (
            <li key={w.rank}>
              place {w.rank}: {w.name ?? "(no name)"}
            </li>
          ))}
        </ul>
      )}
      {p.draw && <DrawRecord prize={p} d={p.draw} finalizedAt={finalizedAt} contestId={contestId} />}
    </li>
  );
}

function Audit({ lines }: { lines: AuditLine[] }) {
  if (!lines.length) return <p>No point changes besides referrals, purchases and bonus actions.</p>;
  return (
    <div class="scroll" role="region" aria-label="Audit list" tabIndex={0}>
      <table>
        <caption>Point changes not made by a referral, a purchase or a bonus action</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Entry</th>
            <th scope="col">Change</th>
            <th scope="col">Points</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((a, i) => (
            <tr key={i}>
              <td>{when(a.at)}</td>
              <td>
                {a.name ?? "(no name)"} <span class="v">{a.entryId}</span>
              </td>
              <td>{a.kind}</td>
              <td>{a.points > 0 ? `+${a.points}` : a.points}</td>
              <td>{a.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A button that fetches the standings and checks their hash, in the browser. */
function StandingsCheck({ url, hash }: { url: string; hash: string }) {
  const [c, setC] = useState<Check | null>(null);
  return (
    <p>
      <button type="button" onClick={() => void checkStandings(url, hash).then(setC)}>
        Check the standings' hash
      </button>{" "}
      <span role="status" class={c ? (c.ok ? "ok" : "bad") : undefined}>
        {c && (
          <>
            <strong>{c.ok ? "Passed" : "Failed"}:</strong> {c.label} <span class="v">{c.detail}</span>
          </>
        )}
      </span>
    </p>
  );
}

export function ResultsView({ r }: { r: Results }) {
  if (!r.finalizedAt) {
    return r.status === "ended" ? <p>This contest has ended; its results are being finalized.</p> : null;
  }
  const prizes = r.prizes;
  return (
    <>
      <h2>Results</h2>
      <p>Final since {when(r.finalizedAt)}.</p>
      {prizes.length > 0 && <ul class="prizes">{prizes.map((p) => <PrizeView key={p.id} p={p} finalizedAt={r.finalizedAt} contestId={r.contestId} />)}</ul>}
      <h2>Final standings</h2>
      <dl>
        <Field label="Standings file (rank, entry, points, reached at)" value={r.standingsUrl} href={r.standingsUrl} />
        <Field label="Standings hash (SHA-256)" value={r.standingsHash} />
      </dl>
      {r.standingsUrl && r.standingsHash && <StandingsCheck url={r.standingsUrl} hash={r.standingsHash} />}
      <h2>Audit</h2>
      <Audit lines={r.audit} />
    </>
  );
}

function App({ contestId }: { contestId: string }) {
  const [r, setR] = useState<Results | null>(null);
  useEffect(() => {
    let stop = false;
    let timer = 0;
    let polls = 0;
    const load = async () => {
      const got = await fetchResults(ORIGIN, contestId);
      if (stop || !got) return;
      setR(got);
      // Being finalized, or a draw waiting for its beacon round: look again
      // shortly (for ten minutes at most; a reload starts over).
      const waiting = got.finalizedAt ? got.prizes.some((p) => p.draw && !p.draw.drawnAt) : got.status === "ended";
      if (waiting && ++polls <= 120) timer = window.setTimeout(load, 5000);
    };
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [contestId]);
  return r ? <ResultsView r={r} /> : null;
}

const id = /^\/r\/([A-Za-z0-9_-]{1,100})\/?$/.exec(location.pathname)?.[1];
const host = document.getElementById("rocket-results");
if (id && host) render(<App contestId={id} />, host);
// The page's heading: the contest's name, description, end and who invited the visitor.
const heading = document.getElementById("rocket-contest");
if (id && heading) {
  heading.replaceChildren();
  render(<Heading origin={ORIGIN} contestId={id} />, heading);
}
