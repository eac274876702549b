// The demo data of the local stack from its one source, scripts/demo.env:
// `DEMO` for the e2e tests and the bench, and the seed (scripts/seed.sql with
// the values filled in). `node scripts/demo.mjs seed` prints the seed
// (prepare_local_db in scripts/lib.sh applies it); `node scripts/demo.mjs token`
// prints a participant token for the demo advocate (npm start gives it to the
// demo page's widget).
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SCRIPTS = new URL(".", import.meta.url);

/** The NAME=value lines of scripts/demo.env (blank lines and # comments skipped),
 * read as scripts/lib.sh reads them: the value verbatim. */
export function readDemoEnv() {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const line of readFileSync(new URL("demo.env", SCRIPTS), "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const name = line.slice(0, eq);
    if (eq < 0 || !/^DEMO_[A-Z0-9_]+$/.test(name)) throw new Error(`scripts/demo.env: not NAME=value: ${line}`);
    vars[name] = line.slice(eq + 1);
  }
  return vars;
}

const env = readDemoEnv();

/** @param {string} name */
function value(name) {
  const v = env[name];
  if (v === undefined) throw new Error(`scripts/demo.env has no ${name}`);
  return v;
}

/** The demo contest, its advocate and the demo account's local-only keys. */
export const DEMO = Object.freeze({
  contestId: value("DEMO_CONTEST_ID"),
  referralCode: value("DEMO_REFERRAL_CODE"),
  advocateId: value("DEMO_ADVOCATE_ID"),
  advocateEmail: value("DEMO_ADVOCATE_EMAIL"),
  advocateName: value("DEMO_ADVOCATE_NAME"),
  publicKey: value("DEMO_PUBLIC_KEY"),
  privateKey: value("DEMO_PRIVATE_KEY"),
  webhookSecret: value("DEMO_WEBHOOK_SECRET"),
  stripeSecret: value("DEMO_STRIPE_SECRET"),
});

/** The seed's SQL: every `{{NAME}}` of scripts/seed.sql replaced by its value,
 * quoted for a SQL string literal. Besides demo.env's names, a key's stored
 * form: `{{DEMO_PUBLIC_KEY_HASH}}` (SHA-256, hex, what the worker looks up) and
 * `{{DEMO_PUBLIC_KEY_PREFIX}}` (its first 10 characters), and the same for
 * DEMO_PRIVATE_KEY. An unknown name is an error. */
export function seedSql() {
  /** @type {Record<string, string>} */
  const values = { ...env };
  for (const key of ["DEMO_PUBLIC_KEY", "DEMO_PRIVATE_KEY"]) {
    values[`${key}_HASH`] = createHash("sha256").update(value(key)).digest("hex");
    values[`${key}_PREFIX`] = [...value(key)].slice(0, 10).join("");
  }
  return readFileSync(new URL("seed.sql", SCRIPTS), "utf8").replace(/\{\{(\w+)\}\}/g, (_, name) => {
    const v = values[name];
    if (v === undefined) throw new Error(`scripts/seed.sql: unknown {{${name}}}`);
    return v.replaceAll("'", "''");
  });
}

/** A participant token for the demo advocate, valid 30 days from `nowSecs`:
 * what `POST /api/v1/entries/{id}/token` would answer, minted from the seeded
 * demo secret (the format of edge/src/domain/participant_token.rs:
 * `rtp_<entry>.<expires>.<hex HMAC-SHA256(secret, "<entry>.<expires>")>`).
 * @param {number} [nowSecs] */
export function demoToken(nowSecs = Math.floor(Date.now() / 1000)) {
  const entry = value("DEMO_ADVOCATE_ID");
  const expires = nowSecs + 30 * 86_400;
  const signature = createHmac("sha256", value("DEMO_TOKEN_SECRET")).update(`${entry}.${expires}`).digest("hex");
  return `rtp_${entry}.${expires}.${signature}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === "seed") process.stdout.write(seedSql());
  else if (command === "token") process.stdout.write(demoToken());
  else {
    console.error("usage: node scripts/demo.mjs seed|token");
    process.exit(2);
  }
}
