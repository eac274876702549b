// The one review of a pending completion of a manual bonus action, used by the
// review page (the contest's pending completions) and a participant's row
// (theirs): Approve (the action's points are added) or Reject, with the same
// calls and the same message in both.
import { unwrap, useSession } from "../api";
import { signed } from "../format";
import type { Action } from "../load";

/** A completion waiting for the owner: whose, of which action. */
export interface PendingCompletion {
  entryId: string;
  bonusActionId: string;
  /** The action's name. */
  action: string;
}

/** Approve and Reject buttons for `completion`. They run in the list's
 * `action` (one decision at a time, its failure shown by the list); on
 * success `onDecided` gets the message, e.g. "Approved “Post a review” for
 * Ann: +15 points.", and shows it and the list as it now is. */
export function CompletionReview({
  completion: c,
  who,
  label,
  action,
  onDecided,
}: {
  completion: PendingCompletion;
  /** The participant as the message names them. */
  who: string;
  /** What the buttons' accessible names add to "Approve" and "Reject". */
  label: string;
  action: Action;
  onDecided: (message: string) => void;
}) {
  const session = useSession();
  const decide = (approve: boolean) =>
    action.run(async () => {
      const params = { params: { path: { entryId: c.entryId, bonusActionId: c.bonusActionId } } };
      const r = await unwrap(
        session,
        approve
          ? session.api.POST("/api/v1/entries/{entryId}/bonus-actions/{bonusActionId}/approve", params)
          : session.api.POST("/api/v1/entries/{entryId}/bonus-actions/{bonusActionId}/reject", params),
      );
      onDecided(
        approve
          ? `Approved “${c.action}” for ${who}: ${signed(r.data.pointsAdded)} points.`
          : `Rejected “${c.action}” for ${who}.`,
      );
    });
  return (
    <>
      <button type="button" disabled={action.busy} onClick={() => decide(true)} aria-label={`Approve ${label}`}>
        Approve
      </button>{" "}
      <button type="button" class="secondary" disabled={action.busy} onClick={() => decide(false)} aria-label={`Reject ${label}`}>
        Reject
      </button>
    </>
  );
}
