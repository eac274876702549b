// The typed API client for the browser code (the dashboard, the widget):
// openapi-fetch over the types openapi-typescript generates from
// edge/openapi.json into ./schema.d.ts (scripts/build-api-types.sh; gitignored,
// never hand-written). A path, parameter or body the document does not have is
// a type error.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, operations, paths } from "./schema";

/** A client of this API. */
export type ApiClient = Client<paths>;

/** A schema of the document by name, e.g. `Schema<"EntryCreated">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** A client for the API served at `baseUrl` (the worker's origin, e.g.
 * `https://rocket.example`), sending `apiKey` in `x-api-key` when given. A
 * private key belongs on a server, or in the owner's own dashboard tab (kept in
 * its sessionStorage): code on a site's pages uses a public key or none. */
export function createApiClient(baseUrl: string, apiKey?: string): ApiClient {
  return createClient<paths>({
    baseUrl,
    headers: apiKey === undefined ? {} : { "x-api-key": apiKey },
  });
}

/** A client of the operator's routes (`/api/admin/*`) with the worker's
 * ADMIN_TOKEN as a bearer token: only the operator's own dashboard tab holds it. */
export function createAdminClient(baseUrl: string, adminToken: string): ApiClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${adminToken}` } });
}
