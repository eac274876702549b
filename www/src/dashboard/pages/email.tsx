// A contest's Email page: the messages participants get (each kind's on/off,
// subject and bodies, a test send) and the list of what was sent or failed.
// The sender and the confirmation setting are on the settings page.
import { useState } from "preact/hooks";
import { type Schema } from "../api";
import { contestUrl } from "../router";
import { Link } from "../ui";
import { ContestShell } from "./contest-shell";
import { EmailLog } from "./email-log";
import { EmailTemplates } from "./email-templates";

type Contest = Schema<"Contest">;

export function EmailPage({ contestId }: { contestId: string }) {
  return <ContestShell contestId={contestId} tab="email">{(contest) => <Email contest={contest} />}</ContestShell>;
}

function Email({ contest }: { contest: Contest }) {
  // Bumped by a test send: the list reads again and shows it.
  const [round, setRound] = useState(0);
  return (
    <>
      {contest.emailFrom ? null : (
        <p class="notice">
          This contest has no sender address, so it sends no email: set one in the Email part of its{" "}
          <Link href={contestUrl(contest.id, "settings")}>settings</Link>.
        </p>
      )}
      <EmailTemplates contest={contest} onSent={() => setRound((n) => n + 1)} />
      <EmailLog contestId={contest.id} round={round} />
    </>
  );
}
