// The signed-in key: kept in this tab's sessionStorage only (gone when the tab
// closes or on sign-out), never put in a URL, never logged.
const STORAGE_KEY = "rocket-tracker.dashboard.apiKey";

/** The key this tab signed in with, or null. */
export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function clearKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage blocked: nothing was kept there either.
  }
}

/** Private keys are `rt_sk_` and 32 base-36 characters; public ones `rt_pk_`. */
export function keyProblem(key: string): string | null {
  if (key === "") return "Enter your private API key.";
  if (key.startsWith("rt_pk_")) return "That is a public key: the dashboard needs a private key (rt_sk_…).";
  if (!key.startsWith("rt_sk_")) return "A private API key starts with rt_sk_.";
  return null;
}
