#!/usr/bin/env bash
# The tracker crate -> www/referral-tracker.js (minified glue + loader, one IIFE)
# and www/referral-tracker.<content hash>.wasm (wasm-opt -Oz), which the script
# names, so the two can never mismatch in a cache.
source "$(dirname "$0")/lib.sh"
export_tool_env
js="$ROOT/www/referral-tracker.js"
if up_to_date tracker "$js" tracker/src tracker/js tracker/Cargo.toml rules/src rules/Cargo.toml Cargo.lock Cargo.toml; then
  exit 0
fi
log "building the tracker (tracker/)"
cd "$ROOT"
cargo build --quiet --release --target wasm32-unknown-unknown -p tracker --features lean
gen="$ROOT/target/tracker-bindgen"
rm -rf "$gen"
wasm-bindgen --target web --no-typescript --out-dir "$gen" --out-name referral-tracker \
  target/wasm32-unknown-unknown/release/tracker.wasm
wasm-opt -Oz --converge --strip-debug --strip-producers \
  "$gen/referral-tracker_bg.wasm" -o "$gen/optimized.wasm"
wasm_name="referral-tracker.$(sha256sum "$gen/optimized.wasm" | cut -c1-12).wasm"
rm -f "$ROOT"/www/referral-tracker*.wasm
cp "$gen/optimized.wasm" "$ROOT/www/$wasm_name"
# One IIFE (nothing leaks into the page), tree-shaken: the loader imports the
# glue's exports; the host object is injected where the glue names it.
"$ESBUILD_BIN" tracker/js/loader.js --bundle --format=iife --minify --target=es2017 --log-level=warning \
  --log-override:empty-import-meta=silent --inject:tracker/js/host.js \
  --alias:rocket-tracker-wasm="$gen/referral-tracker.js" --define:WASM_FILE="\"$wasm_name\"" --outfile="$js"
mark_built tracker tracker/src tracker/js tracker/Cargo.toml rules/src rules/Cargo.toml Cargo.lock Cargo.toml
