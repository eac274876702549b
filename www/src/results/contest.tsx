// The hosted page's heading (issue 27), rendered into its
// <header id="rocket-contest">: the contest's name (also the page's <title>),
// its description, its end, and who invited the visitor (the masked name of
// their `?ref=` code's advocate), from the open
// `GET /api/referral/join?contestId=&referralCode=`. Here rather than in the
// widget, which every embedding site pays for byte by byte. Text only.
import { useEffect, useState } from "preact/hooks";
import type { components } from "../api/schema";

export type ContestFacts = components["schemas"]["JoinForm"];

/** The code this visitor came with: `?ref=` of the page, else the tracker's cookie. */
function visitorCode(): string | null {
  try {
    const cookie = /(?:^|;\s*)rt_ref=([^;]*)/.exec(document.cookie)?.[1];
    return new URLSearchParams(location.search).get("ref") || (cookie ? decodeURIComponent(cookie) : null);
  } catch {
    return null;
  }
}

/** The contest's public facts, or null when they cannot be read. */
export async function fetchFacts(origin: string, contestId: string, code: string | null): Promise<ContestFacts | null> {
  try {
    const q = new URLSearchParams({ contestId, ...(code ? { referralCode: code } : {}) });
    const res = await fetch(`${origin}/api/referral/join?${q}`);
    if (!res.ok) return null;
    const body = (await res.json()) as { success?: boolean; data?: ContestFacts };
    return body.success && body.data ? body.data : null;
  } catch {
    return null;
  }
}

/** `December 31, 2026` (the visitor's own language and time zone). */
function day(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(t);
}

/** What the confirm link's landing says (`?confirmed=1` or `already`, set by
 * `GET /api/referral/confirm`'s redirect), else null. */
function confirmedNotice(): string | null {
  try {
    const state = new URLSearchParams(location.search).get("confirmed");
    if (state === "1") return "Your email address is confirmed: your signup counts.";
    if (state === "already") return "Your email address was already confirmed.";
  } catch {}
  return null;
}

export function ContestHeading({ f, now }: { f: ContestFacts | null; now: number }) {
  const notice = confirmedNotice();
  const status = notice && (
    <p class="confirmed" role="status">
      {notice}
    </p>
  );
  if (!f)
    return (
      <>
        <h1>Referral program</h1>
        {status}
      </>
    );
  const ended = f.endsAt && Date.parse(f.endsAt) <= now;
  return (
    <>
      <h1>{f.name}</h1>
      {status}
      {f.invitedBy && <p class="invited">{f.invitedBy.name ? `${f.invitedBy.name} invited you.` : "A friend invited you."}</p>}
      {f.description && <p class="description">{f.description}</p>}
      {f.endsAt && <p class="ends">{ended ? `Ended ${day(f.endsAt)}.` : `Ends ${day(f.endsAt)}.`}</p>}
    </>
  );
}

export function Heading({ origin, contestId }: { origin: string; contestId: string }) {
  const [f, setF] = useState<ContestFacts | null>(null);
  useEffect(() => {
    void fetchFacts(origin, contestId, visitorCode()).then((got) => {
      if (!got) return;
      setF(got);
      document.title = got.name;
    });
  }, [contestId]);
  return <ContestHeading f={f} now={Date.now()} />;
}
