// A participant's way back to their link (issue 26), in their row's panel:
// the referral link, a participant token minted for them (shown once, with
// the widget snippet filled in, for the site to sign them in) and the
// sign-in email (the `portal` message: a link that signs them in on the
// contest's hosted page).
import { useState } from "preact/hooks";
import { referralLink } from "../../widget/share";
import { unwrap, useSession, type Schema } from "../api";
import { utc } from "../format";
import { useAction } from "../load";
import { CopyButton, Notice } from "../ui";

type Contest = Schema<"Contest">;
type Entry = Schema<"Entry">;

/** The entry's referral link, as the widget shows it. */
export function linkOf(contest: Contest, entry: Entry): string {
  return referralLink(location.origin, contest.id, contest.campaignUrl ?? null, entry.referralCode);
}

export function Access({ contest, entry }: { contest: Contest; entry: Entry }) {
  const session = useSession();
  const action = useAction();
  const [token, setToken] = useState<string | null>(null);
  const path = { params: { path: { entryId: entry.id } } };
  const link = linkOf(contest, entry);

  const mint = () =>
    action.run(async () => {
      const r = await unwrap(session, session.api.POST("/api/v1/entries/{entryId}/token", { ...path, body: {} }));
      setToken(r.data.token);
      return `Token minted, valid until ${utc(r.data.expiresAt)}.`;
    });
  const send = () =>
    action.run(async () => {
      await unwrap(session, session.api.POST("/api/v1/entries/{entryId}/sign-in-email", path));
      return `Sign-in email on its way to ${entry.email}.`;
    });
  const snippet =
    token &&
    `<script async src="${location.origin}/widget.js" data-contest="${contest.id}" data-token="${token}"></script>`;

  return (
    <section class="panel" aria-label="Access">
      <h4>Link and sign-in</h4>
      <p>
        Referral link: <a href={link}>{link}</a> <CopyButton text={link} label="Copy the link" />
      </p>
      {snippet ? (
        <div class="fresh-key">
          <p>
            <strong>Copy it now: it will not be shown again.</strong> The widget, signed in as this participant:
          </p>
          <pre id={`snippet-${entry.id}`}>
            <code>{snippet}</code>
          </pre>
          <CopyButton text={snippet} label="Copy the snippet" />{" "}
          <button type="button" class="secondary" onClick={() => setToken(null)}>
            Done, hide it
          </button>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="secondary" disabled={action.busy} onClick={mint}>
            Mint a participant token
          </button>
          <button type="button" class="secondary" disabled={action.busy} onClick={send}>
            Send sign-in email
          </button>
        </div>
      )}
      <Notice error={action.error} message={action.message} />
    </section>
  );
}
