// scripts/cron-docs.mjs finds a schedule the docs state wrongly, and passes
// the true one (run by scripts/lint.sh).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cronsOf, phraseOf, problems } from "./cron-docs.mjs";

const TOML = `name = "x"\n\n[triggers]\n# every 5 minutes\ncrons = ["*/5 * * * *"]\n\n[[queues.producers]]\nqueue = "q"\n`;

test("reads wrangler.toml's crons and says them", () => {
  assert.deepEqual(cronsOf(TOML), ["*/5 * * * *"]);
  assert.throws(() => cronsOf("[vars]\ncrons = []\n"));
  assert.equal(phraseOf("*/5 * * * *"), "every 5 minutes");
  assert.equal(phraseOf("17 * * * *"), "hourly");
  assert.equal(phraseOf("0 3 * * 1"), null);
});

test("the issue's contradiction is found: an hourly cron in the docs", () => {
  const text = 'A Cron Trigger (`[triggers] crons = ["17 * * * *"]` in `wrangler.toml`,\n  hourly) confirms holds.';
  const found = problems(["*/5 * * * *"], [{ name: "docs/API.md", text }]);
  assert.equal(found.length, 2);
  assert.match(found[0], /cron "17 \* \* \* \*" is not wrangler.toml's/);
  assert.match(found[1], /"hourly" but the cron runs every 5 minutes/);
  assert.match(problems(["*/5 * * * *"], [{ name: "o", text: "`holdDays`: holds confirm (checked hourly)." }])[0], /hourly/);
});

test("the truth passes, and frequencies of other things are not the cron's", () => {
  const text = [
    'A Cron Trigger (`[triggers] crons = ["*/5 * * * *"]`, every 5 minutes) confirms holds.',
    "No hourly referral limit applies to the webhook.",
    "The cron goes on with a contest no run touched for 2 minutes.",
  ].join(" ");
  assert.deepEqual(problems(["*/5 * * * *"], [{ name: "README.md", text }]), []);
});
