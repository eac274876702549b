// The dashboard's shell: sign-in until a credential is kept for this tab; then,
// for an owner (private key), the header and the page of the current route;
// for the operator (admin token), the accounts page.
import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import { adminClientFor, clientFor, SessionContext, type OperatorSession, type Session } from "./api";
import { AccountsPage } from "./pages/accounts";
import { BonusActionsPage } from "./pages/bonus-actions";
import { ContestPage } from "./pages/contest";
import { ContestsPage } from "./pages/contests";
import { EmailPage } from "./pages/email";
import { ExportsPage } from "./pages/exports";
import { KeysPage } from "./pages/keys";
import { OverviewPage } from "./pages/overview";
import { ParticipantsPage } from "./pages/participants";
import { PrizesPage } from "./pages/prizes";
import { PurchasesPage } from "./pages/purchases";
import { ReviewPage } from "./pages/review";
import { SignInPage } from "./pages/sign-in";
import { WebhooksPage } from "./pages/webhooks";
import { BASE, navigate, parseRoute, routeUrl, useLocation, type ContestTab } from "./router";
import { clearCredential, storeCredential, storedCredential } from "./session";
import { Link, PageHeading } from "./ui";

export function App() {
  const [credential, setCredential] = useState(storedCredential);
  const [notice, setNotice] = useState<string | null>(null);
  useLocation();
  const route = parseRoute(location.pathname, location.search);

  const signOut = (message?: string) => {
    clearCredential();
    setNotice(message ?? "You are signed out.");
    setCredential(null);
  };
  const session = useMemo<Session | null>(
    () =>
      credential?.kind !== "owner"
        ? null
        : {
            api: clientFor(credential.key),
            signOut,
            isThisKey: (prefix: string) => prefix !== "" && credential.key.startsWith(prefix),
            switchKey(next: string) {
              const c = { kind: "owner", key: next } as const;
              storeCredential(c);
              setCredential(c);
            },
          },
    [credential],
  );
  const operator = useMemo<OperatorSession | null>(
    () => (credential?.kind !== "operator" ? null : { api: adminClientFor(credential.token), signOut }),
    [credential],
  );

  if (credential === null) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(c) => {
          storeCredential(c);
          setNotice(null);
          setCredential(c);
        }}
      />
    );
  }

  if (operator !== null) {
    if (route.name !== "accounts") history.replaceState(null, "", routeUrl({ name: "accounts" }));
    return (
      <>
        <Header onSignOut={signOut}>
          <Link href={routeUrl({ name: "accounts" })} current>
            Accounts
          </Link>
        </Header>
        <main id="main">
          <AccountsPage session={operator} />
        </main>
      </>
    );
  }
  if (session === null) return null;

  // /dashboard/contests/:id is the contest's overview: the address bar
  // shows that page's own address (same route, no re-render).
  if (route.name === "contest" && location.pathname !== routeUrl(route)) {
    history.replaceState(null, "", routeUrl(route));
  }

  return (
    <SessionContext.Provider value={session}>
      <Header onSignOut={signOut}>
        <Link href={`${BASE}/`} current={route.name === "contests"}>
          Contests
        </Link>
        <Link href={routeUrl({ name: "keys" })} current={route.name === "keys"}>
          API keys
        </Link>
        <Link href={routeUrl({ name: "webhooks" })} current={route.name === "webhooks"}>
          Webhooks
        </Link>
      </Header>
      <main id="main">
        {route.name === "contests" ? (
          <ContestsPage page={route.page} />
        ) : route.name === "keys" ? (
          <KeysPage />
        ) : route.name === "webhooks" ? (
          <WebhooksPage />
        ) : route.name === "contest" ? (
          <ContestTabPage key={`${route.contestId}/${route.tab}`} contestId={route.contestId} tab={route.tab} />
        ) : (
          <>
            <PageHeading title="Page not found" />
            <p>
              There is no such page. <Link href={`${BASE}/`}>See your contests</Link>.
            </p>
          </>
        )}
      </main>
    </SessionContext.Provider>
  );
}

/** The skip link and the top bar: the brand, the navigation, sign-out. */
function Header({ children, onSignOut }: { children: ComponentChildren; onSignOut: () => void }) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href={`${BASE}/`} class="brand">
          Rocket Tracker
        </Link>
        <nav aria-label="Main">{children}</nav>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            onSignOut();
            navigate(`${BASE}/`);
          }}
        >
          Sign out
        </button>
      </header>
    </>
  );
}

function ContestTabPage({ contestId, tab }: { contestId: string; tab: ContestTab }) {
  switch (tab) {
    case "overview":
      return <OverviewPage contestId={contestId} />;
    case "settings":
      return <ContestPage contestId={contestId} />;
    case "participants":
      return <ParticipantsPage contestId={contestId} />;
    case "review":
      return <ReviewPage contestId={contestId} />;
    case "purchases":
      return <PurchasesPage contestId={contestId} />;
    case "bonus-actions":
      return <BonusActionsPage contestId={contestId} />;
    case "prizes":
      return <PrizesPage contestId={contestId} />;
    case "email":
      return <EmailPage contestId={contestId} />;
    case "exports":
      return <ExportsPage contestId={contestId} />;
  }
}
