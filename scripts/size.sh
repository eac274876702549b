#!/usr/bin/env bash
# `npm run size`: builds the tracker and the dashboard if they changed, then
# prints what a visitor downloads for the tracker (without a referral: the
# loader; referred: loader, script and wasm) and what an owner downloads before
# the dashboard runs, against their budgets; and the worker's wasm as last built
# (edge/build; its budget shown, not yet enforced).
source "$(dirname "$0")/lib.sh"
ensure_toolchain
bash "$ROOT/scripts/build-tracker.sh"
bash "$ROOT/scripts/build-dashboard.sh"
node "$ROOT/scripts/size.mjs"
