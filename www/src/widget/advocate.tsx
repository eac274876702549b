// The advocate's view (a participant token): the contest's texts, their
// referral link with copy and share, their numbers, their prizes and the
// contest's (prizes.tsx), bonus actions, the top 10 and the countdown. The
// entry decides: without it the widget shows a retry
// (unreachable) or an expired notice. The contest and the leaderboard are
// extras: a refusal (401/403/404, or a 429) hides their parts.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { apiFor, entryIdOf, type Api, type BonusAction, type Contest, type Entry, type LeaderboardRow, type Results } from "./api";
import { BonusActions, type Complete } from "./bonus";
import { fill, type Strings } from "./locale";
import { mailtoLink, referralLink, shareTargets } from "./share";
import { Prizes } from "./prizes";
import { copy, money, num, quietly, type Ctx } from "./util";

type Load =
  | { state: "loading" }
  | { state: "down" }
  | { state: "expired" }
  | {
      state: "ready";
      entry: Entry;
      actions: BonusAction[] | null;
      contest: Contest | null;
      leaders: LeaderboardRow[] | null;
      results: Results | null;
    };

/** No answer, or the server's own failure: worth a retry. */
const unreachable = (status: number) => status === 0 || status >= 500;

/** The entry first: when the token is no good, nothing else is asked (each
 * refusal counts against the address's failed-authentication limit). */
async function load(api: Api, entryId: string): Promise<Load> {
  const first = await api.entry(entryId);
  if (!first.ok) return { state: unreachable(first.status) || first.status === 429 ? "down" : "expired" };
  const contestId = first.data.contestId;
  const [actions, contest, leaders, results] = await Promise.all([
    api.bonusActions(entryId),
    api.contest(contestId),
    api.leaderboard(contestId),
    api.results(contestId),
  ]);
  if ([actions, contest, leaders].some((r) => !r.ok && unreachable(r.status))) return { state: "down" };
  return {
    state: "ready",
    entry: first.data,
    actions: actions.ok ? actions.data.actions : null,
    contest: contest.ok ? contest.data : null,
    leaders: leaders.ok ? leaders.data : null,
    results: results.ok ? results.data : null,
  };
}

/** Money is shown only for a contest with a monetary reward (issue 27; the
 * server's `hasMonetaryReward`, the rule the dashboard follows too): a
 * points-only contest has no "Rewards balance $0.00". A balance already
 * earned is shown whatever the contest says now. */
function monetary(contest: Contest | null, balance: number): boolean {
  return !!contest && (contest.hasMonetaryReward || balance !== 0);
}

export function AdvocateView({ ctx, token }: { ctx: Ctx; token: string }) {
  const { s } = ctx;
  const entryId = entryIdOf(token);
  const api = useMemo(() => apiFor(ctx.origin, token), [ctx.origin, token]);
  const [view, setView] = useState<Load>({ state: entryId ? "loading" : "expired" });
  const refresh = () =>
    quietly(async () => {
      if (entryId) setView(await load(api, entryId));
    });
  useEffect(refresh, [api]);

  if (view.state === "loading") return <Notice text={s.loading} />;
  if (view.state === "expired") return <Notice text={s.expired} />;
  if (view.state === "down")
    return (
      <Down
        s={s}
        retry={() => {
          setView({ state: "loading" });
          refresh();
        }}
      />
    );
  const { entry, contest } = view;
  const complete: Complete = async (action, body) => {
    const r = await api.complete(entry.id, action.id, body);
    if (r.ok) refresh();
    return r;
  };
  const link = referralLink(ctx.origin, entry.contestId, contest?.campaignUrl ?? null, entry.referralCode);
  const r = entry.rewards;
  const currency = r && monetary(contest, r.referralBalance + r.refereeBalance) ? contest?.rewardCurrency : undefined;
  // An ended contest: the participant's standing and the results, and no
  // invitation to share or to earn more.
  const over = contest && ended(contest, Date.now());
  return (
    <section class="w" aria-labelledby="title">
      <h2 id="title">{over ? s.ended : contest?.shareWidgetHeader || s.title}</h2>
      {/* Double opt-in: the entry waits for its confirmation link (what join answered too). */}
      {entry.emailConfirmation === "pending" && (
        <p role="status" class="e">
          {s.checkInbox}
        </p>
      )}
      {over ? (
        <>
          <p>{contest.name}</p>
          <h3>{s.standing}</h3>
        </>
      ) : (
        <>
          {contest?.shareWidgetDescription && <p>{contest.shareWidgetDescription}</p>}
          {contest?.rewardHeader && <h3>{contest.rewardHeader}</h3>}
          {contest?.rewardDescription && <p>{contest.rewardDescription}</p>}
          {contest && <Countdown s={s} contest={contest} />}
          <LinkBox s={s} link={link} text={contest ? fill(s.shareText, { name: contest.name }) : s.shareSubject} />
        </>
      )}
      <Numbers s={s} entry={entry} currency={currency} />
      <Prizes s={s} results={view.results} entry={entry} />
      {!over && view.actions && <BonusActions ctx={ctx} actions={view.actions} complete={complete} />}
      {view.leaders && <Leaderboard s={s} rows={view.leaders} me={entry.id} />}
    </section>
  );
}

