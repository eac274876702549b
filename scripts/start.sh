#!/usr/bin/env bash
# `npm start`: installs what is missing, builds what changed, prepares the local
# D1 database with demo data (and, once, a month of demo activity:
# ROCKET_DEMO_ACTIVITY=0 skips it), and serves the whole stack on 127.0.0.1:8787.
# PORT, ROCKET_PERSIST_DIR (local D1 state; default .wrangler/state) and
# ROCKET_PROTOCOL (http, or https with wrangler's self-signed certificate) override.
# ROCKET_TURNSTILE_SITEVERIFY_URL points Turnstile's check at a local stand-in
# (the end-to-end tests'; the worker honours only a loopback URL).
# Draws take their randomness from a local stand-in beacon, the rocket-tracker
# local test chain (NOT drand; scripts/test-beacon.mjs), on a free port, gone
# when wrangler is; ROCKET_LOCAL_BEACON=0 keeps wrangler.toml's drand quicknet.
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
beacon_banner="drand quicknet (wrangler.toml)"
verify_args=""
if [ "${ROCKET_LOCAL_BEACON:-1}" != 0 ]; then
  # A fixed genesis, so a persisted draw's round keeps its time across restarts.
  # $$ is wrangler's pid once exec'd below: the beacon exits when it does.
  beacon_env="$(mktemp "${TMPDIR:-/tmp}/rocket-beacon-XXXXXX")"
  node "$ROOT/scripts/test-beacon.mjs" --genesis "${ROCKET_BEACON_GENESIS:-1700000000}" --period 1 \
    --parent-pid $$ > "$beacon_env" &
  for _ in $(seq 100); do
    [ "$(grep -c '^DRAND_' "$beacon_env")" -ge 5 ] && break
    kill -0 $! 2>/dev/null || die "the local test beacon did not start"
    sleep 0.1
  done
  while IFS='=' read -r name value; do
    case "$name" in DRAND_*) printf -v "$name" '%s' "$value"; vars+=(--var "$name:$value") ;; esac
  done < "$beacon_env"
  rm -f "$beacon_env"
  [ -n "${DRAND_URL:-}" ] || die "the local test beacon did not answer"
  # Rounds a few seconds after finalize, so a local draw completes at once.
  vars+=(--var "DRAW_BEACON_DELAY_SECS:${ROCKET_DRAW_BEACON_DELAY_SECS:-5}")
  beacon_banner="rocket-tracker local test chain (NOT drand) $DRAND_URL/$DRAND_CHAIN_HASH/info"
  verify_args=" --beacon-url $DRAND_URL"
fi
prepare_local_db "${ROCKET_PERSIST_DIR:-}"
# A month of demo activity in the demo contest (scripts/demo-activity.mjs), played
# once per database through the worker's own endpoints, by a short-lived worker
# whose clock the seeder sets (scripts/demo-clock.mjs, local only, never deployed).
if [ "${ROCKET_DEMO_ACTIVITY:-1}" != 0 ]; then
  (cd "$ROOT" && node scripts/demo-activity.mjs "${ROCKET_PERSIST_DIR:-}") ||
    die "could not play the demo activity (ROCKET_DEMO_ACTIVITY=0 npm start skips it)"
fi
# The demo page shows the referral widget for the demo advocate: a fresh
# participant token for it, in a gitignored file the page reads.
demo_token="$(cd "$ROOT" && node scripts/demo.mjs token)"
printf '{"contestId":"%s","token":"%s"}\n' "$DEMO_CONTEST_ID" "$demo_token" > "$ROOT/www/demo-widget.json"
base="$PROTOCOL://127.0.0.1:$PORT"
# Links in emails (made in the queue, with no request) point here.
vars+=(--var "PUBLIC_ORIGIN:${ROCKET_PUBLIC_ORIGIN:-$base}")
cat >&2 <<MSG

  Rocket Tracker is starting on $base

  Dashboard:                   $base/dashboard/   (sign in with the private key below; the operator with the admin token)
  Demo page (referred visit):  $base/?ref=$DEMO_REFERRAL_CODE
  Validate the demo code:      $base/api/referral/validate-code?code=$DEMO_REFERRAL_CODE&contestId=$DEMO_CONTEST_ID
  Tracker script:              $base/referral-tracker.js?campaignId=$DEMO_CONTEST_ID
  OpenAPI document:            $base/api/openapi.json
  Draw beacon:                 $beacon_banner
  Verify a draw:               node scripts/verify-draw.mjs $base <contestId> <prizeId>$verify_args
  Demo API keys (local only):  public  $DEMO_PUBLIC_KEY
                               private $DEMO_PRIVATE_KEY
  Contest via the API:         curl -H 'x-api-key: $DEMO_PRIVATE_KEY' $base/api/v1/contests/$DEMO_CONTEST_ID
  Demo participant token:      $demo_token
  Admin token (.dev.vars):     $(sed -n 's/^ADMIN_TOKEN=//p' "$ROOT/.dev.vars")
  Sent emails (simulated):     $base/cdn-cgi/explorer/api/local/email/sending   (the log also names each message's files)

MSG
cd "$ROOT"
exec wrangler dev --ip 127.0.0.1 --port "$PORT" --local-protocol "$PROTOCOL" \
  --show-interactive-dev-session=false --log-level=warn "${persist[@]}" "${vars[@]}"
