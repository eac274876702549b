// A contest at a glance: its key numbers, a chart per day (7, 30, 90 days or
// a custom range) with the same days as a table, the referral funnel (referred
// visits -> referred signups -> those of them who bought), and the top advocates. The chart's code (uPlot) is imported only
// here, with import(), so the rest of the dashboard never downloads it.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { unwrap, useSession, type Schema } from "../api";
import { count, revenue } from "../format";
import { useLoad } from "../load";
import {
  chartData,
  daysBefore,
  mainCurrency,
  rangeProblem,
  rate,
  SERIES_COLOURS,
  todayUtc,
  type ChartData,
} from "../overview-series";
import { contestUrl } from "../router";
import { Field, Figure, Link, Notice } from "../ui";
import { ContestShell } from "./contest-shell";

type Contest = Schema<"Contest">;
type Stats = Schema<"ContestStats">;

/** The advocates listed. */
const TOP = 10;

export function OverviewPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="overview">{(contest) => <Overview contest={contest} />}</ContestShell>;
}

function Overview({ contest }: { contest: Contest }) {
  const session = useSession();
  const loaded = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/contests/{contestId}/stats", { params: { path: { contestId: contest.id } } })),
    [session, contest.id],
  );
  const stats = loaded.value?.data ?? null;
  const error = loaded.error;

  return (
    <>
      <section aria-labelledby="numbers-heading">
        <h2 id="numbers-heading">Key numbers</h2>
        <Notice error={error} />
        {stats === null ? (
          error ? null : <p class="quiet">Loading…</p>
        ) : (
          <dl class="numbers" aria-label="Key numbers">
            <Figure label="Visits" value={count(stats.visits)} />
            <Figure label="Signups" value={count(stats.signups)} />
            <Figure label="Referred signups" value={count(stats.referredSignups)} />
            <Figure label="Purchases" value={count(stats.purchases)} />
            <Figure label="Revenue" value={revenue(stats.revenue)} />
            <Figure label="Confirmed points" value={count(stats.points)} />
            <Figure label="Pending points" value={count(stats.pendingPoints)} />
          </dl>
        )}
      </section>
      <PerDay contest={contest} overall={stats?.revenue} />
      {stats && <Funnel stats={stats} />}
      <TopAdvocates contest={contest} />
    </>
  );
}

type Choice = "7" | "30" | "90" | "custom";
type Range = { from: string; to: string };

/** The `n` days ending today (UTC). */
function lastDays(n: number): Range {
  const to = todayUtc();
  return { from: daysBefore(to, n - 1), to };
}

const CHOICES: { value: Choice; label: string }[] = [
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
  { value: "custom", label: "Custom range" },
];

function PerDay({ contest, overall }: { contest: Contest; overall: Record<string, number> | undefined }) {
  const session = useSession();
  const [choice, setChoice] = useState<Choice>("30");
  const [range, setRange] = useState<Range>(() => lastDays(30));
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [problem, setProblem] = useState<string | null>(null);
  const loaded = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/timeseries", {
          params: { path: { contestId: contest.id }, query: { from: range.from, to: range.to } },
        }),
      ),
    [session, contest.id, range],
  );
  const series = loaded.value?.data ?? null;
  const error = loaded.error;

  function choose(next: Choice) {
    setChoice(next);
    setProblem(null);
    if (next !== "custom") setRange(lastDays(Number(next)));
    else {
      setFrom(range.from);
      setTo(range.to);
    }
  }

  function showCustom(e: Event) {
    e.preventDefault();
    const why = rangeProblem(from, to);
    setProblem(why);
    if (why === null) setRange({ from, to });
  }

  // Made once per answer, so the chart is redrawn only when its data changes.
  const data = useMemo(
    () => (series ? chartData(series.days, mainCurrency(series.days, overall ?? {}, contest.pointsCurrency)) : null),
    [series, overall, contest.pointsCurrency],
  );
  const currency = data?.currency ?? contest.pointsCurrency;
  const others = series
    ? [...new Set(series.days.flatMap((d) => Object.keys(d.revenue).filter((c) => c !== currency && (d.revenue[c] ?? 0) !== 0)))].sort()
    : [];

  return (
    <section aria-labelledby="per-day-heading">
      <h2 id="per-day-heading">Per day</h2>
      <fieldset class="range-choice">
        <legend>Days shown (UTC)</legend>
        {CHOICES.map((c) => (
          <label key={c.value}>
            <input type="radio" name="range" value={c.value} checked={choice === c.value} onChange={() => choose(c.value)} /> {c.label}
          </label>
        ))}
      </fieldset>
      {choice === "custom" && (
        <form class="inline-form panel custom-range" onSubmit={showCustom} aria-label="Custom range" noValidate>
          <Field id="range-from" label="First day">
            <input id="range-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
          </Field>
          <Field id="range-to" label="Last day">
            <input id="range-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          </Field>
          <button type="submit">Show these days</button>
        </form>
      )}
      <Notice error={problem ?? error} />
      {data === null || series === null ? (
        error ? null : <p class="quiet">Loading…</p>
      ) : (
        <>
          <ul class="legend" aria-label="Legend">
            <LegendItem colour={SERIES_COLOURS.visits} label="Visits" />
            <LegendItem colour={SERIES_COLOURS.signups} label="Signups" />
            <LegendItem colour={SERIES_COLOURS.purchases} label="Purchases" />
            <LegendItem colour={SERIES_COLOURS.revenue} label={`Revenue in ${currency} (dashed, right axis)`} dashed />
          </ul>
          <Chart data={data} />
          {others.length > 0 && (
            <p class="quiet">Revenue in {others.join(", ")} is not charted; the key numbers above count it.</p>
          )}
          <ChartTable data={data} from={series.from ?? range.from} to={series.to ?? range.to} />
        </>
      )}
    </section>
  );
}

