// What a page reads from the API when it shows (and again when what it
// depends on changes): one hook instead of an effect, a liveness flag and
// two states in every page. Load failures are kept apart from the failures
// of the page's actions (`useAction`), which each page shows with its own notice.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { failureText } from "./api";

export interface Loaded<T> {
  /** The last answer; kept while the next read runs, so a page does not
   * flash "Loading…" on every page turn. Null until the first answer. */
  value: T | null;
  /** What went wrong with the last read (null while it runs or after it succeeded). */
  error: string | null;
  /** The failure itself (a 404 may mean "not found" rather than an error). */
  failure: unknown;
  /** Reads again (an action changed what is shown). */
  reload(): void;
  /** Changes the shown answer in place (an action's own answer) without a read. */
  update(change: (value: T | null) => T | null): void;
}

/** Runs `read` now and whenever one of `deps` changes; an answer that comes
 * after the page moved on (or went away) is dropped. */
export function useLoad<T>(read: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setFailure(null);
    read()
      .then((v) => live && setValue(() => v))
      .catch((e: unknown) => live && setFailure(() => e ?? new Error("failed")));
    return () => {
      live = false;
    };
    // `read` is a new closure on every render; what it reads is in `deps`.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  const update = useCallback((change: (value: T | null) => T | null) => setValue(change), []);
  return { value, error: failure === null ? null : failureText(failure), failure, reload, update };
}

export interface Action {
  /** A call is running: the buttons that start one are disabled. */
  busy: boolean;
  /** What went wrong with the last call, or the problem a form found before
   * calling (for the notice's alert). */
  error: string | null;
  /** What the last call did (for the notice's polite status). */
  message: string | null;
  /** Runs `work`: the last error and message cleared, busy until it settles;
   * a failure's text becomes `error`, a text `work` resolves to becomes
   * `message` (`work` reloads or updates what the page shows). Resolves to the
   * failure's text, or null when `work` succeeded. */
  run(work: () => Promise<string | void>): Promise<string | null>;
  /** Shows a problem found before any call; clears the message. */
  fail(problem: string): void;
  /** Shows a message without a call ("Nothing changed."); clears the error. */
  say(message: string): void;
  /** Clears the error and the message (the page moved on). */
  clear(): void;
}

/** The state of what a page (or one row of it) does, instead of a busy flag,
 * an error, a message and a try/catch/finally in each handler. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // An action may end by taking its own component away (an erased row, a
  // sign-in): nothing is set after that.
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );
  const run = useCallback(async (work: () => Promise<string | void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const text = await work();
      if (live.current && typeof text === "string") setMessage(text);
      return null;
    } catch (e) {
      const text = failureText(e);
      if (live.current) setError(text);
      return text;
    } finally {
      if (live.current) setBusy(false);
    }
  }, []);
  const fail = useCallback((problem: string) => {
    setMessage(null);
    setError(problem);
  }, []);
  const say = useCallback((text: string) => {
    setError(null);
    setMessage(text);
  }, []);
  const clear = useCallback(() => {
    setError(null);
    setMessage(null);
  }, []);
  return { busy, error, message, run, fail, say, clear };
}
