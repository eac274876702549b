#!/usr/bin/env bash
# `npm run bench`: builds what changed, then the API throughput benchmark and the
# tracker's size.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
bash "$ROOT/scripts/build.sh"
node "$ROOT/bench/api.mjs"
node "$ROOT/scripts/size.mjs"
