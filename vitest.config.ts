// API tests: the built Rust worker running in workerd (Miniflare) with a real
// local D1, migrations applied per run (test/api/setup.ts).
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { answerBeacon, BEACON, TEST_CHAIN } from "./test/api/beacon";
import { receive } from "./test/api/receiver";
import { TURNSTILE } from "./test/api/turnstile-secrets";

/** workerd's outbound fetch in tests: the webhook receiver, the test beacon
 * chain and a siteverify stand-in; nothing else leaves. */
async function outbound(request: Request): Promise<Response> {
  const received = await receive(request);
  if (received) return received;
  const beacon = answerBeacon(request);
  if (beacon) return beacon;
  const url = new URL(request.url);
  if (url.href !== "https://challenges.cloudflare.com/turnstile/v0/siteverify" || request.method !== "POST") {
    return new Response("no network in tests", { status: 502 });
  }
  const form = new URLSearchParams(await request.text());
  const verdict = (success: boolean, codes: string[] = []) => Response.json({ success, "error-codes": codes });
  if (!form.get("response")) return verdict(false, ["missing-input-response"]);
  switch (form.get("secret")) {
    case TURNSTILE.passes:
      return verdict(true);
    case TURNSTILE.fails:
      return verdict(false, ["invalid-input-response"]);
    case TURNSTILE.spent:
      return verdict(false, ["timeout-or-duplicate"]);
    case TURNSTILE.hangs:
      return new Promise<Response>(() => {});
    case TURNSTILE.errors:
      return new Response("upstream error", { status: 500 });
    case TURNSTILE.needsAddress:
      return verdict(form.get("remoteip") === "203.0.113.9");
    default:
      return verdict(false, ["invalid-input-secret"]);
  }
}

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123",
          IP_HASH_KEY: "test-ip-hash-key-0123456789abcdef",
          // Webhook retries at once rather than after the schedule's delays
          // (test/api/webhook-delivery.spec.ts checks the delays themselves).
          WEBHOOK_RETRY_AT_ONCE: "1",
          // .dev.vars (npm start's) allows loopback webhook URLs; the API tests
          // check the deployment's rules.
          ALLOW_LOCAL_WEBHOOKS: "",
          // Finalizing writes 10 places a statement, so a 25-entry contest
          // takes three pages (test/api/standings.spec.ts).
          FINALIZE_PAGE_SIZE: "10",
          // Draws take their beacon from the local test chain (test/api/beacon.ts,
          // NOT drand), its round right at finalize: a draw is done in about a second.
          DRAND_URL: BEACON,
          DRAND_CHAIN_HASH: TEST_CHAIN.chainHash,
          DRAND_PUBLIC_KEY: TEST_CHAIN.publicKey,
          DRAND_GENESIS: String(TEST_CHAIN.genesis),
          DRAND_PERIOD: String(TEST_CHAIN.period),
          DRAW_BEACON_DELAY_SECS: "0",
          // Links in emails (sent from the queue, with no request to take the origin from).
          PUBLIC_ORIGIN: "https://rocket.test",
          // A failed send is retried at once rather than after the backoff.
          EMAIL_RETRY_AT_ONCE: "1",
        },
        // EMAIL: the capture of test/api/email-capture.mjs instead of the
        // simulated binding, so tests read what was sent (test/api/email-helpers.ts).
        email: { send_email: [] },
        serviceBindings: { EMAIL: { name: "email-capture", entrypoint: "Capture" } },
        workers: [
          {
            name: "email-capture",
            modules: true,
            scriptPath: "./test/api/email-capture.mjs",
            compatibilityDate: "2026-11-01",
          },
        ],
        // The queues of wrangler.toml, without waiting to fill a batch.
        queueConsumers: {
          "rocket-webhooks": { maxBatchTimeout: 0, maxRetries: 10, deadLetterQueue: "rocket-webhooks-dlq", retryDelay: 0 },
          "rocket-webhooks-dlq": { maxBatchTimeout: 0 },
          "rocket-visits": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, retryDelay: 0 },
          "rocket-finalize": { maxBatchSize: 1, maxBatchTimeout: 0, maxRetries: 10, retryDelay: 0 },
          "rocket-draws": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 100 },
          "rocket-email": { maxBatchTimeout: 0, maxRetries: 10, deadLetterQueue: "rocket-email-dlq", retryDelay: 0 },
          "rocket-email-dlq": { maxBatchTimeout: 0 },
        },
        // The limits of wrangler.toml, over 10-second windows so a test can
        // watch one pass.
        ratelimits: {
          RL_WRITES: { namespace_id: "1001", simple: { limit: 20, period: 10 } },
          RL_READS: { namespace_id: "1002", simple: { limit: 300, period: 10 } },
          RL_FAILED_AUTH: { namespace_id: "1003", simple: { limit: 30, period: 10 } },
          RL_KEYS: { namespace_id: "1004", simple: { limit: 300, period: 10 } },
        },
        outboundService: outbound,
      },
    }),
  ],
  resolve: {
    // The built worker's module, for specs that drive its handlers directly
    // (the queue consumer with a batch of their own); typed in test/api/env.d.ts.
    alias: { "rocket-worker": new URL("./edge/build/index.js", import.meta.url).pathname },
  },
  test: {
    include: ["test/api/**/*.spec.ts"],
    setupFiles: ["./test/api/setup.ts"],
  },
}));
