import { applyD1Migrations, env } from "cloudflare:test";
import { afterEach, expect } from "vitest";
import { ledgerMismatches } from "./app";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// The ledger invariant after every test, for every entry in the database:
// total_points is the sum of confirmed rows, pending_points of pending rows.
afterEach(async () => {
  expect(await ledgerMismatches()).toEqual([]);
});
