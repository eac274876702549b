#!/usr/bin/env bash
# `npm run bench:scale`: builds what changed (BENCH_BUILD=0 skips it), then
# seeds one contest of a local D1 with 1k, 100k and 1M entries and measures the
# read cases at each size (bench/scale.mjs).
source "$(dirname "$0")/lib.sh"
ensure_toolchain
if [ "${BENCH_BUILD:-1}" != "0" ]; then bash "$ROOT/scripts/build.sh"; fi
node "$ROOT/bench/scale.mjs"
