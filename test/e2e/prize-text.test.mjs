// The Prizes page's pure parts (www/src/dashboard/prize-text.ts) in Node,
// bundled in memory by esbuild like settings-draft.test.mjs: the codes read
// from a pasted list or a CSV file, the calls they are sent in, the create
// body of the new-prize form (or the problem it shows), the rule in words.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("../../www/src/dashboard/prize-text.ts", import.meta.url));

/** @type {typeof import("../../www/src/dashboard/prize-text")} */
let text;

before(async () => {
  const out = await build({ entryPoints: [ENTRY], bundle: true, format: "esm", platform: "neutral", write: false, metafile: true, logLevel: "silent" });
  assert.deepEqual(
    Object.keys(out.metafile.inputs).filter((f) => f.includes("node_modules")),
    [],
    "no Preact, nothing from node_modules",
  );
  const code = /** @type {{ text: string }} */ (out.outputFiles[0]).text;
  text = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
});

test("codes: one per line or a CSV file's first column; trimmed, blanks and repeats dropped, a code header skipped", () => {
  assert.deepEqual(text.parseCodes(" A-1 \n\nB-2\r\nA-1\n"), ["A-1", "B-2"]);
  assert.deepEqual(text.parseCodes('\uFEFFcode,batch\r\nX1,b\r\n"Y,2",b\r\n"Z""3"\r\n'), ["X1", "Y,2", 'Z"3']);
  // Only the first line may be a header: a later "code" is a code.
  assert.deepEqual(text.parseCodes("A\ncode"), ["A", "code"]);
  assert.deepEqual(text.parseCodes("\n \n"), []);
});

test("codes go in calls of at most 10,000", () => {
  const codes = Array.from({ length: 25_001 }, (_, i) => `c${i}`);
  const calls = text.batches(codes);
  assert.deepEqual(calls.map((c) => c.length), [10_000, 10_000, 5_001]);
  assert.deepEqual(calls.flat(), codes);
  assert.deepEqual(text.batches([]), []);
});

/** @param {Partial<import("../../www/src/dashboard/prize-text").PrizeDraft>} over */
const draft = (over) => ({
  name: "20% off",
  description: "",
  imageUrl: "",
  kind: /** @type {const} */ ("milestone"),
  thresholdOf: /** @type {const} */ ("referrals"),
  threshold: "3",
  rankFrom: "1",
  rankTo: "",
  fulfilment: /** @type {const} */ ("code"),
  amount: "",
  currency: "USD",
  quantity: "",
  ...over,
});

test("the new-prize form: the body of each kind and fulfilment, or the problem", () => {
  assert.deepEqual(text.prizeBody(draft({})), { name: "20% off", kind: "milestone", fulfilment: { type: "code" }, threshold: { referrals: 3 } });
  assert.deepEqual(text.prizeBody(draft({ thresholdOf: "points", threshold: "100", quantity: "5", description: " d ", imageUrl: "https://x.test/a.png" })), {
    name: "20% off",
    kind: "milestone",
    fulfilment: { type: "code" },
    description: "d",
    imageUrl: "https://x.test/a.png",
    threshold: { points: 100 },
    quantity: 5,
  });
  assert.deepEqual(text.prizeBody(draft({ name: "Top 3", kind: "rank", rankFrom: "1", rankTo: "3", fulfilment: "credit", amount: "25.5", currency: "eur" })), {
    name: "Top 3",
    kind: "rank",
    fulfilment: { type: "credit", amount: 25.5, currency: "EUR" },
    ranks: { from: 1, to: 3 },
  });
  assert.deepEqual(/** @type {any} */ (text.prizeBody(draft({ kind: "rank", rankFrom: "2", fulfilment: "manual" }))).ranks, { from: 2, to: 2 });
  for (const [over, problem] of [
    [{ name: " " }, /name/],
    [{ threshold: "0" }, /threshold/],
    [{ threshold: "2.5" }, /threshold/],
    [{ kind: "rank", rankFrom: "3", rankTo: "2" }, /Places/],
    [{ fulfilment: "credit", amount: "0" }, /above 0/],
    [{ fulfilment: "credit", amount: "5", currency: "US" }, /currency/],
    [{ imageUrl: "http://x.test/a.png" }, /https/],
    [{ quantity: "0" }, /How many/],
  ]) {
    const r = text.prizeBody(draft(/** @type {any} */ (over)));
    assert.equal(typeof r, "string", JSON.stringify(over));
    assert.match(/** @type {string} */ (r), /** @type {RegExp} */ (problem));
  }
});

test("rules in words", () => {
  assert.equal(text.ruleText({ kind: "milestone", threshold: { referrals: 1 }, ranks: null }), "1 confirmed referral");
  assert.equal(text.ruleText({ kind: "milestone", threshold: { points: 1500 }, ranks: null }), "1,500 confirmed points");
  assert.equal(text.ruleText({ kind: "rank", threshold: null, ranks: { from: 1, to: 3 } }), "places 1–3 in the final standings");
  assert.equal(text.ruleText({ kind: "rank", threshold: null, ranks: { from: 2, to: 2 } }), "place 2 in the final standings");
});
