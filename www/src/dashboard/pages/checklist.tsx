// A new contest's getting-started checklist, on its settings page: install the
// tracker, add the widget, connect Stripe, make a test referral; each step
// ticked from what the contest has seen (GET .../checklist), with what to
// paste for it. Once every step is seen, one line says so.
import type { ComponentChildren } from "preact";
import { unwrap, useSession, type Schema } from "../api";
import { useLoad } from "../load";
import { contestUrl } from "../router";
import { trackerTag, webhookUrl, widgetTag } from "../snippet";
import { Link, Notice } from "../ui";
import { Copyable } from "./contest-endpoints";

type Contest = Schema<"Contest">;
type Checklist = Schema<"ContestChecklist">;
type Seen = "trackerSeen" | "widgetSeen" | "stripeSeen" | "referralSeen";

export function GettingStarted({ contest }: { contest: Contest }) {
  const session = useSession();
  const loaded = useLoad(
    () => unwrap(session, session.api.GET("/api/v1/contests/{contestId}/checklist", { params: { path: { contestId: contest.id } } })),
    [session, contest.id],
  );
  const list = loaded.value?.data ?? null;
  if (list === null) return loaded.error ? <Notice error={loaded.error} /> : null;
  if (list.done) {
    return (
      <p class="quiet checklist-done">
        Getting started: done. The tracker, the widget, Stripe and a referral have all been seen.
      </p>
    );
  }
  const origin = location.origin;
  const left = (["trackerSeen", "widgetSeen", "stripeSeen", "referralSeen"] as Seen[]).filter((k) => !list[k]).length;
  return (
    <section aria-labelledby="checklist-heading" class="panel checklist">
      <h2 id="checklist-heading">Getting started</h2>
      <p>
        {left} of 4 steps left. Each is ticked once this contest has seen it.{" "}
        <button type="button" class="secondary" onClick={() => loaded.reload()}>
          Check again
        </button>
      </p>
      <ol class="steps" aria-label="Getting-started steps">
        <Step list={list} seen="trackerSeen" title="Install the tracker" done="a visit through a referral link was recorded">
          <p>Paste it into every page of your site, before <code>&lt;/head&gt;</code> (more forms below).</p>
          <Copyable id="start-tracker" label="Step 1: the tracker script" text={trackerTag(origin, contest.id)} block />
        </Step>
        <Step list={list} seen="widgetSeen" title="Add the widget" done="the participant widget has loaded">
          <p>Paste it where participants should see their link and points (the token line is explained below).</p>
          <Copyable id="start-widget" label="Step 2: the widget script" text={widgetTag(origin, contest.id)} block />
        </Step>
        <Step list={list} seen="stripeSeen" title="Connect Stripe" done="a Stripe signing secret is set or Stripe reported a purchase">
          <p>
            In Stripe, add a webhook endpoint with this URL, then paste its signing secret under Secrets below. Skip it
            if you do not sell through Stripe: your server can report purchases instead.
          </p>
          <Copyable id="start-stripe" label="Step 3: the Stripe webhook URL" text={webhookUrl(origin, "stripe", contest.id)} />
        </Step>
        <Step list={list} seen="referralSeen" title="Make a test referral" done="a referred signup was recorded">
          <p>
            Add yourself on the <Link href={contestUrl(contest.id, "participants")}>Participants</Link> page, open your
            site with <code>?ref=</code> and your referral code, and sign up there with another email address.
          </p>
        </Step>
      </ol>
    </section>
  );
}

function Step({
  list,
  seen,
  title,
  done,
  children,
}: {
  list: Checklist;
  seen: Seen;
  title: string;
  done: string;
  children: ComponentChildren;
}) {
  const ok = list[seen];
  return (
    <li class={ok ? "step done" : "step"}>
      <h3>
        <span class="step-mark" aria-hidden="true">
          {ok ? "✓" : "○"}
        </span>{" "}
        <span class="step-title">{title}</span>{" "}
        <span class={ok ? "badge status-confirmed" : "badge status-pending"}>{ok ? "done" : "not yet"}</span>
      </h3>
      {ok ? <p class="quiet">Seen: {done}.</p> : children}
    </li>
  );
}
