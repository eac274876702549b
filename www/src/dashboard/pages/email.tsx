// A contest's Email page: the messages participants get (each kind's on/off,
// subject and bodies, a test send) and the list of what was sent or failed.
// The sender and the confirmation setting are on the settings page.
import { useState } from "preact/hooks";
import { type Schema } from "../api";
import { contestUrl } from "../router";
import { Link } from "../ui";
import { ContestShell } from "./contest-shell";
import { EmailLog } from "./email-log";

type Contest = Schema<"Contest">;

export function EmailPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="email">{(contest) => <Email contest={contest} />}</ContestShell>;
}

function Email({ contest }: { contest: Contest }) {
  const [round] = useState(0);
  return (
    <>
      {contest.emailFrom ? null : (
        <p class="notice">
          This contest has no sender address, so it sends no email: set one in the{" "}
          <Link href={contestUrl(contest.id, "settings")}>settings</Link>' Email part.
        </p>
      )}
      <EmailLog contestId={contest.id} round={round} />
    </>
  );
}