function LegendItem({ colour, label, dashed = false }: { colour: string; label: string; dashed?: boolean }) {
  return (
    <li>
      <span class={dashed ? "swatch dashed" : "swatch"} style={{ borderColor: colour }} aria-hidden="true" />
      {label}
    </li>
  );
}

/** The chart, drawn once uPlot's chunk has loaded; the table below carries
 * the same numbers for screen readers (and if the chunk fails). */
function Chart({ data }: { data: ChartData }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    let chart: { destroy(): void } | null = null;
    import("../chart")
      .then((m) => {
        if (live && box.current) chart = m.drawChart(box.current, data, SERIES_COLOURS);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [data]);

  if (failed) return <p class="quiet">The chart could not be loaded; the table below has its numbers.</p>;
  const first = data.days[0] ?? "";
  const last = data.days[data.days.length - 1] ?? "";
  return (
    <div
      class="chart"
      ref={box}
      role="img"
      aria-label={`Chart of visits, signups, purchases and revenue in ${data.currency} per day, ${first} to ${last}. The table below lists the same numbers.`}
    />
  );
}

const major = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function ChartTable({ data, from, to }: { data: ChartData; from: string; to: string }) {
  return (
    <details class="chart-data">
      <summary>Chart data as a table</summary>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Chart data">
        <table>
          <caption>
            Per UTC day, {from} to {to} ({count(data.days.length)} days)
          </caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Visits</th>
              <th scope="col">Signups</th>
              <th scope="col">Purchases</th>
              <th scope="col">Revenue ({data.currency})</th>
            </tr>
          </thead>
          <tbody>
            {data.days.map((day, i) => (
              <tr key={day}>
                <th scope="row">{day}</th>
                <td>{count(data.visits[i] ?? 0)}</td>
                <td>{count(data.signups[i] ?? 0)}</td>
                <td>{count(data.purchases[i] ?? 0)}</td>
                <td>{major.format(data.revenue[i] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The referral funnel: one population at every step, each step a part of
 * the one before, with a sentence saying what it counts. */
function Funnel({ stats }: { stats: Stats }) {
  const f = stats.funnel;
  const widest = Math.max(f.visits, f.signups, f.buyers, 1);
  const steps = [
    {
      label: "Referred visits",
      n: f.visits,
      rate: null,
      says: "Visits through an advocate's referral link, each address counted once a day.",
    },
    {
      label: "Referred signups",
      n: f.signups,
      rate: `${rate(f.signups, f.visits)} of referred visits`,
      says: "People who signed up through a referral link or code (signups nobody referred are not counted here).",
    },
    {
      label: "Referred buyers",
      n: f.buyers,
      rate: `${rate(f.buyers, f.signups)} of referred signups`,
      says: `Referred signups with at least one verified purchase: ${count(f.purchases)} purchase${f.purchases === 1 ? "" : "s"} between them.`,
    },
  ];
  return (
    <section aria-labelledby="funnel-heading">
      <h2 id="funnel-heading">Referral funnel</h2>
      <ol class="funnel" aria-label="Referral funnel">
        {steps.map((s) => (
          <li key={s.label}>
            <span class="funnel-step">{s.label}</span> <strong class="funnel-count">{count(s.n)}</strong>
            {s.rate !== null && <span class="funnel-rate"> ({s.rate})</span>}
            <span class="funnel-track" aria-hidden="true">
              <span class="funnel-bar" style={{ width: `${Math.min(1, s.n / widest) * 100}%` }} />
            </span>
            <span class="funnel-says">{s.says}</span>
          </li>
        ))}
      </ol>
      {f.signups > f.visits && (
        <p class="quiet">
          More referred signups than referred visits: some signups came with a code through your server or a webhook,
          without a visit the tracker saw.
        </p>
      )}
    </section>
  );
}

function TopAdvocates({ contest }: { contest: Contest }) {
  const session = useSession();
  const loaded = useLoad(
    () =>
      unwrap(
        session,
        session.api.GET("/api/v1/contests/{contestId}/leaderboard", { params: { path: { contestId: contest.id }, query: { limit: TOP } } }),
      ),
    [session, contest.id],
  );
  const advocates = loaded.value?.data ?? null;
  const error = loaded.error;

  // Each advocate links to the participants page searching for their code.
  const participants = contestUrl(contest.id, "participants");
  return (
    <section aria-labelledby="advocates-heading">
      <h2 id="advocates-heading">Top advocates</h2>
      <Notice error={error} />
      {advocates === null ? (
        error ? null : <p class="quiet">Loading…</p>
      ) : advocates.length === 0 ? (
        <p>No advocates yet.</p>
      ) : (
        <ol class="advocates" aria-label="Top advocates">
          {advocates.map((a) => (
            <li key={a.entryId}>
              <span class="advocate-rank">{a.rank}.</span>
              <span class="advocate-main">
                <Link href={`${participants}?q=${encodeURIComponent(a.referralCode)}`}>{a.name ?? a.email}</Link>
                <span class="quiet">
                  {" "}
                  code <code>{a.referralCode}</code>
                </span>
              </span>
              <span class="advocate-numbers">
                {count(a.totalPoints)} points · {count(a.referralCount)} referrals
                {a.pendingPoints > 0 ? ` · ${count(a.pendingPoints)} pending` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
