// The bindings the API tests see through `env` (cloudflare:test): wrangler.toml's
// plus the ones vitest.config.ts adds.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    ADMIN_TOKEN: string;
    IP_HASH_KEY: string;
    WEBHOOK_RETRY_AT_ONCE: string;
    WEBHOOKS: Queue;
    VISITS: Queue;
    FINALIZE: Queue;
    DRAWS: Queue;
    FINALIZE_PAGE_SIZE: string;
    RL_WRITES: RateLimit;
    RL_READS: RateLimit;
    RL_FAILED_AUTH: RateLimit;
    RL_KEYS: RateLimit;
    EMAIL_QUEUE: Queue;
    PUBLIC_ORIGIN: string;
    /** The capture of test/api/email-capture.mjs (test/api/email-helpers.ts). */
    EMAIL: { sentTo(address: string): Promise<import("./email-helpers").SentEmail[]> };
  }
}

// The built worker (edge/build/index.js, aliased in vitest.config.ts): its
// default export is the entrypoint class workerd instantiates.
declare module "rocket-worker" {
  const Worker: new (ctx: ExecutionContext, env: Cloudflare.Env) => { queue(batch: unknown): Promise<void> };
  export default Worker;
}
