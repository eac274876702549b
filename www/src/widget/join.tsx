// Without a participant token: the join form (open contests, waitlists). It
// first reads what the form needs (GET /api/referral/join: whether the contest
// takes signups, its share texts, Turnstile's site key). A new entry comes back
// with its token and the widget goes on as the advocate's view; an email
// already in gets "you're already in" and nothing of that entry. The contest's
// prizes, and its results once finalized, show below (open results endpoint).
import { useEffect, useRef, useState } from "preact/hooks";
import { Down } from "./advocate";
import { apiFor, type JoinFormFacts, type Results } from "./api";
import { Prizes } from "./prizes";
import { TurnstileCheck, type Check } from "./turnstile";
import { quietly, type Ctx } from "./util";

/** The referral code this visitor arrived with: the tracker's cookie when the
 * page runs it (it applied the attribution rules), else `?ref=` of the page. */
function visitorCode(): string | undefined {
  try {
    const cookie = /(?:^|;\s*)rt_ref=([^;]*)/.exec(document.cookie)?.[1];
    const code = cookie ? decodeURIComponent(cookie) : new URLSearchParams(location.search).get("ref");
    return code && /^[A-Za-z0-9_-]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

type Facts = { state: "loading" } | { state: "down" } | { state: "closed" } | { state: "open"; facts: JoinFormFacts };

export function JoinForm({ ctx, contestId, onJoined }: { ctx: Ctx; contestId: string; onJoined: (token: string) => void }) {
  const [facts, setFacts] = useState<Facts>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [results, setResults] = useState<Results | null>(null);
  useEffect(() => {
    let live = true;
    quietly(async () => {
      const api = apiFor(ctx.origin, null);
      const [r, prizes] = await Promise.all([api.joinForm(contestId), api.results(contestId)]);
      if (!live) return;
      setResults(prizes.ok ? prizes.data : null);
      if (r.ok) setFacts(r.data.accepting ? { state: "open", facts: r.data } : { state: "closed" });
      else setFacts(r.status === 0 || r.status >= 500 ? { state: "down" } : { state: "closed" });
    });
    return () => {
      live = false;
    };
  }, [contestId, attempt]);
  const { s } = ctx;
  return (
    <>
      <Facts ctx={ctx} facts={facts} retry={() => setAttempt((n) => n + 1)} onJoined={onJoined} />
      {!!results?.prizes.length && (
        <section class="w" aria-label={s.prizes}>
          <Prizes s={s} results={results} />
        </section>
      )}
    </>
  );
}

function Facts({ ctx, facts, retry, onJoined }: { ctx: Ctx; facts: Facts; retry: () => void; onJoined: (token: string) => void }) {
  const { s } = ctx;
  switch (facts.state) {
    case "loading":
      return <p class="w">{s.loading}</p>;
    case "down":
      return <Down s={s} retry={retry} />;
    case "closed":
      return (
        <p class="w" role="status">
          {s.closed}
        </p>
      );
    case "open":
      return <Form ctx={ctx} facts={facts.facts} onJoined={onJoined} />;
  }
}

function Form({ ctx, facts, onJoined }: { ctx: Ctx; facts: JoinFormFacts; onJoined: (token: string) => void }) {
  const { s } = ctx;
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  // "in": join said the email is already in; "ask": the visitor asked for their link.
  const [ask, setAsk] = useState<"" | "in" | "ask">("");
  const [botToken, setBotToken] = useState("");
  const check = useRef<Check | null>(null);
  const siteKey = facts.turnstileSiteKey;
  if (ask) return <PortalAsk ctx={ctx} facts={facts} typed={email} alreadyIn={ask === "in"} />;
  const submit = () =>
    quietly(async () => {
      if (siteKey && !botToken) return setMessage(s.botCheck);
      setBusy(true);
      setMessage("");
      const api = apiFor(ctx.origin, null);
      const body = {
        contestId: facts.contestId,
        email: email.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(botToken ? { turnstileToken: botToken } : {}),
      };
      const code = visitorCode();
      let r = await api.join(code ? { ...body, referralCode: code } : body);
      // An unknown referral code is a 404: the visitor joins without it.
      if (code && !r.ok && r.status === 404) r = await api.join(body);
      setBusy(false);
      if (r.ok && "token" in r.data) return onJoined(r.data.token);
      if (r.ok) return setAsk("in");
      // A Turnstile token is good for one check: a refused join needs a new one.
      if (siteKey) {
        setBotToken("");
        check.current?.reset();
      }
      const bot = r.error.startsWith("Bot check failed");
      setMessage(r.status === 0 || r.status >= 500 ? s.unreachable : bot ? s.botCheckFailed : s.joinFailed);
    });
  return (
    <form
      class="w"
      aria-labelledby="join-title"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="join-title">{facts.shareWidgetHeader || s.joinTitle}</h2>
      {facts.shareWidgetDescription && <p>{facts.shareWidgetDescription}</p>}
      <label for="join-email">{s.email}</label>
      <input
        id="join-email"
        type="email"
        required
        autocomplete="email"
        value={email}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
      <label for="join-name">{s.name}</label>
      <input id="join-name" autocomplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      {siteKey && (
        <TurnstileCheck
          host={ctx.host}
          siteKey={siteKey}
          lang={s.lang}
          check={check}
          onToken={setBotToken}
          onFailed={() => setMessage(s.unreachable)}
        />
      )}
      <p>
        <button disabled={busy}>{busy ? s.joining : s.join}</button>{" "}
        <button type="button" class="s" onClick={() => setAsk("ask")}>
          {s.getLink}
        </button>
      </p>
      <p role="status" class="e">
        {message}
      </p>
    </form>
  );
}

/** "Get your link by email": `portal-link` answers the same for any address,
 * so the visitor is told only that a link is on its way if the address is in. */
function PortalAsk({ ctx, facts, typed, alreadyIn }: { ctx: Ctx; facts: JoinFormFacts; typed: string; alreadyIn: boolean }) {
  const { s } = ctx;
  const [email, setEmail] = useState(typed);
  const [botToken, setBotToken] = useState("");
  const [message, setMessage] = useState("");
  const check = useRef<Check | null>(null);
  const siteKey = facts.turnstileSiteKey;
  const send = () =>
    quietly(async () => {
      if (siteKey && !botToken) return setMessage(s.botCheck);
      const body = { contestId: facts.contestId, email: email.trim(), ...(botToken ? { turnstileToken: botToken } : {}) };
      const r = await apiFor(ctx.origin, null).portalLink(body);
      if (siteKey) {
        setBotToken("");
        check.current?.reset();
      }
      setMessage(r.ok ? s.linkSent : r.status === 0 || r.status >= 500 ? s.unreachable : s.actionFailed);
    });
  return (
    <form
      class="w"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {alreadyIn && <p role="status">{s.alreadyIn}</p>}
      <label for="portal-email">{s.email}</label>
      <input
        id="portal-email"
        type="email"
        required
        autocomplete="email"
        value={email}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
      {siteKey && (
        <TurnstileCheck host={ctx.host} siteKey={siteKey} lang={s.lang} check={check} onToken={setBotToken} onFailed={() => setMessage(s.unreachable)} />
      )}
      <p>
        <button>{s.getLink}</button>
      </p>
      <p role="status" class="e">
        {message}
      </p>
    </form>
  );
}
