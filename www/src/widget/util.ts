// What every part of the widget shares: where it is (API origin, contest,
// strings), number and date formatting in its language, and the guard that
// keeps our errors out of the host page.
import type { Strings } from "./locale";

/** Where one widget runs. */
export interface Ctx {
  /** The API's origin: where widget.js itself was loaded from. */
  origin: string;
  /** The contest of the `contest`/`data-contest` attribute, if any. */
  contestId: string | null;
  s: Strings;
  /** The <rocket-referral> element: what must live in the page's own DOM
   * (Turnstile's frame) goes into it, shown through a slot. */
  host: HTMLElement;
}

/** Runs `fn`, swallowing whatever it throws or its promise rejects with: the
 * host page never sees an error of ours (nor its console). */
export function quietly(fn: () => unknown): void {
  try {
    const r = fn();
    if (r instanceof Promise) r.catch(() => {});
  } catch {
    // Nothing to do: the widget shows its own state.
  }
}

/** `n` in the widget's language: `1,234` or `1 234`. */
export function num(s: Strings, n: number): string {
  return new Intl.NumberFormat(s.lang).format(n);
}

/** An amount of a currency (its code from the contest), or the plain number
 * when the code is one Intl does not know. */
export function money(s: Strings, n: number, currency: string | null): string {
  try {
    if (currency) return new Intl.NumberFormat(s.lang, { style: "currency", currency }).format(n);
  } catch {
    // An unknown code: the number alone.
  }
  return num(s, n);
}

/** The day of an ISO timestamp, e.g. `Nov 24, 2026`. */
export function day(s: Strings, iso: string | null): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? "" : new Intl.DateTimeFormat(s.lang, { dateStyle: "medium" }).format(t);
}

/** Copies `text`: the Clipboard API where the page allows it (secure
 * contexts), else the selected input and the older copy command. */
export async function copy(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    try {
      input?.select();
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}
