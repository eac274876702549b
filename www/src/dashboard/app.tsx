// The dashboard's shell: sign-in until a key is kept for this tab, then the
// header (navigation, sign-out) and the page of the current route.
import { useMemo, useState } from "preact/hooks";
import { clientFor, SessionContext, type Session } from "./api";
import { BonusActionsPage } from "./pages/bonus-actions";
import { ContestPage } from "./pages/contest";
import { ContestsPage } from "./pages/contests";
import { ExportsPage } from "./pages/exports";
import { KeysPage } from "./pages/keys";
import { OverviewPage } from "./pages/overview";
import { ParticipantsPage } from "./pages/participants";
import { PurchasesPage } from "./pages/purchases";
import { ReviewPage } from "./pages/review";
import { SignInPage } from "./pages/sign-in";
import { BASE, navigate, parseRoute, routeUrl, useLocation, type ContestTab } from "./router";
import { clearKey, storedKey, storeKey } from "./session";
import { Link, PageHeading } from "./ui";

export function App() {
  const [key, setKey] = useState(storedKey);
  const [notice, setNotice] = useState<string | null>(null);
  useLocation();
  const route = parseRoute(location.pathname, location.search);

  const session = useMemo<Session | null>(
    () =>
      key === null
        ? null
        : {
            api: clientFor(key),
            signOut(message?: string) {
              clearKey();
              setNotice(message ?? "You are signed out.");
              setKey(null);
            },
            isThisKey: (prefix: string) => prefix !== "" && key.startsWith(prefix),
            switchKey(next: string) {
              storeKey(next);
              setKey(next);
            },
          },
    [key],
  );

  if (session === null) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(k) => {
          storeKey(k);
          setNotice(null);
          setKey(k);
        }}
      />
    );
  }

  // /dashboard/contests/:id is the contest's overview: the address bar
  // shows that page's own address (same route, no re-render).
  if (route.name === "contest" && location.pathname !== routeUrl(route)) {
    history.replaceState(null, "", routeUrl(route));
  }

  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href={`${BASE}/`} class="brand">
          Rocket Tracker
        </Link>
        <nav aria-label="Main">
          <Link href={`${BASE}/`} current={route.name === "contests"}>
            Contests
          </Link>
          <Link href={routeUrl({ name: "keys" })} current={route.name === "keys"}>
            API keys
          </Link>
        </nav>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            session.signOut();
            navigate(`${BASE}/`);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main">
        {route.name === "contests" ? (
          <ContestsPage page={route.page} />
        ) : route.name === "keys" ? (
          <KeysPage />
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
    case "exports":
      return <ExportsPage contestId={contestId} />;
  }
}
