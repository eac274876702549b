// What every page of one contest shares: the contest loaded once, its name
// as the heading with the page's name, and the navigation between its pages.
import type { ComponentChildren } from "preact";
import { ApiFailure, unwrap, useSession, type Schema } from "../api";
import { useLoad } from "../load";
import { BASE, CONTEST_TABS, contestUrl, type ContestTab } from "../router";
import { Link, Notice, PageHeading } from "../ui";

type Contest = Schema<"Contest">;

export const TAB_LABELS: Record<ContestTab, string> = {
  overview: "overview",
  settings: "settings",
  participants: "participants",
  review: "review",
  purchases: "purchases",
  "bonus-actions": "bonus actions",
  prizes: "prizes",
  email: "email",
  exports: "exports",
};

/** Loads the contest, then shows `children(contest, setContest)` under the
 * contest's heading and navigation. */
export function ContestShell({
  contestId,
  tab,
  children,
}: {
  contestId: string;
  tab: ContestTab;
  children: (contest: Contest, update: (c: Contest) => void) => ComponentChildren;
}) {
  const session = useSession();
  const loaded = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/contests/{contestId}", { params: { path: { contestId } } })),
    [session, contestId],
  );
  const contest = loaded.value?.data ?? null;
  const missing = loaded.failure instanceof ApiFailure && loaded.failure.status === 404;

  const label = TAB_LABELS[tab];
  const back = (
    <p>
      <Link href={`${BASE}/`}>← All contests</Link>
    </p>
  );
  if (missing) {
    return (
      <>
        {back}
        <PageHeading title="Contest not found" />
        <p>This account has no contest with the id {contestId}.</p>
      </>
    );
  }
  if (contest === null) {
    return (
      <>
        {back}
        <PageHeading title={`Contest ${label}`} />
        <Notice error={loaded.error} />
        {loaded.error ? null : <p class="quiet">Loading…</p>}
      </>
    );
  }
  return (
    <>
      {back}
      <PageHeading key={tab} title={`${contest.name}: ${label}`}>
        {contest.name} <span class="subtitle">{label}</span>
      </PageHeading>
      <nav aria-label="This contest" class="tabs">
        <ul>
          {CONTEST_TABS.map((t) => (
            <li key={t}>
              <Link href={contestUrl(contest.id, t)} current={t === tab}>
                {TAB_LABELS[t].charAt(0).toUpperCase() + TAB_LABELS[t].slice(1)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children(contest, (c) => loaded.update((v) => v && { ...v, data: c }))}
    </>
  );
}
