// The contest's prizes in the widget (issue 24): the advocate's progress to
// the next milestone, their final rank and points once finalized (the
// entry's `finalStanding`), the prizes they earned with their codes (copy), the
// contest's prizes and their rules, and once the contest is finalized its
// results (winners by place, masked names as the API gives them). Read from
// the open results endpoint, so the join form shows them too.
import { useState } from "preact/hooks";
import type { Entry, Results } from "./api";
import { fill, type Strings } from "./locale";
import { copy, num, quietly } from "./util";

type Rule = Pick<Results["prizes"][number], "kind" | "threshold" | "ranks">;

/** A threshold as its number and whether it counts referrals (else points). */
function goal(t: object | null | undefined): [number, boolean] | null {
  const x = t as { referrals?: number; points?: number } | null | undefined;
  return x?.referrals != null ? [x.referrals, true] : x?.points != null ? [x.points, false] : null;
}

/** "at 3 referrals", "at 100 points", "places 1–3". */
function rule(s: Strings, p: Rule): string {
  const g = goal(p.threshold);
  if (p.ranks) return p.ranks.from === p.ranks.to ? fill(s.place, { n: p.ranks.from }) : fill(s.places, { a: p.ranks.from, b: p.ranks.to });
  return g ? fill(g[1] ? s.ruleReferrals : s.rulePoints, { n: g[0] }) : "";
}

/** "2 more referrals to unlock 20% off" and a bar. */
function Next({ s, next }: { s: Strings; next: NonNullable<Entry["nextMilestone"]> }) {
  const [n, referrals] = goal(next.threshold) ?? [0, false];
  const left = Math.max(0, n - next.progress);
  const unit = referrals ? (left === 1 ? s.referral : s.referralsUnit) : s.pointsUnit;
  const text = fill(s.toUnlock, { n: num(s, left), unit, name: next.name });
  return (
    <div class="next">
      <p>{text}</p>
      <progress max={n} value={Math.min(n, next.progress)} aria-label={text} />
    </div>
  );
}

function Code({ s, code }: { s: Strings; code: string }) {
  const [status, setStatus] = useState("");
  return (
    <span class="row">
      <code>{code}</code>
      <button type="button" class="s" onClick={() => quietly(async () => setStatus((await copy(code, null)) ? s.copied : s.copyFailed))}>
        {s.copyCode}
      </button>
      <span role="status" class="q">
        {status}
      </span>
    </span>
  );
}

export function Prizes({ s, results, entry }: { s: Strings; results: Results | null; entry?: Entry }) {
  const mine = entry?.prizes ?? [];
  const prizes = results?.prizes ?? [];
  const final = !!results?.finalizedAt;
  const place = entry?.finalStanding;
  return (
    <>
      {place && <p><b>{fill(s.finalRank, { rank: num(s, place.rank), points: num(s, place.points) })}</b></p>}
      {entry?.nextMilestone && <Next s={s} next={entry.nextMilestone} />}
      {mine.length > 0 && (
        <>
          <h3>{s.yourPrizes}</h3>
          <ul class="prizes mine">
            {mine.map((p) => (
              <li key={p.prizeId}>
                <b>{p.name}</b> {p.code ? <Code s={s} code={p.code} /> : p.status === "waiting" && <span class="q">{s.codeSoon}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {prizes.length > 0 && (
        <>
          <h3>{final ? s.results : s.prizes}</h3>
          <ul class="prizes">
            {prizes.map((p) => (
              <li key={p.id}>
                <b>{p.name}</b> <span class="q">{rule(s, p)}</span>
                {p.description && <p>{p.description}</p>}
                {final && p.kind === "milestone" && p.earnedCount != null && <p class="q">{fill(s.earnedBy, { n: num(s, p.earnedCount) })}</p>}
                {final && p.winners && p.winners.length > 0 && (
                  <ol class="winners">
                    {p.winners.map((w) => (
                      <li key={w.rank}>
                        <span>{num(s, w.rank)}.</span>
                        <span>{w.name ?? "–"}</span>
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
