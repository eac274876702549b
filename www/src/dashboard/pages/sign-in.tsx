// Sign-in: an owner's private API key, or (switched to) the operator's admin
// token; checked against the API, then kept in this tab's sessionStorage. The
// form never submits anywhere (no secret in a URL).
import { useEffect, useRef, useState } from "preact/hooks";
import { adminClientFor, ApiFailure, clientFor, failureText, unwrap } from "../api";
import { adminTokenProblem, keyProblem, type Credential } from "../session";
import { Notice, PageHeading } from "../ui";

type Mode = Credential["kind"];

const TEXT = {
  owner: {
    id: "api-key",
    label: "API key",
    intro: "Sign in with your account's private API key (rt_sk_…).",
    hint: "Running locally? npm start prints the demo account's private key.",
    refused: "That key was not accepted.",
    other: "Operator? Use the admin token",
  },
  operator: {
    id: "admin-token",
    label: "Admin token",
    intro: "Sign in as the operator with this worker's admin token (its ADMIN_TOKEN secret) to see and create accounts.",
    hint: "Running locally? npm start prints the admin token (from .dev.vars).",
    refused: "That admin token was not accepted.",
    other: "Owner? Use an API key",
  },
} as const;

export function SignInPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: (c: Credential) => void }) {
  const [mode, setMode] = useState<Mode>("owner");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [mode]);
  const text = TEXT[mode];

  async function signIn(e: Event) {
    e.preventDefault();
    const secret = (input.current?.value ?? "").trim();
    const problem = mode === "owner" ? keyProblem(secret) : adminTokenProblem(secret);
    if (problem) {
      setError(problem);
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Any call the secret may make proves it; these are the cheapest.
      if (mode === "owner") {
        await unwrap(null, clientFor(secret).GET("/api/v1/contests", { params: { query: { limit: 1 } } }));
        onSignedIn({ kind: "owner", key: secret });
      } else {
        await unwrap(null, adminClientFor(secret).GET("/api/admin/accounts", { params: { query: { limit: 1 } } }));
        onSignedIn({ kind: "operator", token: secret });
      }
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? text.refused : failureText(err));
      setBusy(false);
      input.current?.focus();
    }
  }

  return (
    <main id="main" class="narrow">
      <PageHeading title="Sign in" />
      <p>
        {text.intro} It stays in this browser tab only, until you sign out or close the tab.
      </p>
      <Notice error={error} message={notice} />
      <form method="post" onSubmit={signIn} class="stack" key={mode}>
        <label for={text.id}>{text.label}</label>
        <input
          id={text.id}
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          autocapitalize="off"
          aria-describedby={`${text.id}-hint`}
          required
        />
        <p id={`${text.id}-hint`} class="hint">
          {text.hint}
        </p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        <button
          type="button"
          class="link"
          onClick={() => {
            setError(null);
            setMode(mode === "owner" ? "operator" : "owner");
          }}
        >
          {text.other}
        </button>
      </p>
    </main>
  );
}
