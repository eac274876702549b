#!/usr/bin/env bash
# `npm run size`: builds the tracker if it changed, then prints what a visitor downloads.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
bash "$ROOT/scripts/build-tracker.sh"
node "$ROOT/scripts/size.mjs"
