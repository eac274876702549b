// The dashboard's shell: sign-in until a key is kept for this tab, then the
// header (navigation, sign-out) and the page of the current route.
import { useMemo, useState } from "preact/hooks";
import { clientFor, SessionContext, type Session } from "./api";
import { ContestPage } from "./pages/contest";
import { ContestsPage } from "./pages/contests";
import { SignInPage } from "./pages/sign-in";
import { BASE, navigate, parseRoute, routeUrl, useLocation } from "./router";
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

  // /dashboard/contests/:id is the contest's settings page for now: the
  // address bar shows that page's own address (same route, no re-render).
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
          <Link href={`${BASE}/`}>Contests</Link>
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
        ) : route.name === "contest" ? (
          <ContestPage key={route.contestId} contestId={route.contestId} />
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