/** Ended by the owner, or past its end date. */
const ended = (c: Contest, now: number) => c.status === "ended" || (!!c.endsAt && Date.parse(c.endsAt) <= now);

export function Notice({ text }: { text: string }) {
  return (
    <p class="w" role="status">
      {text}
    </p>
  );
}

/** The API did not answer: say so, and offer to try again. */
export function Down({ s, retry }: { s: Strings; retry: () => void }) {
  return (
    <div class="w">
      <p role="alert">{s.unreachable}</p>
      <button type="button" onClick={retry}>
        {s.retry}
      </button>
    </div>
  );
}

function LinkBox({ s, link, text }: { s: Strings; link: string; text: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState("");
  return (
    <>
      <label for="link">{s.yourLink}</label>
      <div class="row">
        <input id="link" readOnly value={link} ref={input} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => quietly(async () => setStatus((await copy(link, input.current)) ? s.copied : s.copyFailed))}>
          {s.copy}
        </button>
      </div>
      <p role="status" class="q">
        {status}
      </p>
      <div class="row" role="group" aria-label={s.share}>
        {typeof navigator.share === "function" && (
          <button type="button" class="s" onClick={() => quietly(() => navigator.share({ text, url: link }))}>
            {s.share}
          </button>
        )}
        {shareTargets(link, text).map((t) => (
          <a key={t.site} href={t.href} target="_blank" rel="noopener" title={fill(s.shareOn, { site: t.site })}>
            {t.site}
          </a>
        ))}
        <a href={mailtoLink(s.shareSubject, text, link)} target="_blank" rel="noopener">
          {s.shareEmail}
        </a>
      </div>
    </>
  );
}

/** The entry's numbers; its reward balance only given `currency` (a
 * monetary contest). */
function Numbers({ s, entry, currency }: { s: Strings; entry: Entry; currency: string | undefined }) {
  const r = entry.rewards;
  return (
    <dl>
      <div>
        <dt>{s.points}</dt>
        <dd class="points">{num(s, entry.totalPoints)}</dd>
        {entry.pendingPoints > 0 && (
          <dd class="q pending">
            {num(s, entry.pendingPoints)} {s.pending}
          </dd>
        )}
      </div>
      <div>
        <dt>{s.rank}</dt>
        <dd class="rank">{entry.rank == null ? "–" : `#${num(s, entry.rank)}`}</dd>
      </div>
      <div>
        <dt>{s.referrals}</dt>
        <dd class="referrals">{num(s, entry.referralCount)}</dd>
      </div>
      {r && currency && (
        <div>
          <dt>{s.rewards}</dt>
          <dd class="rewards">{money(s, r.referralBalance + r.refereeBalance, currency)}</dd>
        </div>
      )}
    </dl>
  );
}

function Leaderboard({ s, rows, me }: { s: Strings; rows: LeaderboardRow[]; me: string }) {
  if (!rows.length) return null;
  return (
    <>
      <h3>{s.leaderboard}</h3>
      <ol class="leaders">
        {rows.map((r) => (
          <li key={r.entryId} class={r.entryId === me ? "me" : undefined}>
            <span>{num(s, r.rank)}.</span>
            <span>
              {r.name || r.email}
              {r.entryId === me && ` (${s.you})`}
            </span>
            <span>{num(s, r.totalPoints)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

/** Time left until the contest's end, each second; "ended" once past it. */
function Countdown({ s, contest }: { s: Strings; contest: Contest }) {
  const [now, setNow] = useState(Date.now());
  const end = contest.endsAt ? Date.parse(contest.endsAt) : NaN;
  const running = contest.status !== "ended" && !Number.isNaN(end);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (end <= now) return <p class="countdown">{s.ended}</p>;
  if (!running) return null;
  let left = Math.floor((end - now) / 1000);
  const parts: string[] = [];
  for (const [size, unit] of [
    [86400, s.days],
    [3600, s.hours],
    [60, s.minutes],
    [1, s.seconds],
  ] as const) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n || parts.length || size === 1) parts.push(`${n}${unit}`);
  }
  return (
    <p class="countdown">
      {s.endsIn} {parts.join(" ")}
    </p>
  );
}
