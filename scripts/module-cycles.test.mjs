// The cycle check's own test (run by the lint layer): it must find a cycle made
// of `super::` paths, and must not invent one from `super::` inside an inline
// `mod tests`, a string or a comment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const script = new URL("./module-cycles.mjs", import.meta.url).pathname;
const fixture = (/** @type {string} */ name) => new URL(`./fixtures/module-cycles/${name}`, import.meta.url).pathname;
const check = (/** @type {string} */ dir) => spawnSync(process.execPath, [script, dir], { encoding: "utf8" });

test("a cycle through super:: paths (and a use super::{..} group) is reported", () => {
  const run = check(fixture("super-cycle"));
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /module cycle in .*: store::(entries|people) -> store::(people|entries) -> store::\1\n/);
});

test("super:: inside an inline module, strings and comments make no edge", () => {
  const run = check(fixture("no-cycle"));
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /5 modules, 2 imports, no cycle/);
});

test("domain importing outside itself is reported (a pure core)", () => {
  const run = check(fixture("impure-domain"));
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /impure domain in .*: domain::rules imports store\n/);
});
