// Placeholder: filled in by the exports page's own commit.
import { ContestShell } from "./contest-shell";

export function ExportsPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="exports">{() => <p>Coming.</p>}</ContestShell>;
}
