#!/usr/bin/env bash
# `npm run deploy`: migrations on the remote D1 database, then the worker and
# assets, then the next steps (the first account, the smoke check, a custom
# domain) with the URL wrangler gave. README's "Deploy" has the whole story.
# Needs `wrangler login` (or CLOUDFLARE_API_TOKEN), database_id in wrangler.toml,
# the ADMIN_TOKEN and IP_HASH_KEY secrets and the queues.
# `bash scripts/deploy.sh --next-steps URL` prints only the next steps.
source "$(dirname "$0")/lib.sh"

next_steps() { # the deployed URL, or empty when wrangler's output had none
  local url="${1:-https://rocket-tracker.<your-subdomain>.workers.dev}"
  cat <<MSG

  Rocket Tracker is deployed at $url

  Next steps (README, "Deploy"):
  1. Check it (ADMIN_TOKEN is the secret you put with wrangler secret put):
       ROCKET_ADMIN_TOKEN=<ADMIN_TOKEN> npm run smoke -- $url
  2. Create the first account (its private key is shown once):
       curl -X POST $url/api/admin/accounts \\
         -H "Authorization: Bearer <ADMIN_TOKEN>" -d '{"name":"My shop"}'
     or open $url/dashboard/, choose "Operator? Use the admin token" and create it there.
     Then sign in to $url/dashboard/ with the account's private key and create a contest.
  3. Put it on a custom domain: a *.workers.dev URL works, but the Cache API
     (validate-code, the leaderboard) only caches on a custom domain. In
     wrangler.toml: routes = [{ pattern = "rocket.example.com", custom_domain = true }]
     (a domain on your Cloudflare account), then npm run deploy again.
  4. Emails need PUBLIC_ORIGIN (wrangler.toml [vars]) set to that URL, and a sending
     domain onboarded for Email Service (README, "Email").

MSG
}

if [ "${1:-}" = "--next-steps" ]; then
  next_steps "${2:-}"
  exit 0
fi

if grep -q '^database_id = "00000000-0000-0000-0000-000000000000"' "$ROOT/wrangler.toml"; then
  die "wrangler.toml still has the placeholder database_id: run
  npx wrangler d1 create rocket-tracker
and put the database_id it prints in wrangler.toml (README, \"Deploy\")."
fi
ensure_toolchain
bash "$ROOT/scripts/build.sh"
cd "$ROOT"
# The local demo's widget token (written by npm start) is not for a deployed site.
rm -f www/demo-widget.json
CI=true wrangler d1 migrations apply DB --remote
out="$(mktemp "${TMPDIR:-/tmp}/rocket-deploy-XXXXXX")"
trap 'rm -f "$out"' EXIT
wrangler deploy | tee "$out"
next_steps "$(grep -oE 'https://[A-Za-z0-9.-]+\.workers\.dev' "$out" | head -1)"
