// Sign-in: an owner's private API key, or (switched to) the operator's admin
// token; checked against the API, then kept in this tab's sessionStorage. The
// form never submits anywhere (no secret in a URL).
import { useEffect, useRef, useState } from "preact/hooks";
import { adminClientFor, ApiFailure, clientFor, unwrap } from "../api";
import { useAction } from "../load";
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
  const action = useAction();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [mode]);
  const text = TEXT[mode];

  async function signIn(e: Event) {
    e.preventDefault();
    const secret = (input.current?.value ?? "").trim();
    const problem = mode === "owner" ? keyProblem(secret) : adminTokenProblem(secret);
    if (problem) {
      action.fail(problem);
      input.current?.focus();
      return;
    }
    const failed = await action.run(async () => {
      // Any call the secret may make proves it; these are the cheapest.
      try {
        if (mode === "owner") {
          await unwrap(null, clientFor(secret).GET("/api/v1/contests", { params: { query: { limit: 1 } } }));
          onSignedIn({ kind: "owner", key: secret });
        } else {
          await unwrap(null, adminClientFor(secret).GET("/api/admin/accounts", { params: { query: { limit: 1 } } }));
          onSignedIn({ kind: "operator", token: secret });
        }
      } catch (err) {
        // A refused secret is said in this page's words.
        throw err instanceof ApiFailure && err.status === 401 ? new ApiFailure(text.refused, 401) : err;
      }
    });
    if (failed !== null) input.current?.focus();
  }

  return (
    <main id="main" class="narrow">
      <PageHeading title="Sign in" />
      <p>
        {text.intro} It stays in this browser tab only, until you sign out or close the tab.
      </p>
      <Notice error={action.error} message={notice} />
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
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
      </form>
      <p>
        <button
          type="button"
          class="link"
          onClick={() => {
            action.clear();
            setMode(mode === "owner" ? "operator" : "owner");
          }}
        >
          {text.other}
        </button>
      </p>
    </main>
  );
}
