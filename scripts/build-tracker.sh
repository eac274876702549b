#!/usr/bin/env bash
# The tracker crate -> www/referral-tracker.js (minified glue + loader, one IIFE)
# and www/referral-tracker_bg.wasm (wasm-opt -Oz).
source "$(dirname "$0")/lib.sh"
export_tool_env
js="$ROOT/www/referral-tracker.js"
wasm="$ROOT/www/referral-tracker_bg.wasm"
if up_to_date tracker "$js" tracker/src tracker/js tracker/Cargo.toml Cargo.lock Cargo.toml; then
  exit 0
fi
log "building the tracker (tracker/)"
cd "$ROOT"
cargo build --quiet --release --target wasm32-unknown-unknown -p tracker
gen="$ROOT/target/tracker-bindgen"
rm -rf "$gen"
wasm-bindgen --target no-modules --no-typescript --out-dir "$gen" --out-name referral-tracker \
  target/wasm32-unknown-unknown/release/tracker.wasm
wasm-opt -Oz --strip-debug --strip-producers \
  "$gen/referral-tracker_bg.wasm" -o "$wasm"
# One IIFE: wasm-bindgen's `let wasm_bindgen` must not become a page global.
{ echo "(function(){"; cat "$gen/referral-tracker.js" tracker/js/loader.js; echo "})();"; } > "$gen/bundle.js"
"$ESBUILD_BIN" --minify --log-level=warning --target=es2017 "$gen/bundle.js" > "$js"
mark_built tracker tracker/src tracker/js tracker/Cargo.toml Cargo.lock Cargo.toml
