#!/usr/bin/env bash
# The lint layer of `npm test`: formatting, clippy with warnings as errors on
# every target both crates build for, no module cycle in edge/src (the check
# itself tested on fixture trees that have and lack a `super::` cycle), the cron
# schedule the docs state against wrangler.toml's (scripts/cron-docs.mjs), and the
# TypeScript compiler (strict, no emit) over the tests, scripts and browser code,
# with the API types generated from edge/openapi.json first.
# Prints "lint: N checks passed, M failed"; exits non-zero if any failed.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
cd "$ROOT"

passed=0
failed=()
check() { # name cmd...
  local name="$1"; shift
  log "lint: $name"
  if "$@"; then passed=$((passed + 1)); else failed+=("$name"); fi
}

check "rustfmt" cargo fmt --all -- --check
check "clippy (native, tests included)" cargo clippy --quiet --workspace --all-targets -- -D warnings
check "clippy (edge, wasm32)" cargo clippy --quiet -p edge --target wasm32-unknown-unknown --all-targets -- -D warnings
check "clippy (tracker, wasm32, lean as shipped)" \
  cargo clippy --quiet -p tracker --target wasm32-unknown-unknown --features lean --lib -- -D warnings
check "clippy (tracker, wasm32 browser tests)" \
  cargo clippy --quiet -p tracker --target wasm32-unknown-unknown --all-targets -- -D warnings
check "no module cycle in edge/src" node scripts/module-cycles.mjs
check "the cycle check finds a super:: cycle (its fixtures)" node --test --test-reporter=dot scripts/module-cycles.test.mjs
check "the cron schedule in the docs is wrangler.toml's" node scripts/cron-docs.mjs
check "the cron docs check finds a wrong schedule (its test)" node --test --test-reporter=dot scripts/cron-docs.test.mjs
check "disposable domains as the pinned package has them" node scripts/disposable-domains.mjs --check
check "API types from edge/openapi.json (openapi-typescript)" bash scripts/build-api-types.sh
check "tsc (node: vitest config, e2e tests, scripts, bench)" tsc -p tsconfig.json
check "tsc (workerd: API tests)" tsc -p test/api/tsconfig.json
check "tsc (browser: www, API client, type tests)" tsc -p www/tsconfig.json

echo "lint: $passed checks passed, ${#failed[@]} failed"
if [ "${#failed[@]}" -ne 0 ]; then
  printf '[rocket] lint failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
