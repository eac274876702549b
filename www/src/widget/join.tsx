// Without a participant token: the join form (open contests, waitlists). A new
// entry comes back with its token and the widget goes on as the advocate's
// view; an email already in gets "you're already in" and nothing of that
// entry. Turnstile is not handled yet.
import { useState } from "preact/hooks";
import { apiFor } from "./api";
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

export function JoinForm({ ctx, contestId, onJoined }: { ctx: Ctx; contestId: string; onJoined: (token: string) => void }) {
  const { s } = ctx;
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const [alreadyIn, setAlreadyIn] = useState(false);
  if (alreadyIn)
    return (
      <p class="w" role="status">
        {s.alreadyIn}
      </p>
    );
  const submit = () =>
    quietly(async () => {
      setBusy(true);
      setMessage("");
      const api = apiFor(ctx.origin, null);
      const body = { contestId, email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) };
      const code = visitorCode();
      let r = await api.join(code ? { ...body, referralCode: code } : body);
      // An unknown referral code is a 404: the visitor joins without it.
      if (code && !r.ok && r.status === 404) r = await api.join(body);
      setBusy(false);
      if (r.ok && "token" in r.data) onJoined(r.data.token);
      else if (r.ok) setAlreadyIn(true);
      else setMessage(r.status === 0 || r.status >= 500 ? s.unreachable : s.joinFailed);
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
      <h2 id="join-title">{s.joinTitle}</h2>
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
      <p>
        <button disabled={busy}>{busy ? s.joining : s.join}</button>
      </p>
      <p role="status" class="e">
        {message}
      </p>
    </form>
  );
}
