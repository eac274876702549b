// Every call of the dashboard goes through the typed client generated from
// edge/openapi.json (../api/client.ts), with the signed-in key in x-api-key.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { createAdminClient, createApiClient, type ApiClient } from "../api/client";

export type { Schema } from "../api/client";

/** The API's own error text and the HTTP status (0: no answer). */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A client for this origin's API with the owner's private key. */
export function clientFor(key: string): ApiClient {
  return createApiClient(location.origin, key);
}

/** A client for this origin's operator routes with the admin token. */
export function adminClientFor(token: string): ApiClient {
  return createAdminClient(location.origin, token);
}

/** What any signed-in tab has: its client and a way out. */
export interface SignedIn {
  api: ApiClient;
  /** Forgets the credential and shows the sign-in page with `notice`. */
  signOut(notice?: string): void;
}

/** The operator's tab (admin token): accounts only. */
export type OperatorSession = SignedIn;

/** An owner's tab (private key): their contests and keys. */
export interface Session extends SignedIn {
  /** Whether this tab signed in with the key of this prefix. */
  isThisKey(prefix: string): boolean;
  /** Goes on with `key` (this tab's key was rotated into it). */
  switchKey(key: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}

/** The `data` of a call, or an ApiFailure with the API's message. A refused
 * key (401) signs out: the key was revoked or rotated. */
export async function unwrap<D>(
  session: SignedIn | null,
  pending: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> {
  let result: { data?: D; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch {
    throw new ApiFailure("The server could not be reached. Try again.", 0);
  }
  if (result.data !== undefined) return result.data;
  const status = result.response.status;
  const body = result.error;
  const message =
    typeof body === "object" && body !== null && "error" in body && typeof body.error === "string"
      ? body.error
      : `The server answered ${status}.`;
  if (status === 401 && session) session.signOut("Your key was refused: sign in again.");
  throw new ApiFailure(message, status);
}

/** The text to show for a failure of any kind. */
export function failureText(e: unknown): string {
  return e instanceof ApiFailure ? e.message : "Something went wrong. Reload the page and try again.";
}
