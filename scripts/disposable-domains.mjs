// The disposable-email domains the worker's fraud score knows
// (edge/src/domain/disposable_domains.txt, compiled in by `include_str!`): the
// list of the disposable-email-domains project as the npm package
// `disposable-email-domains-js` ships it, pinned exactly in package.json.
// One lower-case domain a line, sorted by bytes, so the worker binary-searches it.
//
//   node scripts/disposable-domains.mjs          rewrites the file from node_modules
//   node scripts/disposable-domains.mjs --check  fails if the file differs (lint layer)
//
// To update: `npm install --save-dev --save-exact disposable-email-domains-js@<version>`,
// then run this script, rebuild and commit the three files.
import { readFileSync, writeFileSync } from "node:fs";

const PACKAGE = "disposable-email-domains-js";
const SOURCE = new URL(`../node_modules/${PACKAGE}/dist/dict/disposable_email_blocklist.json`, import.meta.url);
const TARGET = new URL("../edge/src/domain/disposable_domains.txt", import.meta.url);
/** A domain the worker can match: lower-case letters, digits, `-` and dots. */
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The pinned package's domains as the file's text. */
function generated() {
  const pinned = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).devDependencies[PACKAGE];
  const installed = JSON.parse(readFileSync(new URL(`../node_modules/${PACKAGE}/package.json`, import.meta.url), "utf8")).version;
  if (installed !== pinned) throw new Error(`${PACKAGE} ${installed} is installed, package.json pins ${pinned}: run npm install`);
  /** @type {unknown} */
  const list = JSON.parse(readFileSync(SOURCE, "utf8"));
  if (!Array.isArray(list)) throw new Error(`${SOURCE.pathname} is not a list`);
  const domains = [...new Set(list.map((d) => String(d).trim().toLowerCase()))];
  const bad = domains.filter((d) => !DOMAIN.test(d));
  if (bad.length) throw new Error(`not domains: ${bad.slice(0, 5).join(", ")}`);
  // Byte order (all ASCII): the order of Rust's `str` comparison.
  domains.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return domains.join("\n") + "\n";
}

const text = generated();
if (process.argv.includes("--check")) {
  const current = readFileSync(TARGET, "utf8");
  if (current !== text) {
    console.error(`edge/src/domain/disposable_domains.txt differs from ${PACKAGE}: run node scripts/disposable-domains.mjs`);
    process.exit(1);
  }
  console.log(`disposable domains: ${text.split("\n").length - 1}, as ${PACKAGE} has them`);
} else {
  writeFileSync(TARGET, text);
  console.log(`wrote ${text.split("\n").length - 1} domains to edge/src/domain/disposable_domains.txt`);
}
