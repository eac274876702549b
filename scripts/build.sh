#!/usr/bin/env bash
# Builds the worker (edge/build/), the tracker (www/referral-tracker.js + wasm),
# the API types of the browser code (www/src/api/schema.d.ts) and the dashboard
# (www/dashboard/), skipping each when its sources have not changed since the
# last build.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
bash "$ROOT/scripts/build-worker.sh"
bash "$ROOT/scripts/build-tracker.sh"
bash "$ROOT/scripts/build-api-types.sh"
bash "$ROOT/scripts/build-dashboard.sh"
bash "$ROOT/scripts/build-bundle.sh" widget "the widget"
bash "$ROOT/scripts/build-bundle.sh" results "the hosted results"
