// API tests: the built Rust worker running in workerd (Miniflare) with a real
// local D1, migrations applied per run (test/api/setup.ts).
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          ADMIN_TOKEN: "test-admin-token",
        },
      },
    }),
  ],
  test: {
    include: ["test/api/**/*.spec.ts"],
    setupFiles: ["./test/api/setup.ts"],
  },
}));
