// The participant widget (issue 12), www/widget.js, built by
// scripts/build-bundle.sh (widget). A site embeds
//   <script async src="https://<host>/widget.js" data-contest="ct_…" data-token="rtp_…"></script>
// and gets a <rocket-referral> element (Shadow DOM) in <div id="rocket-referral">
// if the page has one, else right after the script; or writes the element
// itself: <rocket-referral contest="ct_…" token="rtp_…" locale="fr">.
// The API is the script's own origin. Nothing here may throw into the page.
import { Component, render, type ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { AdvocateView, Down } from "./advocate";
import { JoinForm } from "./join";
import { stringsFor, type Strings } from "./locale";
import { CSS } from "./style";
import { quietly, type Ctx } from "./util";

// Captured while the script runs: later, document.currentScript is another script or null.
const script = document.currentScript as HTMLScriptElement | null;
const ORIGIN = (() => {
  try {
    return new URL(script?.src ?? "", location.href).origin;
  } catch {
    return location.origin;
  }
})();

/** A render failure of ours shows the retry notice instead of reaching the page. */
class Boundary extends Component<{ s: Strings; children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false };
  override componentDidCatch() {
    this.setState({ failed: true });
  }
  override render() {
    return this.state.failed ? <Down s={this.props.s} retry={() => this.setState({ failed: false })} /> : this.props.children;
  }
}

/** Where the visitor's own browser keeps their participant token for a
 * contest (from `join`'s answer or a portal link), so a reload shows their view. */
const KEY = "rocket-referral:";

function recalled(contestId: string | null): string | null {
  try {
    return contestId && localStorage.getItem(KEY + contestId);
  } catch {
    return null;
  }
}

function remember(contestId: string | null, token: string | null) {
  quietly(() => {
    if (contestId) token ? localStorage.setItem(KEY + contestId, token) : localStorage.removeItem(KEY + contestId);
  });
}

/** What the tracker fires on `window` when the site's own signup form
 * (`trackSignup`) made an entry in this browser; it already stored the token
 * under `KEY + contestId`. */
const SIGNED_UP = "rocket-referral:token";

function Widget({ ctx, token: given }: { ctx: Ctx; token: string | null }) {
  // The page's token first; else the one this browser kept. A join hands the
  // new entry's token over: the advocate's view takes it from there.
  const [token, setToken] = useState(() => given ?? recalled(ctx.contestId));
  const keep = (t: string | null) => {
    remember(ctx.contestId, t);
    setToken(t);
  };
  // A signup the tracker just made on this page: show that participant.
  useEffect(() => {
    if (given) return;
    const took = (e: Event) => {
      const d = (e as CustomEvent<{ contestId?: unknown; token?: unknown } | null>).detail;
      if (d?.contestId === ctx.contestId && typeof d?.token == "string") setToken(d.token);
    };
    addEventListener(SIGNED_UP, took);
    return () => removeEventListener(SIGNED_UP, took);
  }, [given, ctx.contestId]);
  if (token)
    return (
      <>
        <AdvocateView key={token} ctx={ctx} token={token} />
        {!given && (
          <p>
            <button type="button" class="s" onClick={() => keep(null)}>
              {ctx.s.notYou}
            </button>
          </p>
        )}
      </>
    );
  return ctx.contestId ? <JoinForm ctx={ctx} contestId={ctx.contestId} onJoined={keep} /> : null;
}

let sheet: CSSStyleSheet | null | undefined;
/** Our styles as a constructed sheet where the browser has them (a page's CSP
 * that refuses inline styles does not apply to them), else null: a <style>. */
function styleSheet(): CSSStyleSheet | null {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    } catch {
      sheet = null;
    }
  }
  return sheet;
}

class RocketReferral extends HTMLElement {
  static observedAttributes = ["contest", "token", "locale"];

  private queued = false;

  connectedCallback() {
    this.schedule();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.schedule();
  }

  /** One draw for the attributes set together (the parser sets them one by one). */
  private schedule() {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      if (this.isConnected) quietly(() => this.draw());
    });
  }

  disconnectedCallback() {
    // Stops the countdown's timer with the rest.
    quietly(() => this.shadowRoot && render(null, this.shadowRoot));
  }

  private draw() {
    let root = this.shadowRoot;
    if (!root) {
      root = this.attachShadow({ mode: "open" });
      const own = styleSheet();
      if (own) root.adoptedStyleSheets = [own];
    }
    const s = stringsFor(this.getAttribute("locale"));
    const ctx: Ctx = { origin: ORIGIN, contestId: this.getAttribute("contest") || null, s, host: this };
    const token = this.getAttribute("token") || null;
    render(
      <>
        {!root.adoptedStyleSheets.length && <style>{CSS}</style>}
        <div lang={s.lang}>
          <Boundary s={s}>
            <Widget key={`${ctx.contestId} ${token}`} ctx={ctx} token={token} />
          </Boundary>
        </div>
      </>,
      root,
    );
  }
}

/** The hosted page (`/r/<contestId>`, www/r.html, its script `data-hosted`):
 * the contest from the path. The page is a contest's referral landing when it
 * has no campaignUrl, so it also runs the tracker: a visitor arriving with
 * `?ref=` is attributed, and the join form sends that code. */
function hostedContest(): string | undefined {
  const id = /^\/r\/([A-Za-z0-9_-]{1,100})\/?$/.exec(location.pathname)?.[1];
  if (!id || !script?.hasAttribute("data-hosted")) return undefined;
  const tracker = document.createElement("script");
  tracker.src = `${ORIGIN}/referral-tracker.js?campaignId=${id}`;
  document.head.append(tracker);
  return id;
}

/** The element for the script's data-* attributes, where the page wants it. */
function mount() {
  const contest = script?.dataset.contest || hostedContest();
  if (!script || !(contest || script.dataset.token)) return;
  // A portal link (`#token=rtp_…`): kept for the contest, then gone from the
  // URL, so it is neither bookmarked nor shared.
  const linked = /[#&]token=(rtp_[\w.-]+)/.exec(location.hash)?.[1];
  if (linked && contest) {
    remember(contest, linked);
    history.replaceState(history.state, "", location.pathname + location.search);
  }
  const el = document.createElement("rocket-referral");
  if (contest) el.setAttribute("contest", contest);
  for (const name of ["token", "locale"] as const) {
    const value = script.dataset[name];
    if (value) el.setAttribute(name, value);
  }
  const slot = document.getElementById("rocket-referral");
  if (slot) slot.append(el);
  else script.after(el);
}

quietly(() => {
  if (!customElements.get("rocket-referral")) customElements.define("rocket-referral", RocketReferral);
  // An async script may run before the page's <div id="rocket-referral"> is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => quietly(mount));
  else mount();
});
