#!/usr/bin/env bash
# `npm test`: sets up what is missing, builds, then runs every test layer.
# Fails if any layer fails or runs no test.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
ensure_chromium
bash "$ROOT/scripts/build.sh"
cd "$ROOT"

logs="$ROOT/target/test-logs"
mkdir -p "$logs"
total_passed=0
failed_layers=()

# run_layer NAME LINE_REGEX COUNT_REGEX CMD...: runs a layer, tees its output, and
# counts the tests it passed from the runner's own summary lines (the lines
# matching LINE_REGEX; in each, the number in what COUNT_REGEX matches).
run_layer() {
  local name="$1" line="$2" count="$3"; shift 3
  log "layer: $name"
  local status=0
  "$@" 2>&1 | tee "$logs/$name.log" || status=$?
  local passed
  passed=$(sed -E 's/\x1b\[[0-9;]*m//g' "$logs/$name.log" | { grep -E "$line" || true; } |
    { grep -oE "$count" || true; } | { grep -oE '[0-9]+' || true; } | awk '{s+=$1} END {print s+0}')
  if [ "$status" -ne 0 ]; then
    failed_layers+=("$name (exit $status)")
  elif [ "$passed" -eq 0 ]; then
    failed_layers+=("$name (ran no test)")
  fi
  log "layer $name: $passed passed, exit $status"
  total_passed=$((total_passed + passed))
}

run_layer lint '^lint: ' '[0-9]+ checks passed' \
  bash "$ROOT/scripts/lint.sh"
run_layer native-rust '^test result: ' '[0-9]+ passed' \
  cargo test --workspace --quiet
run_layer tracker-in-chromium '^test result: ' '[0-9]+ passed' \
  cargo test -p tracker --target wasm32-unknown-unknown
run_layer api-in-workerd '^ *Tests ' '[0-9]+ passed' \
  vitest run --config vitest.config.ts
# schemathesis over the local stack: generated test cases that passed, both passes.
run_layer contract '^ +[0-9]+ generated, [0-9]+ passed' '[0-9]+ passed' \
  bash "$ROOT/scripts/contract.sh"
# The draw verifier: the worker's selection against the published verifier's on
# 1,000 lists, the local test chain, and the verifier failing on altered records.
run_layer draw-verifier '^# pass ' '[0-9]+' \
  node --test --test-reporter=tap 'test/draw/*.test.mjs'
run_layer e2e-and-deploy '^# pass ' '[0-9]+' \
  node --test --test-reporter=tap --test-concurrency=1 'test/e2e/*.test.mjs'

if [ "${#failed_layers[@]}" -ne 0 ]; then
  printf '[rocket] failed layers: %s\n' "${failed_layers[*]}" >&2
  echo "$total_passed passed, ${#failed_layers[@]} failed"
  exit 1
fi
echo "$total_passed passed, 0 failed"
