// What a page reads from the API when it shows (and again when what it
// depends on changes): one hook instead of an effect, a liveness flag and
// two states in every page. Load failures are kept apart from the failures
// of the page's actions, which each page shows with its own notice.
import { useCallback, useEffect, useState } from "preact/hooks";
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
