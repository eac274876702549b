// The dashboard's routes under /dashboard/, kept in the address bar with the
// History API; www/_redirects serves index.html for every deep link below
// /dashboard/contests, /dashboard/keys, /dashboard/webhooks and /dashboard/accounts, so a reload
// lands on the same page.
import { useEffect, useState } from "preact/hooks";

export const BASE = "/dashboard";

/** The pages of one contest, in the order its navigation lists them. */
export const CONTEST_TABS = [
  "overview",
  "settings",
  "participants",
  "review",
  "purchases",
  "bonus-actions",
  "prizes",
  "email",
  "exports",
] as const;
export type ContestTab = (typeof CONTEST_TABS)[number];

export type Route =
  | { name: "contests"; page: number }
  | { name: "contest"; contestId: string; tab: ContestTab }
  | { name: "keys" }
  | { name: "webhooks" }
  | { name: "accounts" }
  | { name: "notFound" };

const CONTEST_ID = /^[A-Za-z0-9_-]{1,100}$/;

function isTab(s: string): s is ContestTab {
  return (CONTEST_TABS as readonly string[]).includes(s);
}

/** The route of a location (its path and query). */
export function parseRoute(pathname: string, search: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : null;
  if (rest === null) return { name: "notFound" };
  const parts = rest.split("/").filter((p) => p !== "");
  if (parts.length === 0 || (parts.length === 1 && parts[0] === "contests")) {
    const page = Number(new URLSearchParams(search).get("page") ?? "1");
    return { name: "contests", page: Number.isInteger(page) && page >= 1 ? page : 1 };
  }
  if (parts.length === 1 && parts[0] === "keys") return { name: "keys" };
  if (parts.length === 1 && parts[0] === "webhooks") return { name: "webhooks" };
  if (parts.length === 1 && parts[0] === "accounts") return { name: "accounts" };
  const tab = parts.length === 2 ? "overview" : (parts[2] ?? "");
  if (parts[0] === "contests" && (parts.length === 2 || parts.length === 3) && isTab(tab)) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1] ?? "");
    } catch {
      return { name: "notFound" };
    }
    return CONTEST_ID.test(id) ? { name: "contest", contestId: id, tab } : { name: "notFound" };
  }
  return { name: "notFound" };
}

/** The address of a route. */
export function routeUrl(route: Route): string {
  switch (route.name) {
    case "contests":
      return route.page > 1 ? `${BASE}/?page=${route.page}` : `${BASE}/`;
    case "contest":
      return `${BASE}/contests/${encodeURIComponent(route.contestId)}/${route.tab}`;
    case "keys":
      return `${BASE}/keys`;
    case "webhooks":
      return `${BASE}/webhooks`;
    case "accounts":
      return `${BASE}/accounts`;
    case "notFound":
      return `${BASE}/`;
  }
}

/** The address of one page of a contest. */
export function contestUrl(contestId: string, tab: ContestTab = "overview"): string {
  return routeUrl({ name: "contest", contestId, tab });
}

const listeners = new Set<() => void>();

/** Shows `url` (a path under /dashboard/) without a page load. */
export function navigate(url: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  listeners.forEach((l) => l());
}

/** The current path and query; re-renders on navigation and back/forward. */
export function useLocation(): string {
  const current = () => location.pathname + location.search;
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return loc;
}
