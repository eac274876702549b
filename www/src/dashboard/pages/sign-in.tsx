// Sign-in: a private API key, checked against the API, then kept in this
// tab's sessionStorage. The form never submits anywhere (no key in a URL).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailure, clientFor, failureText, unwrap } from "../api";
import { keyProblem } from "../session";
import { Notice, PageHeading } from "../ui";

export function SignInPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: (key: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function signIn(e: Event) {
    e.preventDefault();
    const key = (input.current?.value ?? "").trim();
    const problem = keyProblem(key);
    if (problem) {
      setError(problem);
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Any call the key may make proves it; this one is the cheapest.
      await unwrap(null, clientFor(key).GET("/api/v1/contests", { params: { query: { limit: 1 } } }));
      onSignedIn(key);
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? "That key was not accepted." : failureText(err));
      setBusy(false);
      input.current?.focus();
    }
  }

  return (
    <main id="main" class="narrow">
      <PageHeading title="Sign in" />
      <p>
        Sign in with your account's private API key (<code>rt_sk_…</code>). It stays in this browser tab only, until
        you sign out or close the tab.
      </p>
      <Notice error={error} message={notice} />
      <form method="post" onSubmit={signIn} class="stack">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          autocapitalize="off"
          aria-describedby="api-key-hint"
          required
        />
        <p id="api-key-hint" class="hint">
          Running locally? <code>npm start</code> prints the demo account's private key.
        </p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
