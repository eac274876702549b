// The bindings the API tests see through `env` (cloudflare:test): wrangler.toml's
// plus the ones vitest.config.ts adds.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    ADMIN_TOKEN: string;
    IP_HASH_KEY: string;
    RL_WRITES: RateLimit;
    RL_READS: RateLimit;
    RL_FAILED_AUTH: RateLimit;
  }
}
