#!/usr/bin/env bash
# `npm run bench`: builds what changed (BENCH_BUILD=0 skips it), then the API
# benchmark (bench/api.mjs: floors, cases, cold start; BENCH_COLD=0 skips the
# cold start) and the tracker's size.
source "$(dirname "$0")/lib.sh"
ensure_toolchain
if [ "${BENCH_BUILD:-1}" != "0" ]; then bash "$ROOT/scripts/build.sh"; fi
node "$ROOT/bench/api.mjs"
node "$ROOT/scripts/size.mjs"
