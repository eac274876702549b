#!/usr/bin/env node
// The docs say when the cron runs as wrangler.toml does (issue 27: docs/API.md
// said hourly, `17 * * * *`, while wrangler.toml runs it every 5 minutes).
// Checked: every cron expression quoted in the docs (`...` or "...") is one of
// wrangler.toml's `[triggers] crons`, and every sentence about the cron or its
// sweep that states a frequency ("hourly", "every N minutes", ...) states the
// schedule's. Run by scripts/lint.sh; its own test is scripts/cron-docs.test.mjs.
// Prints the problems and exits 1, or prints nothing and exits 0.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The documents a user or a client reads the schedule in. */
export const DOCS = ["README.md", "ARCHITECTURE.md", "edge/openapi.json", ...docsDir()];

function docsDir() {
  return readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`);
}

/** `crons = [...]` of wrangler.toml's `[triggers]`.
 * @param {string} toml @returns {string[]} */
export function cronsOf(toml) {
  const triggers = toml.split(/^\[triggers\]\s*$/m)[1];
  const list = triggers?.split(/^\[/m)[0].match(/^crons\s*=\s*\[([^\]]*)\]/m);
  if (!list) throw new Error("wrangler.toml has no [triggers] crons");
  return [...(list[1] ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
}

/** How a sentence says the schedule: "every 5 minutes", "hourly"; null for another shape.
 * @param {string} cron @returns {string | null} */
export function phraseOf(cron) {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || f.slice(2).some((x) => x !== "*")) return null;
  const every = f[0].match(/^\*\/(\d+)$/);
  if (every && f[1] === "*") return `every ${every[1]} minutes`;
  if (/^\d+$/.test(f[0] ?? "") && f[1] === "*") return "hourly";
  return null;
}

// A cron expression: five fields of digits, `*`, `/`, `,` and `-`, quoted.
const CRON = /[`"]((?:[\d*/,-]+ ){4}[\d*/,-]+)[`"]/g;
// A frequency a sentence may state.
const FREQUENCY = /\b(hourly|every hour|every \d+ minutes?|every (?:one|five|ten|fifteen) minutes?|every minute|daily|every day)\b/gi;
// A sentence about the scheduled run.
const ABOUT_CRON = /\bcron|\bsweep|holdDays/i;

/** The problems of `files` against the schedule `crons`.
 * @param {string[]} crons @param {{ name: string, text: string }[]} files @returns {string[]} */
export function problems(crons, files) {
  const phrases = crons.map(phraseOf).filter((p) => p !== null);
  const found = [];
  for (const { name, text } of files) {
    for (const m of text.matchAll(CRON)) {
      if (!crons.includes(m[1] ?? "")) found.push(`${name}: cron "${m[1]}" is not wrangler.toml's (${crons.join(", ")})`);
    }
    for (const sentence of text.split(/(?<=[.;!?])\s+|\n\s*\n/)) {
      if (!ABOUT_CRON.test(sentence)) continue;
      for (const m of sentence.matchAll(FREQUENCY)) {
        if (!phrases.includes((m[1] ?? "").toLowerCase())) {
          const where = sentence.replace(/\s+/g, " ").trim().slice(0, 120);
          found.push(`${name}: "${m[1]}" but the cron runs ${phrases.join(" or ") || crons.join(", ")}: ${where}`);
        }
      }
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const crons = cronsOf(readFileSync(join(ROOT, "wrangler.toml"), "utf8"));
  const files = DOCS.map((name) => ({ name, text: readFileSync(join(ROOT, name), "utf8") }));
  const found = problems(crons, files);
  for (const p of found) console.error(p);
  process.exit(found.length ? 1 : 0);
}
