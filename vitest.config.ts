// API tests: the built Rust worker running in workerd (Miniflare) with a real
// local D1, migrations applied per run (test/api/setup.ts).
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TURNSTILE } from "./test/api/turnstile-secrets";

/** workerd's outbound fetch in tests: a siteverify stand-in; nothing else leaves. */
async function outbound(request: Request): Promise<Response> {
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
        },
        // The limits of wrangler.toml, over 10-second windows so a test can
        // watch one pass.
        ratelimits: {
          RL_WRITES: { namespace_id: "1001", simple: { limit: 20, period: 10 } },
          RL_READS: { namespace_id: "1002", simple: { limit: 300, period: 10 } },
          RL_FAILED_AUTH: { namespace_id: "1003", simple: { limit: 30, period: 10 } },
        },
        outboundService: outbound,
      },
    }),
  ],
  test: {
    include: ["test/api/**/*.spec.ts"],
    setupFiles: ["./test/api/setup.ts"],
  },
}));
