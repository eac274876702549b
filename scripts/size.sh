#!/usr/bin/env bash
# `npm run size`: builds the tracker and the dashboard if they changed, then
# prints what a visitor downloads for the tracker and what an owner downloads
# before the dashboard runs, against their budgets.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
bash "$ROOT/scripts/build-tracker.sh"
bash "$ROOT/scripts/build-dashboard.sh"
node "$ROOT/scripts/size.mjs"
