#!/usr/bin/env bash
# `npm start`: installs what is missing, builds what changed, prepares the local
# D1 database with demo data, and serves the whole stack on 127.0.0.1:8787.
# PORT, ROCKET_PERSIST_DIR (local D1 state; default .wrangler/state) and
# ROCKET_PROTOCOL (http, or https with wrangler's self-signed certificate) override.
# ROCKET_TURNSTILE_SITEVERIFY_URL points Turnstile's check at a local stand-in
# (the end-to-end tests'; the worker honours only a loopback URL).
source "$(dirname "$0")/lib.sh"
PORT="${PORT:-8787}"
PROTOCOL="${ROCKET_PROTOCOL:-http}"
persist=()
if [ -n "${ROCKET_PERSIST_DIR:-}" ]; then persist=(--persist-to "$ROCKET_PERSIST_DIR"); fi
vars=()
if [ -n "${ROCKET_TURNSTILE_SITEVERIFY_URL:-}" ]; then
  vars=(--var "TURNSTILE_SITEVERIFY_URL:$ROCKET_TURNSTILE_SITEVERIFY_URL")
fi
ensure_toolchain
bash "$ROOT/scripts/build.sh"
ensure_dev_vars
prepare_local_db "${ROCKET_PERSIST_DIR:-}"
# The demo page shows the referral widget for the demo advocate: a fresh
# participant token for it, in a gitignored file the page reads.
demo_token="$(cd "$ROOT" && node scripts/demo.mjs token)"
printf '{"contestId":"%s","token":"%s"}\n' "$DEMO_CONTEST_ID" "$demo_token" > "$ROOT/www/demo-widget.json"
base="$PROTOCOL://127.0.0.1:$PORT"
cat >&2 <<MSG

  Rocket Tracker is starting on $base

  Dashboard:                   $base/dashboard/   (sign in with the private key below; the operator with the admin token)
  Demo page (referred visit):  $base/?ref=$DEMO_REFERRAL_CODE
  Validate the demo code:      $base/api/referral/validate-code?code=$DEMO_REFERRAL_CODE&contestId=$DEMO_CONTEST_ID
  Tracker script:              $base/referral-tracker.js?campaignId=$DEMO_CONTEST_ID
  OpenAPI document:            $base/api/openapi.json
  Demo API keys (local only):  public  $DEMO_PUBLIC_KEY
                               private $DEMO_PRIVATE_KEY
  Contest via the API:         curl -H 'x-api-key: $DEMO_PRIVATE_KEY' $base/api/v1/contests/$DEMO_CONTEST_ID
  Demo participant token:      $demo_token
  Admin token (.dev.vars):     $(sed -n 's/^ADMIN_TOKEN=//p' "$ROOT/.dev.vars")

MSG
cd "$ROOT"
exec wrangler dev --ip 127.0.0.1 --port "$PORT" --local-protocol "$PROTOCOL" \
  --show-interactive-dev-session=false --log-level=warn "${persist[@]}" "${vars[@]}"
