#!/usr/bin/env bash
# The contract layer: schemathesis against the local stack, checking that the
# worker answers exactly what edge/openapi.json says.
#
# Starts `npm start`'s script on a free port with a fresh D1 (as the e2e tests
# do), makes a fresh account with the admin token of .dev.vars and one contest
# for it, then runs schemathesis with that account's private key in x-api-key:
# every default check, the examples, coverage, fuzzing and stateful phases, a fixed seed
# and a bounded number of examples. The key rotation and revocation routes run in
# a second pass with an account of their own (the fuzzer would otherwise revoke
# the key it is using). Fails if either pass finds anything.
#
# CONTRACT_SEED, CONTRACT_MAX_EXAMPLES and CONTRACT_WORKERS override the defaults.
# target/contract/ keeps schemathesis' reports (JUnit, NDJSON) and the stack's log.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
ensure_schemathesis
# Built here, so the wait below is for wrangler alone.
bash "$ROOT/scripts/build.sh"
cd "$ROOT"

SEED="${CONTRACT_SEED:-20261123}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-20}"
WORKERS="${CONTRACT_WORKERS:-1}"
REPORTS="$ROOT/target/contract"

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
PERSIST="$(mktemp -d "${TMPDIR:-/tmp}/rocket-contract-XXXXXX")"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
STACK_LOG="$REPORTS/stack.log"
stack_pid=""

stop_stack() {
  if [ -n "$stack_pid" ]; then
    kill -TERM -- "-$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 -- "-$stack_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$stack_pid" 2>/dev/null || true
  fi
  rm -rf "$PERSIST"
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

# setsid: the stack (bash, wrangler, workerd...) is a process group of its own,
# stopped as a whole on exit.
log "starting the local stack on $BASE (fresh D1 in $PERSIST)"
# No demo month (ROCKET_DEMO_ACTIVITY=0): the fuzzing uses accounts of its own.
PORT="$PORT" ROCKET_PERSIST_DIR="$PERSIST" ROCKET_PROTOCOL=http ROCKET_DEMO_ACTIVITY=0 \
  setsid bash "$ROOT/scripts/start.sh" >"$STACK_LOG" 2>&1 </dev/null &
stack_pid=$!
deadline=$((SECONDS + 120))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/openapi.json")" = 200 ]; do
  if ! kill -0 "$stack_pid" 2>/dev/null; then cat "$STACK_LOG" >&2; die "the stack exited early"; fi
  if [ "$SECONDS" -gt "$deadline" ]; then cat "$STACK_LOG" >&2; die "the stack did not answer in time"; fi
  sleep 0.25
done

ADMIN_TOKEN="$(sed -n 's/^ADMIN_TOKEN=//p' "$ROOT/.dev.vars")"
[ -n "$ADMIN_TOKEN" ] || die "no ADMIN_TOKEN in .dev.vars"

# A fresh account's private key (POST /api/admin/accounts).
new_account() { # name
  curl -sS --fail-with-body -X POST "$BASE/api/admin/accounts" \
    -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' \
    --data "{\"name\":\"$1\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["privateKey"])'
}

MAIN_KEY="$(new_account contract)" || die "could not create the contract account"
KEYS_KEY="$(new_account contract-keys)" || die "could not create the key-routes account"
# One contest, so reads and the stateful phase have something to find.
curl -sS --fail-with-body -o /dev/null -X POST "$BASE/api/v1/contests" \
  -H "x-api-key: $MAIN_KEY" -H 'content-type: application/json' \
  --data '{"name":"Contract contest"}' || die "could not create the contract contest"

# Each request from an address of its own, past the per-address abuse limits.
export SCHEMATHESIS_HOOKS="$ROOT/test/contract/hooks.py"
# No --checks: the default is every check but the response time limit (which
# `--checks all` adds, at 10 s: flaky on a busy machine).
run_schemathesis() {
  schemathesis --config-file "$ROOT/test/contract/schemathesis.toml" run "$@"
}
common=(
  "$BASE/api/openapi.json"
  --phases examples,coverage,fuzzing,stateful
  --seed "$SEED"
  --max-examples "$MAX_EXAMPLES"
  --workers "$WORKERS"
  --generation-database none
  --request-timeout 30
  --no-color
)

failed=()
log "contract pass 1/2: every operation but key rotation/revocation and the admin route"
run_schemathesis "${common[@]}" \
  -H "x-api-key: $MAIN_KEY" \
  --exclude-operation-id rotateApiKey \
  --exclude-operation-id revokeApiKey \
  --exclude-operation-id rotateParticipantTokenSecret \
  --exclude-operation-id createAccount \
  --report junit,ndjson --report-dir "$REPORTS/main" || failed+=("1 (all but the key routes)")

# The key routes with an account of their own. listApiKeys stays out: it would
# hand the fuzzer the id of the key it is using, which rotate and revoke retire.
log "contract pass 2/2: key rotation/revocation and the participant token secret"
run_schemathesis "${common[@]}" \
  -H "x-api-key: $KEYS_KEY" \
  --include-operation-id createApiKey \
  --include-operation-id rotateApiKey \
  --include-operation-id revokeApiKey \
  --include-operation-id rotateParticipantTokenSecret \
  --report junit,ndjson --report-dir "$REPORTS/keys" || failed+=("2 (key routes)")

if [ "${#failed[@]}" -ne 0 ]; then
  printf '\033[31m[rocket] contract: failed pass %s (reports in %s)\033[0m\n' "${failed[*]}" "$REPORTS" >&2
  exit 1
fi
log "contract: both passes clean"
