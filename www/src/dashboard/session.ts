// What this tab signed in with: an owner's private key, or the operator's
// admin token. Kept in this tab's sessionStorage only (gone when the tab
// closes or on sign-out), never put in a URL, never logged; one at a time.

/** Who signed in: an owner (private API key) or the operator (admin token). */
export type Credential = { kind: "owner"; key: string } | { kind: "operator"; token: string };

const OWNER_KEY = "rocket-tracker.dashboard.apiKey";
const OPERATOR_TOKEN = "rocket-tracker.dashboard.adminToken";

function read(name: string): string | null {
  try {
    return sessionStorage.getItem(name);
  } catch {
    return null;
  }
}

/** The credential this tab signed in with, or null. */
export function storedCredential(): Credential | null {
  const key = read(OWNER_KEY);
  if (key !== null) return { kind: "owner", key };
  const token = read(OPERATOR_TOKEN);
  return token === null ? null : { kind: "operator", token };
}

export function storeCredential(c: Credential): void {
  clearCredential();
  if (c.kind === "owner") sessionStorage.setItem(OWNER_KEY, c.key);
  else sessionStorage.setItem(OPERATOR_TOKEN, c.token);
}

export function clearCredential(): void {
  try {
    sessionStorage.removeItem(OWNER_KEY);
    sessionStorage.removeItem(OPERATOR_TOKEN);
  } catch {
    // Storage blocked: nothing was kept there either.
  }
}

/** The worker refuses an ADMIN_TOKEN under 32 characters, so a shorter one
 * cannot be right. */
export function adminTokenProblem(token: string): string | null {
  if (token === "") return "Enter the admin token.";
  if (token.length < 32) return "The admin token has at least 32 characters.";
  return null;
}

/** Private keys are `rt_sk_` and 32 base-36 characters; public ones `rt_pk_`. */
export function keyProblem(key: string): string | null {
  if (key === "") return "Enter your private API key.";
  if (key.startsWith("rt_pk_")) return "That is a public key: the dashboard needs a private key (rt_sk_…).";
  if (!key.startsWith("rt_sk_")) return "A private API key starts with rt_sk_.";
  return null;
}
