// Cloudflare Turnstile in the join form, for contests that use it. Turnstile's
// frame must be in the page's own DOM (its script finds it there), so it is
// rendered into a child of the <rocket-referral> element and shown inside the
// form through a <slot>. Its script loads once, only for such a form.
import { useEffect, useRef } from "preact/hooks";
import { quietly } from "./util";

export const TURNSTILE_SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

/** The part of Turnstile's API the form uses. */
interface TurnstileApi {
  render(el: HTMLElement, options: Record<string, unknown>): string | undefined;
  reset(id?: string): void;
  remove(id?: string): void;
}

let loading: Promise<TurnstileApi> | undefined;

/** Turnstile's API, its script added to the page the first time. */
function turnstileApi(): Promise<TurnstileApi> {
  const ready = () => (window as unknown as { turnstile?: TurnstileApi }).turnstile;
  loading ??= new Promise<TurnstileApi>((resolve, reject) => {
    const present = ready();
    if (present) return resolve(present);
    const script = document.createElement("script");
    script.src = TURNSTILE_SCRIPT;
    script.async = true;
    script.onload = () => {
      const api = ready();
      if (api) resolve(api);
      else reject(new Error("no turnstile"));
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error("turnstile unreachable"));
    };
    document.head.append(script);
  });
  return loading;
}

/** Controls the form holds: reset after a refused join (a token is single use). */
export interface Check {
  reset: () => void;
}

/** The check, in the slot `turnstile` of the form. `onToken` gets each token
 * ("" when it expires or fails), `onFailed` when Turnstile cannot load. */
export function TurnstileCheck(props: {
  host: HTMLElement;
  siteKey: string;
  lang: string;
  check: { current: Check | null };
  onToken: (token: string) => void;
  onFailed: () => void;
}) {
  const latest = useRef(props);
  latest.current = props;
  useEffect(() => {
    const box = document.createElement("div");
    box.slot = "turnstile";
    props.host.append(box);
    let id: string | undefined;
    let api: TurnstileApi | undefined;
    let live = true;
    quietly(async () => {
      try {
        api = await turnstileApi();
      } catch {
        if (live) latest.current.onFailed();
        return;
      }
      if (!live) return;
      const token = (t: string) => latest.current.onToken(t);
      id = api.render(box, {
        sitekey: props.siteKey,
        language: props.lang,
        callback: token,
        "expired-callback": () => token(""),
        "error-callback": () => token(""),
      });
      props.check.current = { reset: () => quietly(() => api?.reset(id)) };
    });
    return () => {
      live = false;
      props.check.current = null;
      quietly(() => id !== undefined && api?.remove(id));
      box.remove();
    };
  }, [props.host, props.siteKey]);
  return <slot name="turnstile" />;
}
