#!/usr/bin/env bash
# The tracker crate -> www/referral-tracker.js (the loader: all a visitor without
# a referral downloads), www/referral-tracker/<content hash>.js (host, the ABI
# and the rest of the shell) and www/referral-tracker.<content hash>.wasm (wasm-opt
# -Oz), both named by the loader, so the three can never mismatch in a cache.
source "$(dirname "$0")/lib.sh"
export_tool_env
js="$ROOT/www/referral-tracker.js"
inputs=(tracker/src tracker/js tracker/Cargo.toml rules/src rules/Cargo.toml Cargo.lock Cargo.toml scripts/build-tracker.sh)
if up_to_date tracker "$js" "${inputs[@]}" && [ -d "$ROOT/www/referral-tracker" ]; then
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
rm -rf "$ROOT/www/referral-tracker"
cp "$gen/optimized.wasm" "$ROOT/www/$wasm_name"
# Two IIFEs (nothing leaks into the page). The loader is what every visitor
# downloads; the tracker script (host functions, wasm-bindgen's ABI by hand: its
# generated JS is not shipped) comes with the wasm, only when a visit needs it.
bundle() { # entry outfile extra-args...
  local entry="$1" out="$2"; shift 2
  "$ESBUILD_BIN" "$entry" --bundle --format=iife --minify --target=es2017 --log-level=warning "$@" --outfile="$out"
}
bundle tracker/js/tracker.js "$gen/tracker.js"
# In a directory of its own (gitignored): www/tsconfig.json checks www/*.js.
full_name="referral-tracker/$(sha256sum "$gen/tracker.js" | cut -c1-12).js"
mkdir -p "$ROOT/www/referral-tracker"
rm -f "$ROOT/www/referral-tracker/.gitignore"
cp "$gen/tracker.js" "$ROOT/www/$full_name"
bundle tracker/js/loader.js "$js" --define:WASM_FILE="\"$wasm_name\"" --define:FULL_FILE="\"$full_name\""
mark_built tracker "${inputs[@]}"
