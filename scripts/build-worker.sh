#!/usr/bin/env bash
# The Rust worker -> edge/build/{index.js,index_bg.wasm} via worker-build.
source "$(dirname "$0")/lib.sh"
export_tool_env
out="$ROOT/edge/build"
# The OpenAPI document is served from the static assets (see edge/src/openapi.rs).
cp "$ROOT/edge/openapi.json" "$ROOT/www/openapi.json"
if up_to_date worker "$out/index.js" edge/src edge/Cargo.toml edge/openapi.json rules/src rules/Cargo.toml Cargo.lock Cargo.toml; then
  exit 0
fi
log "building the worker (edge/)"
(cd "$ROOT/edge" && worker-build --release >&2)
# worker-build keeps the name section (--debuginfo); strip it to cut cold-start bytes.
wasm-opt -Oz --strip-debug "$out/index_bg.wasm" -o "$out/index_bg.wasm"
mark_built worker edge/src edge/Cargo.toml edge/openapi.json rules/src rules/Cargo.toml Cargo.lock Cargo.toml
