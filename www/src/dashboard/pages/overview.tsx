// Placeholder: filled in by the overview page's own commit.
import { ContestShell } from "./contest-shell";

export function OverviewPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="overview">{() => <p>Coming.</p>}</ContestShell>;
}
